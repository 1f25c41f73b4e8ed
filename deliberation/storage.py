"""Where confidential files (mediation agreements) live: outside MEDIA_ROOT, never served by the
web server, read only through a view that asks core.access first."""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import cached_property


class PrivateStorage(FileSystemStorage):
    def __init__(self):
        super().__init__(base_url=None)

    @cached_property
    def base_location(self):
        media = Path(settings.MEDIA_ROOT)
        return str(media.with_name(f"{media.name}-private"))

    def url(self, name):
        raise ValueError("Private files have no public address; serve them through an access-checked view.")


def private_storage() -> PrivateStorage:
    return PrivateStorage()

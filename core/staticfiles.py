"""Static files as whitenoise serves them in production, each address worked out once a process."""

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage


class ManifestStaticStorage(CompressedManifestStaticFilesStorage):
    """The manifest does not change while a process runs, yet Django looks each file's hashed name
    up again (splitting and quoting the path) for every ``{% static %}`` of every page: about twenty
    on an admin page. Here each address is looked up once; a missing file still raises each time."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name, force=False):
        if force or settings.DEBUG:
            return super().url(name, force)
        try:
            return self._urls[name]
        except KeyError:
            url = self._urls[name] = super().url(name)
            return url

    def load_manifest(self):
        self._urls = {}
        return super().load_manifest()

    def post_process(self, *args, **kwargs):
        # collectstatic hashes the files anew (and writes the manifest) without reloading it: the
        # addresses kept before may have changed.
        self._urls = {}
        yield from super().post_process(*args, **kwargs)
        self._urls = {}

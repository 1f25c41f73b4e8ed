"""core.staticfiles: production's static addresses, looked up once a process."""

import pytest
from django.core.files.base import ContentFile
from django.test import override_settings

from core.staticfiles import ManifestStaticStorage


@pytest.fixture
def collected(tmp_path):
    """A collected static folder with one file and its manifest, as collectstatic leaves it."""
    storage = ManifestStaticStorage(location=tmp_path, base_url="/static/")
    storage.save("css/site.css", ContentFile(b"body { color: black; }"))
    list(storage.post_process({"css/site.css": (storage, "css/site.css")}))
    return tmp_path


@override_settings(DEBUG=False)
def test_a_files_address_is_its_hashed_name_every_time(collected):
    storage = ManifestStaticStorage(location=collected, base_url="/static/")
    first = storage.url("css/site.css")
    assert (
        first.startswith("/static/css/site.") and first.endswith(".css") and first != "/static/css/site.css"
    )
    assert storage.url("css/site.css") == first
    assert (collected / first.removeprefix("/static/")).exists()


@override_settings(DEBUG=False)
def test_a_missing_file_is_refused_each_time_not_remembered(collected):
    storage = ManifestStaticStorage(location=collected, base_url="/static/")
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("css/missing.css")


@override_settings(DEBUG=False)
def test_a_new_manifest_drops_the_addresses_kept(collected):
    storage = ManifestStaticStorage(location=collected, base_url="/static/")
    before = storage.url("css/site.css")
    storage.delete("css/site.css")
    storage.save("css/site.css", ContentFile(b"body { color: navy; }"))
    list(storage.post_process({"css/site.css": (storage, "css/site.css")}))  # as collectstatic does
    assert storage.url("css/site.css") != before


def test_in_development_the_address_is_the_plain_name(collected):
    storage = ManifestStaticStorage(location=collected, base_url="/static/")
    with override_settings(DEBUG=True):
        assert storage.url("css/site.css") == "/static/css/site.css"

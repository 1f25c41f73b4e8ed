from io import StringIO

from django.core.management import call_command

from core.models import Center, User
from tests.factories import CenterFactory, UserFactory


def test_backup_and_restore_round_trip_rows_and_media(transactional_db, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "centers").mkdir(parents=True)
    (settings.MEDIA_ROOT / "centers" / "photo.jpg").write_bytes(b"jpeg-bytes")
    private = tmp_path / "media-private" / "mediation"
    private.mkdir(parents=True)
    (private / "agreement.pdf").write_bytes(b"%PDF-agreement")
    CenterFactory.create_batch(3)
    UserFactory.create_batch(4)
    out = StringIO()
    call_command("backup", output=str(tmp_path / "backup"), stdout=out)
    assert "backup written" in out.getvalue()

    Center.objects.first().delete()
    User.objects.all().delete()
    (settings.MEDIA_ROOT / "centers" / "photo.jpg").unlink()
    (private / "agreement.pdf").unlink()

    out = StringIO()
    call_command("restore", input=str(tmp_path / "backup"), yes=True, stdout=out)
    assert "identical row counts" in out.getvalue()
    assert Center.objects.count() == 3 and User.objects.count() == 4
    assert (settings.MEDIA_ROOT / "centers" / "photo.jpg").read_bytes() == b"jpeg-bytes"
    assert (private / "agreement.pdf").read_bytes() == b"%PDF-agreement"  # private files too

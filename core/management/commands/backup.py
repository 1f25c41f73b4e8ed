"""Back up the database (as portable JSON) and the media files, with a manifest to verify a restore."""

import hashlib
import json
import tarfile
from io import StringIO
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction

EXCLUDE = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "admin.logentry",
    "django_celery_beat.periodictasks",
]


def table_fingerprint() -> dict[str, dict]:
    """Row count and a checksum of the primary keys of every model: equal before and after a restore."""
    result = {}
    for model in apps.get_models():
        label = model._meta.label
        if label.startswith(
            (
                "contenttypes.",
                "auth.Permission",
                "sessions.",
                "admin.LogEntry",
                "django_celery_beat.PeriodicTasks",
            )
        ):
            continue
        if model._meta.proxy or not model._meta.managed:
            continue
        pks = [str(pk) for pk in model._base_manager.order_by("pk").values_list("pk", flat=True)]
        result[label] = {
            "rows": len(pks),
            "checksum": hashlib.sha256(",".join(pks).encode()).hexdigest()[:16],
        }
    return result


class Command(BaseCommand):
    help = "Write var/backup/{data.json,media.tar.gz,manifest.json}."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(Path(settings.DATA_DIR) / "backup"))

    def handle(self, *args, output: str, **options):
        folder = Path(output)
        folder.mkdir(parents=True, exist_ok=True)
        buffer = StringIO()
        # One snapshot for the rows and their fingerprint, while the portal and its worker go on writing.
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            call_command("dumpdata", exclude=EXCLUDE, indent=None, stdout=buffer)
            tables = table_fingerprint()
        data = buffer.getvalue().encode()
        (folder / "data.json").write_bytes(data)
        folders = media_folders()
        with tarfile.open(folder / "media.tar.gz", "w:gz") as tar:
            for arcname, path in folders.items():
                if path.exists():
                    tar.add(path, arcname=arcname)
        manifest = {
            "tables": tables,
            "data_sha256": hashlib.sha256(data).hexdigest(),
            "media_files": sum(
                1 for path in folders.values() if path.exists() for p in path.rglob("*") if p.is_file()
            ),
        }
        (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(
            f"backup written to {folder}: {rows} rows in {len(manifest['tables'])} tables, "
            f"{manifest['media_files']} media files"
        )


def media_folders() -> dict[str, Path]:
    """The uploaded files: public media, and the private files kept beside it (mediation agreements)."""
    media = Path(settings.MEDIA_ROOT)
    return {"media": media, "media-private": media.with_name(f"{media.name}-private")}

"""Restore a backup made by ``manage.py backup`` and prove that nothing was lost."""

import hashlib
import json
import shutil
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from core.services import audit_maintenance

from .backup import media_folders, table_fingerprint


class Command(BaseCommand):
    help = "Replace the database contents and media with var/backup, then compare row counts and checksums."

    def add_arguments(self, parser):
        parser.add_argument("--input", default=str(Path(settings.DATA_DIR) / "backup"))
        parser.add_argument("--yes", action="store_true", help="Do not ask before replacing the data.")

    def handle(self, *args, input: str, yes: bool, **options):
        folder = Path(input)
        manifest = json.loads((folder / "manifest.json").read_text())
        data = (folder / "data.json").read_bytes()
        if hashlib.sha256(data).hexdigest() != manifest["data_sha256"]:
            raise CommandError("The backup file is damaged: its checksum does not match the manifest.")
        with transaction.atomic(), audit_maintenance():
            call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
            call_command("loaddata", str(folder / "data.json"), verbosity=0)
            self._reset_sequences()
            # Compared inside the transaction: what was restored, not what a running worker wrote since;
            # a difference rolls the whole restore back and leaves the data as it was.
            after = table_fingerprint()
            differ = [label for label, fp in manifest["tables"].items() if after.get(label) != fp]
            if differ:
                raise CommandError("Restore differs from the backup in: " + ", ".join(differ))
        folders = media_folders()
        staging = folders["media"].parent / ".restore-media"
        with tarfile.open(folder / "media.tar.gz", "r:gz") as tar:
            shutil.rmtree(staging, ignore_errors=True)
            tar.extractall(staging, filter="data")
        for arcname, path in folders.items():
            shutil.rmtree(path, ignore_errors=True)
            if (staging / arcname).exists():
                (staging / arcname).rename(path)
        shutil.rmtree(staging, ignore_errors=True)
        rows = sum(t["rows"] for t in after.values())
        self.stdout.write(
            f"restored from {folder}: identical row counts and checksums in {len(after)} tables "
            f"({rows} rows), {manifest['media_files']} media files"
        )

    def _reset_sequences(self):
        from django.apps import apps
        from django.core.management.color import no_style

        statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

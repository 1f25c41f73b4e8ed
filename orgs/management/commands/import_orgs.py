from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from core.models import User
from orgs.imports import SheetError, import_organizations


class Command(BaseCommand):
    help = (
        "Import organizations from an Excel (.xlsx) or CSV sheet. Nothing is imported while a row has an "
        "error, unless --valid-rows; importing the same sheet again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the .xlsx or .csv file")
        parser.add_argument(
            "--valid-rows", action="store_true", help="import the valid rows even if others fail"
        )
        parser.add_argument("--check", action="store_true", help="only validate; write nothing")
        parser.add_argument(
            "--as", dest="email", help="import as this staff member (limits the import to their street)"
        )

    def handle(self, *args, path: str, valid_rows: bool, check: bool, email: str | None, **options):
        actor = None
        if email:
            actor = User.objects.filter(email=email).first()
            if actor is None:
                raise CommandError(f"No user with e-mail {email}.")
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No such file: {path}")
        with translation.override(settings.LANGUAGE_CODE):
            try:
                report = import_organizations(
                    uploaded=file.read_bytes(),
                    filename=file.name,
                    actor=actor,
                    import_valid_rows=valid_rows,
                    dry_run=check,
                )
            except SheetError as exc:
                raise CommandError(str(exc)) from exc
            for row in report.error_rows:
                self.stdout.write(f"第{row.number}行 {row.name}：" + "；".join(row.errors))
            if report.imported:
                self.stdout.write(
                    self.style.SUCCESS(
                        f"imported: {report.created} new, {report.updated} updated, {report.unchanged} unchanged, "
                        f"{len(report.error_rows)} rows with errors left out"
                    )
                )
            else:
                self.stdout.write(
                    f"nothing imported: {report.valid_count} valid rows, {len(report.error_rows)} rows with errors"
                )
        if report.error_rows and not report.imported:
            raise CommandError("The sheet has errors; fix them or pass --valid-rows.")

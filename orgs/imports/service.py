"""The import service: validate every row, then write all of them, the valid ones, or none."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from ..models import Domain, Organization, Stage, StageChange
from ..services import save_organization
from .rows import RowResult, validate_rows
from .sheet import read_rows

BATCH = 1000


@dataclass
class ImportReport:
    rows: list[RowResult]
    imported: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def error_rows(self) -> list[RowResult]:
        return [r for r in self.rows if r.errors]

    @property
    def valid_count(self) -> int:
        return sum(1 for r in self.rows if r.ok)

    @property
    def is_clean(self) -> bool:
        return not self.error_rows


# ------------------------------------------------------------------ the service
@transaction.atomic
def import_organizations(
    *, uploaded, actor, filename: str = "", import_valid_rows: bool = False, dry_run: bool = False
) -> ImportReport:
    """Validate every row of a sheet, then import it: all of it when clean, only the valid rows
    when ``import_valid_rows``, nothing otherwise (or with ``dry_run``). Re-importing a file
    changes nothing: rows whose organization is already as the sheet says are left untouched."""
    report = ImportReport(rows=validate_rows(read_rows(uploaded, filename), actor=actor))
    if dry_run or (not report.is_clean and not import_valid_rows):
        return report
    valid = [r for r in report.rows if r.ok]
    names = {n for r in valid for n in r.domain_names}
    domains = {d.name: d for d in Domain.objects.filter(name__in=names)}
    missing = [Domain(name=n) for n in sorted(names - set(domains))]
    if missing:
        Domain.objects.bulk_create(missing, batch_size=BATCH)
        domains = {d.name: d for d in Domain.objects.filter(name__in=names)}

    new_rows = [r for r in valid if r.action == "create"]
    now = timezone.now()
    for row in new_rows:
        row.organization.stage_changed_at = now
    created = Organization.objects.bulk_create([r.organization for r in new_rows], batch_size=BATCH)
    StageChange.objects.bulk_create(
        [
            StageChange(
                organization=org, sequence=1, to_stage=Stage.INTRODUCE, moved_by=_user(actor), moved_at=now
            )
            for org in created
        ],
        batch_size=BATCH,
    )
    through = Organization.domains.through
    through.objects.bulk_create(
        [
            through(organization_id=row.organization.pk, domain_id=domains[name].pk)
            for row in new_rows
            for name in row.domain_names
        ],
        batch_size=BATCH,
    )
    for row in valid:
        if row.action == "update":
            save_organization(organization=row.organization, actor=actor)
            # The sheet adds domains; removing one is done on the organization's page.
            row.organization.domains.add(*[domains[n] for n in row.domain_names])
    report.imported = True
    report.created = len(new_rows)
    report.updated = sum(1 for r in valid if r.action == "update")
    report.unchanged = sum(1 for r in valid if r.action == "unchanged")
    return report


def _user(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None

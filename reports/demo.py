"""Demo reports: last month's report of 爱山街道 (street@example.com's street) and the district
roll-up, generated synchronously (no broker needed), so /reports/ is not empty. Idempotent."""

from core.demo import DISTRICT, HOME_STREET
from core.models import District, Street

from . import services
from .models import Report
from .periods import Period, Scope


def load(*, stdout) -> None:
    services.ensure_monthly_schedule()
    period = Period.last_month()
    scopes = [
        Scope.for_street(Street.objects.get(name=HOME_STREET, district__name=DISTRICT)),
        Scope.for_district(District.objects.get(name=DISTRICT)),
    ]
    made = 0
    for scope in scopes:
        report, created = services.request_report(
            scope=scope,
            period=period,
            requested_by=None,
            trigger=Report.Trigger.ADMIN,
            only_if_missing=True,
            queue=False,
        )
        if report.status in Report.IN_PROGRESS:
            services.generate_report(report_id=report.pk)
            made += 1
    stdout.write(f"reports: {period.label} reports of {HOME_STREET} and {DISTRICT} ({made} generated)")

"""Writes for reports: request a version, generate and publish it, tell the staff, keep the schedule."""

from __future__ import annotations

import datetime as dt
import logging
import time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Min, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.models import Center, District, Role, Street, User
from core.tasks import send_sms_task

from . import figures, tasks
from .models import CenterMonthFigures, Report, ReportNotice
from .periods import Period, Scope
from .sections import SECTIONS, SectionSpec, run_sections

logger = logging.getLogger(__name__)

SCHEMA = 1
MONTHLY_TASK_NAME = "reports: monthly reports for the month before"
MONTHLY_TASK = "reports.tasks.schedule_monthly_reports_task"


def scope_of(report: Report, by: str | None = None) -> Scope:
    default_by = "street" if report.kind == Report.Kind.DISTRICT else "center"
    return Scope(report.kind, report.district_id, report.street_id, report.center_id, by=by or default_by)


def _place_fields(scope: Scope) -> dict:
    return {
        "kind": scope.kind,
        "district_id": scope.district_id,
        "street_id": scope.street_id,
        "center_id": scope.center_id,
        "scope_key": scope.key,
    }


def request_report(
    *,
    scope: Scope,
    period: Period,
    requested_by: User | None,
    trigger: str = Report.Trigger.WEB,
    only_if_missing: bool = False,
    queue: bool = True,
) -> tuple[Report, bool]:
    """Queue a new version of ``scope``'s report for ``period``; returns (report, created).

    Two requests for the same report give one: while a version is queued or being generated,
    every request gets that version (a partial unique constraint, report_one_in_progress, makes
    the loser of a race fail and read the winner's row). ``only_if_missing`` (the monthly
    schedule) also returns an already published version instead of making a new one.
    ``queue=False`` leaves the generation to the caller (the demo data generates synchronously).
    """
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return _request_report(
                    scope=scope,
                    period=period,
                    requested_by=requested_by,
                    trigger=trigger,
                    only_if_missing=only_if_missing,
                    queue=queue,
                )
        except IntegrityError:
            # A concurrent request committed its version first; the next round reads it.
            logger.info("report %s %s requested concurrently; using the other request's", scope.key, period)
    raise IntegrityError(f"could not queue report {scope.key} {period}")


def _request_report(*, scope, period, requested_by, trigger, only_if_missing, queue) -> tuple[Report, bool]:
    same = Report.objects.filter(scope_key=scope.key, period=period.start)
    running = same.select_for_update().filter(status__in=Report.IN_PROGRESS).first()
    if running is not None:
        return running, False
    if only_if_missing:
        published = same.filter(status=Report.Status.PUBLISHED).order_by("-version").first()
        if published is not None:
            return published, False
    version = (same.aggregate(v=Max("version"))["v"] or 0) + 1
    report = Report(
        **_place_fields(scope),
        period=period.start,
        version=version,
        trigger=trigger,
        requested_by=requested_by if requested_by is not None and requested_by.is_authenticated else None,
    )
    # Uniqueness is left to the database: under a race only it can decide.
    report.full_clean(validate_unique=False, validate_constraints=False)
    report.save(force_insert=True)
    if queue:
        tasks.generate_report_task.delay_on_commit(report.pk)
    return report, True


def _lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.REPORT_LEASE_SECONDS)


def _claim(report_id: int) -> Report | None:
    """Mark a queued report as running (or take over a silent run); None when there is nothing to do.

    A run renews its heartbeat after each section; one silent for longer than the lease
    (REPORT_LEASE_SECONDS) lost its worker, and the re-delivered task takes it over.
    """
    with transaction.atomic():
        report = Report.objects.select_for_update().filter(pk=report_id).first()
        if report is None:
            return None
        now = timezone.now()
        last_sign = report.heartbeat_at or report.started_at
        stale = report.status == Report.Status.RUNNING and (last_sign is None or last_sign < now - _lease())
        if report.status != Report.Status.QUEUED and not stale:
            return None
        report.status = Report.Status.RUNNING
        report.started_at = report.heartbeat_at = now
        report.progress = 0
        report.save(update_fields=["status", "started_at", "heartbeat_at", "progress"])
        return report


def generate_report(*, report_id: int) -> Report | None:
    """Compute every section of a queued report and publish it; tell the staff it is ready.

    Idempotent: a report that is already published, failed, or being computed by another
    worker is left alone (returned as it is: still running in the last case). Progress and a
    heartbeat are committed after each section so the page can show it and a dead run is seen.
    Two runs of one version publish it once; the published contents never change afterwards (a
    database trigger refuses updates).
    """
    report = _claim(report_id)
    if report is None:
        return Report.objects.filter(pk=report_id).first()
    scope, period = scope_of(report), Period.of(report.period)
    pause = getattr(settings, "REPORT_TEST_SECTION_DELAY", 0)  # defined by the test settings only

    def on_progress(index: int, count: int, spec: SectionSpec) -> None:
        Report.objects.filter(pk=report.pk, status=Report.Status.RUNNING).update(
            progress=min(99, round(100 * index / count)), step=spec.title, heartbeat_at=timezone.now()
        )
        if pause:
            time.sleep(pause)

    try:
        sections = run_sections(period, scope, on_progress)
    except Exception as exc:  # recorded on the row for the staff and the admin, then re-raised
        Report.objects.filter(pk=report.pk, status=Report.Status.RUNNING).update(
            status=Report.Status.FAILED, error=f"{exc.__class__.__name__}: {exc}"[:2000]
        )
        raise
    data = {
        "schema": SCHEMA,
        "scope": {"kind": scope.kind, "label": scope.label, "by": scope.by},
        "period": period.key,
        "generated_at": timezone.now().isoformat(),
        "sections": sections,
    }
    report = publish_report(report=report, data=data)
    try:
        record_report_figures(report=report)
    except Exception:  # the report is out; the dashboard's half-hourly recount fills the gap
        logger.exception("report %s: its dashboard figures were not stored", report.pk)
    return report


@transaction.atomic
def publish_report(*, report: Report, data: dict) -> Report:
    """Store the contents and publish, once; the staff are told in the same transaction."""
    published = Report.objects.filter(pk=report.pk, status=Report.Status.RUNNING).update(
        status=Report.Status.PUBLISHED, progress=100, step="", data=data, published_at=timezone.now()
    )
    report.refresh_from_db()
    if published:
        notify_report_ready(report=report)
    return report


def _recipients(report: Report) -> list[User]:
    if report.trigger == Report.Trigger.SCHEDULE:
        if report.kind == Report.Kind.DISTRICT:
            who = Q(roles__role=Role.DISTRICT_ADMIN)
        else:
            who = Q(roles__role=Role.STREET_STAFF, roles__street_id=report.street_id)
        users = list(User.objects.filter(who, is_active=True).distinct())
    else:
        users = []
    if report.requested_by_id and report.requested_by_id not in {u.pk for u in users}:
        users.append(report.requested_by)
    return users


def notify_report_ready(*, report: Report) -> list[ReportNotice]:
    """One notice per recipient (shown on /me/), and a text message to those with a mobile number.

    Scheduled reports go to all the scope's staff; a report requested on the web to its requester.
    """
    users = _recipients(report)
    ReportNotice.objects.bulk_create(
        [ReportNotice(report=report, user=u, texted=bool(u.phone)) for u in users], ignore_conflicts=True
    )
    with translation.override(settings.LANGUAGE_CODE):
        body = _("Happy Neighborhood: the %(period)s report of %(scope)s is ready. Sign in to read it.") % {
            "period": report.period_label,
            "scope": report.scope_label,
        }
    for user in users:
        if user.phone:
            send_sms_task.delay_on_commit(user.phone, body)
    return list(ReportNotice.objects.filter(report=report))


def schedule_monthly_reports(*, period: Period | None = None) -> list[Report]:
    """Queue every street's report and each district's roll-up for ``period`` (default: last month).

    Idempotent: a report that already exists (published or in progress) is not made again.
    """
    period = period or Period.last_month()
    reports = []
    for district in District.objects.order_by("pk"):
        scope = Scope.for_district(district)
        reports.append(
            request_report(
                scope=scope,
                period=period,
                requested_by=None,
                trigger=Report.Trigger.SCHEDULE,
                only_if_missing=True,
            )[0]
        )
    for street in Street.objects.order_by("pk"):
        reports.append(
            request_report(
                scope=Scope.for_street(street),
                period=period,
                requested_by=None,
                trigger=Report.Trigger.SCHEDULE,
                only_if_missing=True,
            )[0]
        )
    return reports


@transaction.atomic
def ensure_monthly_schedule():
    """The beat entry (06:00 on the 1st of each month), editable in the admin. Idempotent."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    crontab, _created = CrontabSchedule.objects.get_or_create(
        minute="0",
        hour="6",
        day_of_week="*",
        day_of_month="1",
        month_of_year="*",
        timezone=settings.TIME_ZONE,
    )
    task, _created = PeriodicTask.objects.get_or_create(
        name=MONTHLY_TASK_NAME, defaults={"task": MONTHLY_TASK, "crontab": crontab}
    )
    return task


# ------------------------------------------------------------------ the dashboard's figures
def _store_figures(rows: list[CenterMonthFigures]) -> list[CenterMonthFigures]:
    # One statement, whatever the number of rows; a concurrent count of the same month just wins or loses.
    # Every writer (the beat, a page view, a published report) locks rows in the same order, so two
    # of them upserting overlapping months wait for each other instead of deadlocking.
    CenterMonthFigures.objects.bulk_create(
        sorted(rows, key=lambda row: (row.center_id, row.period)),
        update_conflicts=True,
        unique_fields=["center", "period"],
        update_fields=["counted_at", *figures.FIELDS],
    )
    return rows


def count_dashboard_figures(*, center_ids: list[int], periods: list[Period]) -> list[CenterMonthFigures]:
    """Count and store the dashboard's figures of ``center_ids`` for ``periods``; returns the rows.

    One grouped query per kind of figure over the months from the first period to the last, then
    one upsert: the cost does not grow with the number of centers or months. The rows are stamped
    with the time the counting began (what they are "as of").
    """
    if not center_ids or not periods:
        return []
    counted_at = timezone.now()
    counted = figures.count(center_ids, min(periods), max(periods))
    return _store_figures(
        [
            CenterMonthFigures(center_id=c, period=p.start, counted_at=counted_at, **counted[(c, p.key)])
            for c in center_ids
            for p in sorted(set(periods))
        ]
    )


def refresh_dashboard_figures() -> list[Period]:
    """Recount every center's figures of the current month, and of any month last counted before it
    ended (so each month is counted once more after its end); returns the months recounted."""
    current = Period.current()
    periods = {current}
    for row in (
        CenterMonthFigures.objects.filter(period__lt=current.start)
        .values("period")
        .annotate(oldest=Min("counted_at"))
        .order_by()
    ):
        period = Period.of(row["period"])
        if row["oldest"] < period.end_at:
            periods.add(period)
    center_ids = list(Center.objects.order_by("pk").values_list("pk", flat=True))
    for period in sorted(periods):  # month by month: a stale month long ago does not widen the range
        count_dashboard_figures(center_ids=center_ids, periods=[period])
    return sorted(periods)


def record_report_figures(*, report: Report) -> int:
    """Store a published street or center report's per-center figures as the dashboard's figures of
    its month, so that the dashboard and the report agree; returns the rows stored (0 for a district
    roll-up, whose rows are streets, or a report missing a section)."""
    if not report.is_published or report.kind == Report.Kind.DISTRICT:
        return 0
    per_center = figures.from_report(report.sections)
    if not per_center:
        return 0
    counted_at = report.started_at or report.published_at
    rows = [
        CenterMonthFigures(center_id=center_id, period=report.period, counted_at=counted_at, **values)
        for center_id, values in per_center.items()
    ]
    return len(_store_figures(rows))


__all__ = [
    "SECTIONS",
    "request_report",
    "generate_report",
    "publish_report",
    "notify_report_ready",
    "schedule_monthly_reports",
    "ensure_monthly_schedule",
    "scope_of",
    "count_dashboard_figures",
    "refresh_dashboard_figures",
    "record_report_figures",
]

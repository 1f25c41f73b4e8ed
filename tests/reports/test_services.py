"""Requesting, generating, publishing and scheduling reports."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from core.models import Center, Role
from core.services import grant_role
from core.sms import MemorySmsBackend
from reports import services, tasks
from reports.models import CenterMonthFigures, Report, ReportNotice
from reports.periods import Period, Scope
from reports.sections import SECTIONS
from tests.factories import UserFactory

from .factories import PERIOD, build_dataset, published_report
from .helpers import row_of


def street_scope(world, scope="own"):
    return Scope.for_street(world.center(scope).street)


@pytest.fixture
def no_worker(monkeypatch):
    """Requests stay queued: nothing runs the generation task."""
    queued = []
    monkeypatch.setattr(tasks.generate_report_task, "delay_on_commit", lambda pk: queued.append(pk))
    return queued


def test_a_request_queues_version_1_and_the_task_after_commit(world, no_worker):
    report, created = services.request_report(
        scope=street_scope(world), period=PERIOD, requested_by=world.user("street")
    )

    assert created and report.version == 1 and report.status == Report.Status.QUEUED
    assert report.scope_key == f"street:{world.center_a.street_id}" and report.period == dt.date(2025, 10, 1)
    assert no_worker == [report.pk]


def test_a_second_request_while_one_is_queued_gets_the_same_report(world, no_worker):
    first, _ = services.request_report(
        scope=street_scope(world), period=PERIOD, requested_by=world.user("street")
    )
    second, created = services.request_report(
        scope=street_scope(world), period=PERIOD, requested_by=world.user("district")
    )

    assert second.pk == first.pk and not created
    assert Report.objects.count() == 1 and no_worker == [first.pk]


def test_generation_publishes_every_section_and_tells_the_requester(
    world, django_capture_on_commit_callbacks
):
    build_dataset(world)
    with django_capture_on_commit_callbacks(execute=True):
        report, _ = services.request_report(
            scope=street_scope(world), period=PERIOD, requested_by=world.user("street")
        )
    report.refresh_from_db()

    assert report.status == Report.Status.PUBLISHED and report.progress == 100 and report.published_at
    assert [s["key"] for s in report.sections] == [spec.key for spec in SECTIONS]
    assert all(s["status"] == "ok" for s in report.sections)
    assert report.data["scope"]["label"] == world.center_a.street.name and report.data["period"] == "2025-10"
    notice = ReportNotice.objects.get(report=report)
    assert notice.user == world.user("street") and notice.texted
    assert [phone for phone, _body in MemorySmsBackend.outbox] == [world.user("street").phone]
    assert "2025年10月" in MemorySmsBackend.outbox[0][1]


def test_regenerating_a_published_report_makes_a_new_version_and_keeps_the_old(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        v1, _ = services.request_report(
            scope=street_scope(world), period=PERIOD, requested_by=world.user("street")
        )
    v1.refresh_from_db()
    before = (v1.data, v1.published_at)
    with django_capture_on_commit_callbacks(execute=True):
        v2, created = services.request_report(
            scope=street_scope(world), period=PERIOD, requested_by=world.user("street")
        )
    v1.refresh_from_db()
    v2.refresh_from_db()

    assert created and v2.version == 2 and v2.status == Report.Status.PUBLISHED
    assert (v1.data, v1.published_at) == before


def test_the_database_refuses_to_change_a_published_report(world):
    report = published_report(world, data={"sections": [{"key": "x"}]})

    with pytest.raises(DatabaseError), transaction.atomic():
        Report.objects.filter(pk=report.pk).update(data={"sections": []})
    with pytest.raises(DatabaseError), transaction.atomic():
        report.status = Report.Status.QUEUED
        report.save()
    report.refresh_from_db()
    assert report.data == {"sections": [{"key": "x"}]} and report.status == Report.Status.PUBLISHED


def test_deleting_the_requester_keeps_the_published_report(world):
    requester = UserFactory()
    report = published_report(world, requested_by=requester)

    requester.delete()
    report.refresh_from_db()

    assert report.requested_by is None and report.is_published


def test_generating_twice_publishes_once(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report, _ = services.request_report(
            scope=street_scope(world), period=PERIOD, requested_by=world.user("street")
        )
    report.refresh_from_db()
    published_at = report.published_at

    with django_capture_on_commit_callbacks(execute=True):
        again = services.generate_report(report_id=report.pk)

    assert again.published_at == published_at
    assert ReportNotice.objects.filter(report=report).count() == 1 and len(MemorySmsBackend.outbox) == 1


def test_a_run_whose_worker_died_is_taken_over_after_a_while(world, no_worker):
    report, _ = services.request_report(scope=street_scope(world), period=PERIOD, requested_by=None)
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.RUNNING, started_at=timezone.now() - dt.timedelta(hours=1)
    )

    services.generate_report(report_id=report.pk)

    report.refresh_from_db()
    assert report.status == Report.Status.PUBLISHED


def test_a_run_in_progress_elsewhere_is_left_alone(world, no_worker):
    report, _ = services.request_report(scope=street_scope(world), period=PERIOD, requested_by=None)
    Report.objects.filter(pk=report.pk).update(status=Report.Status.RUNNING, started_at=timezone.now())

    services.generate_report(report_id=report.pk)

    report.refresh_from_db()
    assert report.status == Report.Status.RUNNING


def test_an_unexpected_failure_marks_the_version_failed_and_a_new_request_makes_another(
    world, no_worker, monkeypatch
):
    report, _ = services.request_report(scope=street_scope(world), period=PERIOD, requested_by=None)

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "run_sections", explode)
    with pytest.raises(RuntimeError):
        services.generate_report(report_id=report.pk)

    report.refresh_from_db()
    assert report.status == Report.Status.FAILED and "disk full" in report.error
    retry, created = services.request_report(scope=street_scope(world), period=PERIOD, requested_by=None)
    assert created and retry.version == 2


def test_progress_is_committed_section_by_section(world, no_worker, monkeypatch):
    report, _ = services.request_report(scope=street_scope(world), period=PERIOD, requested_by=None)
    seen = []
    original = services.run_sections

    def watching(period, scope, on_progress):
        def spy(index, count, spec):
            on_progress(index, count, spec)
            seen.append(Report.objects.values_list("progress", "step").get(pk=report.pk))

        return original(period, scope, spy)

    monkeypatch.setattr(services, "run_sections", watching)
    services.generate_report(report_id=report.pk)

    assert seen[0] == (0, SECTIONS[0].title)
    assert [p for p, _step in seen] == sorted(p for p, _step in seen) and seen[-1][0] < 100


def test_the_monthly_schedule_queues_each_street_and_the_district_once(world, no_worker):
    period = Period.last_month()

    first = services.schedule_monthly_reports()
    again = services.schedule_monthly_reports()

    streets = {world.center_a.street_id, world.center_b.street_id}
    assert {r.street_id for r in first if r.kind == Report.Kind.STREET} == streets
    assert {r.kind for r in first} == {Report.Kind.STREET, Report.Kind.DISTRICT}
    assert all(r.period == period.start and r.trigger == Report.Trigger.SCHEDULE for r in first)
    assert [r.pk for r in again] == [r.pk for r in first]
    assert Report.objects.count() == len(first)


def test_a_scheduled_report_tells_all_the_streets_staff(world, django_capture_on_commit_callbacks):
    colleague = UserFactory()
    grant_role(user=colleague, role=Role.STREET_STAFF, street=world.center_a.street)
    with django_capture_on_commit_callbacks(execute=True):
        report, _ = services.request_report(
            scope=street_scope(world), period=PERIOD, requested_by=None, trigger=Report.Trigger.SCHEDULE
        )

    told = set(ReportNotice.objects.filter(report=report).values_list("user", flat=True))
    assert told == {world.user("street").pk, colleague.pk}
    assert {phone for phone, _body in MemorySmsBackend.outbox} == {
        world.user("street").phone,
        colleague.phone,
    }


def test_the_monthly_beat_entry_exists_once_and_runs_on_the_first(db):
    PeriodicTask.objects.filter(name=services.MONTHLY_TASK_NAME).delete()

    task = services.ensure_monthly_schedule()
    services.ensure_monthly_schedule()

    assert PeriodicTask.objects.filter(name=services.MONTHLY_TASK_NAME).count() == 1
    assert task.task == "reports.tasks.schedule_monthly_reports_task"
    assert (task.crontab.day_of_month, task.crontab.hour, task.crontab.minute) == ("1", "6", "0")
    assert str(task.crontab.timezone) == "Asia/Shanghai"


# ------------------------------------------------------------------ the dashboard's figures
def test_a_published_street_report_stores_its_centers_figures_for_the_dashboard(
    world, django_capture_on_commit_callbacks
):
    data = build_dataset(world)
    with django_capture_on_commit_callbacks(execute=True):
        report, _ = services.request_report(scope=street_scope(world), period=PERIOD, requested_by=None)
    report.refresh_from_db()

    stored = {f.center_id: f for f in CenterMonthFigures.objects.filter(period=PERIOD.start)}
    assert set(stored) == {data.center_a.pk, data.center_a2.pk}
    a = stored[data.center_a.pk]
    sections = {s["key"]: s for s in report.sections}
    assert (a.held, a.attended, a.residents) == (3, 3, 2)
    assert (a.visits, a.overdue, a.requests_received, a.requests_done) == (3, 1, 4, 2)
    assert a.verified_hours == Decimal("7.00") and a.counted_at == report.started_at
    assert row_of(sections["activities"], data.center_a2.name)["held"] == stored[data.center_a2.pk].held == 1


def test_counting_the_dashboard_figures_gives_what_the_report_sections_give(world):
    data = build_dataset(world)
    scope = data.street_scope

    rows = services.count_dashboard_figures(center_ids=scope.center_ids, periods=[PERIOD.shift(-1), PERIOD])

    counted = {(r.center_id, r.period): r for r in rows}
    a = counted[(data.center_a.pk, PERIOD.start)]
    assert (a.held, a.attended, a.residents, a.visits, a.overdue) == (3, 3, 2, 3, 1)
    assert (a.requests_received, a.requests_done, a.verified_hours) == (4, 2, Decimal("7.0"))
    before = counted[(data.center_a.pk, PERIOD.shift(-1).start)]
    assert (before.held, before.visits, before.requests_received, before.verified_hours) == (
        1,
        1,
        1,
        Decimal("1"),
    )
    assert CenterMonthFigures.objects.count() == 4


def test_the_recount_refreshes_the_current_month_and_months_counted_before_their_end(world):
    current, ended = Period.current(), Period.current().shift(-1)
    center_ids = [world.center_a.pk]
    services.count_dashboard_figures(center_ids=center_ids, periods=[PERIOD, ended, current])
    long_ago = timezone.now() - dt.timedelta(days=60)
    CenterMonthFigures.objects.filter(period__in=[ended.start, current.start]).update(counted_at=long_ago)
    final = CenterMonthFigures.objects.get(period=PERIOD.start).counted_at

    assert tasks.refresh_dashboard_figures_task.apply().get() == 2

    recounted = dict(
        CenterMonthFigures.objects.filter(center=world.center_a).values_list("period", "counted_at")
    )
    assert recounted[PERIOD.start] == final  # counted after it ended: left alone
    assert recounted[ended.start] > long_ago and recounted[current.start] > long_ago
    assert CenterMonthFigures.objects.filter(period=current.start).count() == Center.objects.count()


def test_the_dashboard_beat_entry_recounts_every_half_hour(db):
    task = PeriodicTask.objects.get(task="reports.tasks.refresh_dashboard_figures_task")

    assert (task.interval.every, task.interval.period) == (30, "minutes") and task.enabled


# ------------------------------------------------------------------ concurrency
def _concurrently(jobs: list, workers: int) -> list[Exception]:
    barrier = threading.Barrier(workers)
    errors: list[Exception] = []

    def run(job):
        try:
            barrier.wait()
            job()
        except Exception as exc:  # collected and asserted on below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_for_the_same_report_produce_one(no_worker):
    """Real threads, each with its own connection. On PostgreSQL the partial unique index makes the
    losers of the race read the winner's row; on SQLite the portal's BEGIN IMMEDIATE serialises them."""
    from tests.world import build_world

    world = build_world()
    scope = street_scope(world)
    got: list[tuple[int, bool]] = []

    def job():
        report, created = services.request_report(scope=scope, period=PERIOD, requested_by=None)
        got.append((report.pk, created))

    errors = _concurrently([job] * 8, workers=8)

    assert errors == []
    assert Report.objects.filter(scope_key=scope.key, period=PERIOD.start).count() == 1
    assert len({pk for pk, _created in got}) == 1 and sum(created for _pk, created in got) == 1
    assert len(no_worker) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_in_progress_constraint_refuses_a_second_queued_version(no_worker):
    from django.db import IntegrityError

    from tests.world import build_world

    world = build_world()
    report, _ = services.request_report(scope=street_scope(world), period=PERIOD, requested_by=None)
    twin = Report(
        kind=report.kind,
        district=report.district,
        street=report.street,
        scope_key=report.scope_key,
        period=report.period,
        version=2,
        trigger=Report.Trigger.WEB,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()

"""Requesting, generating, publishing and scheduling reports."""

import datetime as dt
import threading

import pytest
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from core.models import Role
from core.services import grant_role
from core.sms import MemorySmsBackend
from reports import services, tasks
from reports.models import Report, ReportNotice
from reports.periods import Period, Scope
from reports.sections import SECTIONS
from tests.factories import UserFactory

from .factories import PERIOD, build_dataset, published_report


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

"""Worker faults with a real prefork worker on Redis: a report is published exactly once.

Each report section pauses SECTION_DELAY seconds in these workers, so "mid-report" is a state the
test can see in the database (running, some progress) before it kills a process.
"""

import os
import signal
import time

from core.models import SmsMessage
from reports import services, tasks
from reports.models import Report, ReportNotice
from reports.periods import Scope
from tests.conftest import wait_for
from tests.reports.factories import PERIOD

from .conftest import LEASE, VISIBILITY_TIMEOUT


def _request(world):
    requester = world.user("street")
    report, created = services.request_report(
        scope=Scope.for_street(world.center_a.street), period=PERIOD, requested_by=requester
    )
    assert created
    return report, requester


def _mid_report(report: Report) -> Report:
    def running_with_progress():
        row = Report.objects.get(pk=report.pk)
        return row if row.status == Report.Status.RUNNING and row.progress > 0 else None

    row = wait_for(running_with_progress, timeout=60, interval=0.05)
    assert row, "the worker never started the report"
    return row


def _published_once(report: Report, requester, timeout: float) -> float:
    """Wait for the report; then check that it exists once, told its requester once. Returns seconds."""
    started = time.monotonic()
    done = wait_for(
        lambda: Report.objects.filter(pk=report.pk, status=Report.Status.PUBLISHED).exists(),
        timeout=timeout,
        interval=0.2,
    )
    elapsed = time.monotonic() - started
    assert done, f"not published within {timeout} s: {Report.objects.get(pk=report.pk).status}"
    # Let any re-delivered or retried copy of the task run out before counting.
    time.sleep(LEASE + 2)
    versions = Report.objects.filter(scope_key=report.scope_key, period=report.period)
    assert list(versions.values_list("version", "status")) == [(1, Report.Status.PUBLISHED)]
    assert ReportNotice.objects.filter(report=report).count() == 1
    assert list(SmsMessage.objects.values_list("phone", flat=True)) == [requester.phone]
    assert len(Report.objects.get(pk=report.pk).sections) > 1
    return elapsed


def test_killing_the_pool_process_mid_report_still_publishes_it_once_within_30_seconds(
    world, killable_workers
):
    worker = killable_workers.start()
    report, requester = _request(world)
    _mid_report(report)
    child = killable_workers.pool_process(worker)

    os.kill(child, signal.SIGKILL)

    _published_once(report, requester, timeout=30)
    assert worker.poll() is None, "the worker itself must survive the loss of a pool process"
    assert "WorkerLostError" in worker.log.read_text()


def test_killing_the_whole_worker_and_starting_another_publishes_the_report_once(world, killable_workers):
    worker = killable_workers.start()
    report, requester = _request(world)
    _mid_report(report)

    killable_workers.kill_all_of(worker)
    assert Report.objects.get(pk=report.pk).status == Report.Status.RUNNING
    killable_workers.start()

    # The README's promise is the visibility timeout plus two minutes; with the test's short
    # timeout and a sweep every second it takes seconds.
    elapsed = _published_once(report, requester, timeout=VISIBILITY_TIMEOUT + 120)
    assert elapsed < VISIBILITY_TIMEOUT + 60


def test_the_same_task_queued_twice_publishes_once_and_tells_the_requester_once(world, killable_workers):
    killable_workers.start()
    report, requester = _request(world)  # queues the generation once

    tasks.generate_report_task.delay(report.pk)  # ... and a duplicate of the same message

    _published_once(report, requester, timeout=60)

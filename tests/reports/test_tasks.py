"""Report generation in a real Celery worker, and the monthly beat task."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from reports import tasks
from reports.models import Report
from tests.conftest import wait_for

from .factories import PERIOD, build_dataset


def test_street_staff_generate_in_a_real_worker_and_follow_its_progress(
    celery_worker_process, flushable_audit_log, world, client
):
    build_dataset(world)
    client.force_login(world.user("street"))

    response = client.post(
        reverse("reports:generate"),
        {"scope": f"street:{world.center_a.street_id}", "month": PERIOD.key},
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 202
    status_url = response.json()["status_url"]
    seen = []

    def finished():
        status = client.get(status_url).json()
        seen.append(status["status"])
        return status if status["done"] or status["failed"] else None

    status = wait_for(finished, timeout=90, interval=0.1)
    assert status and status["done"], f"the worker did not publish the report: {seen[-5:]}"
    report = Report.objects.get(pk=response.json()["id"])
    assert report.status == Report.Status.PUBLISHED and all(s["status"] == "ok" for s in report.sections)
    book = load_workbook(io.BytesIO(client.get(status["xlsx_url"]).content))
    rows = {r[0].value: r for r in book["活动"].iter_rows(min_row=2)}
    assert rows[world.center_a.name][1].value == 3


def test_the_monthly_task_queues_last_months_reports_once(world, monkeypatch):
    queued = []
    monkeypatch.setattr(tasks.generate_report_task, "delay_on_commit", lambda pk: queued.append(pk))

    first = tasks.schedule_monthly_reports_task.delay().get()
    again = tasks.schedule_monthly_reports_task.delay().get()

    assert first == again == 3  # the district and its two streets
    assert Report.objects.count() == 3 and len(queued) == 3


def test_the_generation_task_of_an_unknown_report_does_nothing(db):
    tasks.generate_report_task.delay(987654)

    assert not Report.objects.exists()

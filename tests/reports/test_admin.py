"""The reports admin: read-only, scoped to the street, "generate again" makes a new version."""

import pytest
from django.urls import reverse

from reports import tasks
from reports.models import Report

from .factories import published_report


@pytest.fixture(autouse=True)
def _no_worker(monkeypatch):
    monkeypatch.setattr(tasks.generate_report_task, "delay_on_commit", lambda pk: None)


def test_street_staff_see_their_streets_reports_in_the_admin(world, client):
    own, other = published_report(world, "own"), published_report(world, "other")
    client.force_login(world.user("street"))

    page = client.get(reverse("admin:reports_report_changelist")).content.decode()

    assert reverse("admin:reports_report_change", args=[own.pk]) in page
    assert reverse("admin:reports_report_change", args=[other.pk]) not in page


def test_a_report_is_read_only_in_the_admin_even_for_the_superuser(world, client):
    report = published_report(world, "own")
    client.force_login(world.user("admin"))

    page = client.get(reverse("admin:reports_report_change", args=[report.pk]))
    post = client.post(reverse("admin:reports_report_change", args=[report.pk]), {"version": 9})

    assert page.status_code == 200 and 'name="version"' not in page.content.decode()
    assert post.status_code == 403
    assert client.get(reverse("admin:reports_report_delete", args=[report.pk])).status_code == 403
    assert client.get(reverse("admin:reports_report_add")).status_code == 403
    report.refresh_from_db()
    assert report.version == 1


def test_center_staff_do_not_see_reports_in_the_admin(world, client):
    client.force_login(world.user("manager"))

    assert client.get(reverse("admin:reports_report_changelist")).status_code == 403


def test_generate_again_from_the_admin_queues_a_new_version(world, client):
    report = published_report(world, "own")
    client.force_login(world.user("street"))

    response = client.post(
        reverse("admin:reports_report_changelist"),
        {"action": "generate_again", "_selected_action": [report.pk]},
    )

    assert response.status_code == 302
    new = Report.objects.exclude(pk=report.pk).get()
    assert new.version == 2 and new.status == Report.Status.QUEUED and new.trigger == Report.Trigger.ADMIN


def test_the_district_admin_sees_every_street_but_cannot_change_a_report(world, client):
    own, other = published_report(world, "own"), published_report(world, "other")
    client.force_login(world.user("district"))

    page = client.get(reverse("admin:reports_report_changelist")).content.decode()

    assert reverse("admin:reports_report_change", args=[own.pk]) in page
    assert reverse("admin:reports_report_change", args=[other.pk]) in page
    assert client.get(reverse("admin:reports_report_delete", args=[own.pk])).status_code == 403


def test_the_monthly_schedule_is_editable_in_the_admin(world, client):
    from django_celery_beat.models import PeriodicTask

    from reports.services import MONTHLY_TASK_NAME, ensure_monthly_schedule

    task = ensure_monthly_schedule()
    client.force_login(world.user("admin"))

    page = client.get(reverse("admin:django_celery_beat_periodictask_change", args=[task.pk]))

    assert page.status_code == 200 and MONTHLY_TASK_NAME in page.content.decode()
    assert PeriodicTask.objects.get(name=MONTHLY_TASK_NAME).enabled

import datetime as dt

from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from care import services, tasks
from care.models import Alert, Visit
from core.models import Role
from core.services import grant_role
from neighborhood.celery import app
from tests.conftest import wait_for
from tests.factories import CenterFactory, UserFactory

from .factories import RecipientFactory

TODAY = timezone.localdate


def test_the_daily_reminder_task_reminds_the_worker_of_an_overdue_recipient(world):
    worker = world.user("worker")
    recipient = RecipientFactory(center=world.center_a, social_worker=worker, risk_tier="high")
    services.record_visit(recipient=recipient, visited_by=worker, visited_on=TODAY() - dt.timedelta(days=9))

    result = tasks.send_visit_reminders_task.delay().get()

    assert result["reminders"] == 1
    assert Alert.objects.get(kind=Alert.Kind.DUE, recipient=recipient).addressee == worker
    assert tasks.send_visit_reminders_task.delay().get()["reminders"] == 0


def test_the_task_accepts_a_day(world):
    recipient = RecipientFactory(center=world.center_a, social_worker=world.user("worker"))
    services.refresh_cadence(recipient=recipient)
    assert (
        tasks.send_visit_reminders_task(today=(TODAY() - dt.timedelta(days=365)).isoformat())["reminders"]
        == 0
    )


def test_the_daily_tasks_are_registered_in_beat_and_editable(db):
    daily = PeriodicTask.objects.get(name="care: daily visit reminders")
    assert daily.task == "care.tasks.send_visit_reminders_task" and daily.enabled
    assert (daily.crontab.hour, daily.crontab.minute) == ("7", "30")
    assert PeriodicTask.objects.filter(task="care.tasks.anonymise_expired_recipients_task").exists()
    assert {
        "care.tasks.send_visit_reminders_task",
        "care.tasks.notify_crisis_task",
        "care.tasks.anonymise_expired_recipients_task",
    } <= set(app.tasks)


def test_the_retention_task_anonymises_old_closed_records(world, settings):
    settings.CARE_RETENTION_DAYS = 10
    RecipientFactory(center=world.center_a, status="closed", closed_on=TODAY() - dt.timedelta(days=11))
    assert tasks.anonymise_expired_recipients_task.delay().get() == 1


def test_a_crisis_reaches_the_manager_through_a_real_worker(flushable_audit_log, celery_worker_process):
    center = CenterFactory()
    worker, manager = UserFactory(), UserFactory()
    grant_role(user=worker, role=Role.SOCIAL_WORKER, center=center)
    grant_role(user=manager, role=Role.CENTER_MANAGER, center=center)
    recipient = RecipientFactory(center=center, social_worker=worker)

    visit = services.record_visit(
        recipient=recipient, visited_by=worker, kind=Visit.Kind.CRISIS, observations="老人说活着没意思"
    )

    alert = wait_for(lambda: Alert.objects.filter(kind=Alert.Kind.CRISIS, visit=visit).first(), timeout=60)
    assert alert is not None, "the worker did not deliver the crisis notice"
    assert alert.addressee == manager

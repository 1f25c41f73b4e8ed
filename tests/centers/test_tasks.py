import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from centers import notifications, services, tasks
from centers.models import Activity, Reminder, Signup
from core.sms import MemorySmsBackend
from tests.conftest import wait_for
from tests.factories import UserFactory

from .factories import ActivityFactory

pytestmark = pytest.mark.django_db


def _activity_starting_in(hours: float, **kwargs) -> Activity:
    return ActivityFactory(starts_at=timezone.now() + dt.timedelta(hours=hours), **kwargs)


def test_confirmed_attendees_get_the_24_hour_reminder_exactly_once():
    activity = _activity_starting_in(20, title="健康讲座")
    a, b = UserFactory(), UserFactory()
    services.sign_up(activity=activity, resident=a)
    services.sign_up(activity=activity, resident=b)

    assert tasks.queue_reminders_task() == 1
    tasks.queue_reminders_task()  # the beat fires again before the moment passes

    assert sorted(phone for phone, _ in MemorySmsBackend.outbox) == sorted([a.phone, b.phone])
    assert "健康讲座" in MemorySmsBackend.outbox[0][1]
    assert Reminder.objects.filter(hours_before=24).count() == 2
    assert tasks.send_activity_reminders_task(activity.pk, 24) == 0


def test_the_two_hour_reminder_follows_and_waitlisted_people_get_none():
    activity = _activity_starting_in(1.5, capacity=1)
    attendee, waiting = UserFactory(), UserFactory()
    services.sign_up(activity=activity, resident=attendee)
    services.sign_up(activity=activity, resident=waiting)
    Signup.objects.update(confirmed_at=timezone.now() - dt.timedelta(days=2))

    tasks.queue_reminders_task()

    assert [phone for phone, _ in MemorySmsBackend.outbox] == [attendee.phone]
    assert list(Reminder.objects.values_list("hours_before", flat=True)) == [2]


def test_no_reminder_after_cancellation():
    activity = _activity_starting_in(10)
    resident = UserFactory()
    signup = services.sign_up(activity=activity, resident=resident)
    services.cancel_signup(signup=signup, by=resident)
    tasks.queue_reminders_task()
    tasks.send_activity_reminders_task(activity.pk, 24)
    assert MemorySmsBackend.outbox == []
    assert not Reminder.objects.exists()


def test_nothing_is_sent_for_activities_far_ahead_past_or_cancelled():
    far = _activity_starting_in(48)
    cancelled = _activity_starting_in(10)
    for activity in (far, cancelled):
        services.sign_up(activity=activity, resident=UserFactory())
    Activity.objects.filter(pk=cancelled.pk).update(status=Activity.Status.CANCELLED)
    assert tasks.queue_reminders_task() == 0
    assert MemorySmsBackend.outbox == []


def test_reminder_moments_are_configurable(settings):
    settings.ACTIVITY_REMINDER_HOURS = (48,)
    activity = _activity_starting_in(40)
    services.sign_up(activity=activity, resident=UserFactory())
    tasks.queue_reminders_task()
    assert list(Reminder.objects.values_list("hours_before", flat=True)) == [48]


def test_residents_without_a_phone_are_reminded_by_e_mail():
    activity = _activity_starting_in(5)
    resident = UserFactory(phone=None, email="grandma@example.com")
    services.sign_up(activity=activity, resident=resident)
    tasks.queue_reminders_task()
    assert [m.to for m in mail.outbox] == [["grandma@example.com"]]
    assert Reminder.objects.get().channel == "email"


def test_a_late_run_does_not_send_the_24_hour_reminder_an_hour_before():
    lower, upper = notifications.reminder_window(24)
    assert upper - lower == dt.timedelta(hours=22)
    lower2, upper2 = notifications.reminder_window(2)
    assert upper2 - lower2 == dt.timedelta(hours=2)


def test_the_reminder_schedule_is_a_periodic_task_editable_in_the_admin():
    task = PeriodicTask.objects.get(task="centers.tasks.queue_reminders_task")
    assert task.enabled and task.interval is not None
    assert PeriodicTask.objects.filter(task="centers.tasks.extend_all_series_task").exists()


def test_a_failed_send_leaves_no_reminder_so_a_retry_sends_it(monkeypatch):
    activity = _activity_starting_in(5)
    services.sign_up(activity=activity, resident=UserFactory())

    def broken(**kwargs):
        raise OSError("gateway down")

    monkeypatch.setattr(notifications, "send_sms_batch", broken)
    with pytest.raises(OSError):
        notifications.send_activity_reminders(activity_id=activity.pk, hours_before=2)
    assert not Reminder.objects.exists()
    monkeypatch.undo()
    assert notifications.send_activity_reminders(activity_id=activity.pk, hours_before=2) == 1


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_reminders_once(celery_worker_process):
    activity = _activity_starting_in(3)
    signup = services.sign_up(activity=activity, resident=UserFactory())

    tasks.send_activity_reminders_task.delay(activity.pk, 24)
    tasks.send_activity_reminders_task.delay(activity.pk, 24)

    assert wait_for(lambda: Reminder.objects.filter(signup=signup, hours_before=24).exists(), timeout=60)
    tasks.send_activity_reminders_task.delay(activity.pk, 2)
    assert wait_for(lambda: Reminder.objects.filter(signup=signup, hours_before=2).exists(), timeout=60)
    assert Reminder.objects.filter(signup=signup).count() == 2


def test_a_crowd_is_reminded_in_batches_each_attendee_once(monkeypatch):
    monkeypatch.setattr(notifications, "REMINDER_BATCH", 3)
    activity = _activity_starting_in(5, capacity=10)
    residents = UserFactory.create_batch(7)
    for resident in residents:
        services.sign_up(activity=activity, resident=resident)
    already = Signup.objects.get(resident=residents[0])
    Reminder.objects.create(signup=already, hours_before=2, channel="sms")

    assert notifications.send_activity_reminders(activity_id=activity.pk, hours_before=2) == 6

    assert sorted(phone for phone, _ in MemorySmsBackend.outbox) == sorted(r.phone for r in residents[1:])
    assert Reminder.objects.filter(hours_before=2).count() == 7
    assert notifications.send_activity_reminders(activity_id=activity.pk, hours_before=2) == 0

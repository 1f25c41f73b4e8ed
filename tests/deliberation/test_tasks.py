"""Invitations and reminders by text message, and ending notice periods."""

import datetime as dt

import pytest
from django.utils import timezone

from core.sms import MemorySmsBackend
from deliberation import tasks
from deliberation.models import Meeting, Notice, Reminder
from tests.conftest import wait_for

from .factories import draft_meeting, notice_meeting


def _scheduled(**kwargs) -> Meeting:
    meeting = draft_meeting(**kwargs)
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.SCHEDULED)
    meeting.refresh_from_db()
    return meeting


@pytest.mark.django_db
def test_reminders_are_sent_once_per_participant_even_if_the_task_runs_twice():
    meeting = _scheduled(per_party=2)
    assert tasks.send_meeting_reminders_task(meeting.pk, "day_before") == 8
    assert tasks.send_meeting_reminders_task(meeting.pk, "day_before") == 0
    assert len(MemorySmsBackend.outbox) == 8
    assert Reminder.objects.filter(kind="day_before").count() == 8
    assert all("提醒" in body and meeting.topic in body for _phone, body in MemorySmsBackend.outbox)


@pytest.mark.django_db
def test_the_invitation_and_the_reminder_are_separate_messages():
    meeting = _scheduled()
    tasks.send_meeting_reminders_task(meeting.pk, "invitation")
    tasks.send_meeting_reminders_task(meeting.pk, "day_before")
    assert len(MemorySmsBackend.outbox) == 8
    assert sum("诚邀" in body for _p, body in MemorySmsBackend.outbox) == 4


@pytest.mark.django_db
def test_no_reminder_for_a_cancelled_or_past_meeting():
    cancelled = _scheduled()
    Meeting.objects.filter(pk=cancelled.pk).update(status=Meeting.Status.CANCELLED)
    past = _scheduled(
        starts_at=timezone.now() - dt.timedelta(hours=2), ends_at=timezone.now() - dt.timedelta(hours=1)
    )
    assert tasks.send_meeting_reminders_task(cancelled.pk, "day_before") == 0
    assert tasks.send_meeting_reminders_task(past.pk, "day_before") == 0
    assert MemorySmsBackend.outbox == []


@pytest.mark.django_db
def test_participants_without_a_mobile_number_are_skipped():
    meeting = _scheduled()
    meeting.participants.filter(party="resource").update(phone="")
    assert tasks.send_meeting_reminders_task(meeting.pk, "invitation") == 3


@pytest.mark.django_db
def test_the_periodic_task_reminds_meetings_starting_within_a_day_only():
    soon = _scheduled(
        starts_at=timezone.now() + dt.timedelta(hours=20), ends_at=timezone.now() + dt.timedelta(hours=22)
    )
    _scheduled(
        starts_at=timezone.now() + dt.timedelta(days=3),
        ends_at=timezone.now() + dt.timedelta(days=3, hours=2),
    )
    assert tasks.queue_meeting_reminders_task() == 1
    assert {phone for phone, _b in MemorySmsBackend.outbox} == set(
        soon.participants.values_list("phone", flat=True)
    )
    assert tasks.queue_meeting_reminders_task() == 0  # everyone reminded: nothing left to queue


@pytest.mark.django_db
def test_the_periodic_task_ends_expired_notices():
    notice = notice_meeting().notice
    Notice.objects.filter(pk=notice.pk).update(
        published_at=timezone.now() - dt.timedelta(days=8), ends_at=timezone.now() - dt.timedelta(minutes=5)
    )
    assert tasks.end_expired_notices_task() == 1
    notice.refresh_from_db()
    assert notice.status == Notice.Status.ENDED


def test_the_beat_schedule_holds_the_deliberation_tasks(db):
    from django_celery_beat.models import PeriodicTask

    names = set(PeriodicTask.objects.values_list("task", flat=True))
    assert {
        "deliberation.tasks.queue_meeting_reminders_task",
        "deliberation.tasks.end_expired_notices_task",
    } <= names


def test_a_real_worker_sends_the_invitations_of_a_scheduled_meeting(celery_worker_process):
    from deliberation import services

    meeting = draft_meeting(
        starts_at=timezone.now() + dt.timedelta(days=2),
        ends_at=timezone.now() + dt.timedelta(days=2, hours=2),
    )
    services.schedule_meeting(meeting=meeting, by=None)
    assert wait_for(lambda: Reminder.objects.filter(participant__meeting=meeting).count() == 4, timeout=60)

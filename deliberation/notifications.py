"""Text messages to participants: the invitation when a meeting is scheduled and a reminder the
day before. Each (participant, kind) is sent at most once: the Reminder row is written in the
same transaction as the send, and its unique constraint stops a second send."""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.sms import send_sms

from .models import Meeting, Participant, Reminder

REMIND_HOURS_BEFORE = 24


def message_for(meeting: Meeting, kind: str) -> str:
    when = timezone.localtime(meeting.starts_at)
    values = {"topic": meeting.topic, "when": f"{when:%Y-%m-%d %H:%M}", "place": place_of(meeting)}
    if kind == Reminder.Kind.INVITATION:
        return (
            _("[Happy Neighborhood] You are invited to the 3+1 meeting “%(topic)s” on %(when)s at %(place)s.")
            % values
        )
    return (
        _("[Happy Neighborhood] Reminder: the 3+1 meeting “%(topic)s” is on %(when)s at %(place)s.") % values
    )


def place_of(meeting: Meeting) -> str:
    return meeting.place


def send_meeting_reminders(*, meeting_id: int, kind: str) -> int:
    """Send ``kind`` to every participant of a scheduled meeting who has a mobile number and has
    not had it yet. Returns how many were sent; nothing for a cancelled or past meeting."""
    meeting = (
        Meeting.objects.filter(pk=meeting_id, status=Meeting.Status.SCHEDULED)
        .select_related("center", "space")
        .first()
    )
    if meeting is None or meeting.starts_at <= timezone.now():
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        body = message_for(meeting, kind)
    sent = 0
    for participant in Participant.objects.filter(meeting=meeting).select_related("user"):
        phone = participant.contact_phone
        if not phone:
            continue
        with transaction.atomic():
            try:
                with transaction.atomic():
                    Reminder.objects.create(participant=participant, kind=kind)
            except IntegrityError:
                continue  # already sent: the task ran before
            send_sms(phone=phone, body=body)  # a failure rolls the row back, and the task retries
        sent += 1
    return sent


def meetings_due_for_reminder(*, now: dt.datetime | None = None) -> list[int]:
    """Scheduled meetings starting within a day that still have someone to remind."""
    now = now or timezone.now()
    return list(
        Participant.objects.filter(
            meeting__status=Meeting.Status.SCHEDULED,
            meeting__starts_at__gt=now,
            meeting__starts_at__lte=now + dt.timedelta(hours=REMIND_HOURS_BEFORE),
        )
        .exclude(phone="", user__phone__isnull=True)
        .exclude(reminders__kind=Reminder.Kind.DAY_BEFORE)
        .values_list("meeting_id", flat=True)
        .distinct()
        .order_by("meeting_id")
    )

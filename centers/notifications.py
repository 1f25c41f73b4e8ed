"""Messages to residents: a seat freed from the waitlist, and reminders before an activity.

Reminders go out ``ACTIVITY_REMINDER_HOURS`` before the start (24 h and 2 h by default). The
Reminder rows of a batch are written in the same transaction as its messages are handed to the
backend, and a unique constraint on (sign-up, moment) makes a second run, or a concurrent one,
send nothing.
"""

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.sms import send_sms, send_sms_batch

from .models import Activity, Reminder, Signup

logger = logging.getLogger(__name__)
DEFAULT_REMINDER_HOURS = (24, 2)
# Reminders written and handed to the SMS backend per transaction.
REMINDER_BATCH = 500


def reminder_hours() -> list[int]:
    """The configured moments, largest first (settings.ACTIVITY_REMINDER_HOURS)."""
    hours = getattr(settings, "ACTIVITY_REMINDER_HOURS", DEFAULT_REMINDER_HOURS)
    return sorted({int(h) for h in hours if int(h) > 0}, reverse=True)


def reminder_window(hours: int, now: dt.datetime | None = None) -> tuple[dt.datetime, dt.datetime]:
    """Activities starting in (now + next smaller moment, now + hours] are due for this moment,
    so a late run never sends a 24-hour reminder one hour before the start."""
    now = now or timezone.now()
    moments = reminder_hours()
    smaller = [h for h in moments if h < hours]
    lower = now + dt.timedelta(hours=smaller[0]) if smaller else now
    return lower, now + dt.timedelta(hours=hours)


def _deliver(user, body: str, subject: str) -> str:
    if user.phone:
        send_sms(phone=user.phone, body=body)
        return "sms"
    if user.email:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        return "email"
    return "none"


def _describe(activity: Activity) -> dict:
    start = timezone.localtime(activity.starts_at)
    place = activity.center.name + (f" {activity.space.name}" if activity.space_id else "")
    return {"title": activity.title, "when": f"{start:%m-%d %H:%M}", "place": place}


def notify_promotion(*, signup_id: int) -> bool:
    signup = (
        Signup.objects.select_related("activity__center", "activity__space", "resident", "child")
        .filter(pk=signup_id, status=Signup.Status.CONFIRMED)
        .first()
    )
    if signup is None:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        info = _describe(signup.activity)
        who = f"{signup.child.name} " if signup.child_id else ""
        body = _(
            "[Happy Neighborhood] A seat has freed up: %(who)syou now have a confirmed place at "
            "%(title)s, %(when)s, %(place)s. Check-in code %(code)s."
        ) % {**info, "who": who, "code": signup.code}
        _deliver(signup.resident, body, _("You have a seat"))
    return True


def due_reminder_batches(now: dt.datetime | None = None) -> list[tuple[int, int]]:
    """(activity id, moment) pairs with at least one confirmed sign-up not yet reminded."""
    now = now or timezone.now()
    batches = []
    for hours in reminder_hours():
        lower, upper = reminder_window(hours, now)
        ids = (
            Signup.objects.filter(
                status=Signup.Status.CONFIRMED,
                activity__status=Activity.Status.PUBLISHED,
                activity__starts_at__gt=lower,
                activity__starts_at__lte=upper,
            )
            .exclude(reminders__hours_before=hours)
            .order_by()
            .values_list("activity_id", flat=True)
            .distinct()
        )
        batches += [(activity_id, hours) for activity_id in ids]
    return batches


def send_activity_reminders(*, activity_id: int, hours_before: int, now: dt.datetime | None = None) -> int:
    """Remind the activity's confirmed attendees who have not had this moment's reminder.

    Attendees are reminded in batches: each batch locks its sign-ups (a cancellation since means
    no reminder), writes its Reminder rows with one insert and hands its texts to the backend at
    once, all in one transaction, so a failed send leaves no row and a retry sends it.
    """
    now = now or timezone.now()
    activity = Activity.objects.select_related("center", "space").filter(pk=activity_id).first()
    if activity is None or activity.status != Activity.Status.PUBLISHED or activity.starts_at <= now:
        return 0
    pending = list(
        Signup.objects.filter(activity=activity, status=Signup.Status.CONFIRMED)
        .exclude(reminders__hours_before=hours_before)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        info = _describe(activity)
        for start in range(0, len(pending), REMINDER_BATCH):
            batch = pending[start : start + REMINDER_BATCH]
            try:
                sent += _remind_batch(batch, hours_before=hours_before, info=info)
            except IntegrityError:
                # Another run reminded some of them meanwhile: one by one, skipping those.
                sent += sum(
                    _remind_batch([pk], hours_before=hours_before, info=info, quiet=True) for pk in batch
                )
    logger.info("activity %s: %s reminders %sh before", activity_id, sent, hours_before)
    return sent


@transaction.atomic
def _remind_batch(signup_ids: list[int], *, hours_before: int, info: dict, quiet: bool = False) -> int:
    signups = list(
        Signup.objects.select_for_update(of=("self",))
        .filter(pk__in=signup_ids, status=Signup.Status.CONFIRMED)
        .exclude(reminders__hours_before=hours_before)
        .select_related("resident", "child")
        .order_by("pk")
    )
    reminders, texts, mails = [], [], []
    for signup in signups:
        who = f"{signup.child.name} " if signup.child_id else ""
        body = _(
            "[Happy Neighborhood] Reminder: %(who)s%(title)s starts at %(when)s, %(place)s. "
            "Check-in code %(code)s. Cannot come? Please cancel on My page so a neighbour gets the seat."
        ) % {**info, "who": who, "code": signup.code}
        resident = signup.resident
        if resident.phone:
            texts.append((resident.phone, body))
            channel = "sms"
        elif resident.email:
            mails.append((resident.email, body))
            channel = "email"
        else:
            channel = "none"
        reminders.append(Reminder(signup=signup, hours_before=hours_before, channel=channel))
    try:
        with transaction.atomic():
            Reminder.objects.bulk_create(reminders)
    except IntegrityError:
        if quiet:
            return 0  # this one was reminded by another run
        raise
    send_sms_batch(messages=texts)
    for email, body in mails:
        send_mail(_("Activity reminder"), body, settings.DEFAULT_FROM_EMAIL, [email])
    return len(reminders)

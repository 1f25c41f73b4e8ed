"""The public notice (公示) of a final plan, residents' objections, and closing the meeting.

An objection pauses the notice at once; the notice resumes when every objection has been
answered, and its end moves later by the time it stood paused, so residents always get the
full N days. The meeting can be closed only after the notice period is over.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import User

from ..models import Meeting, Notice, Objection
from .transitions import lock, move

MAX_NOTICE_DAYS = 90


@transaction.atomic
def publish_notice(*, meeting: Meeting, by: User | None, days: int | None = None) -> Notice:
    """Final plan → public notice for ``days`` days (the meeting's default when None)."""
    locked = lock(meeting, "publish_notice")
    days = days or locked.notice_days
    if not 1 <= days <= MAX_NOTICE_DAYS:
        raise ValidationError(_("A public notice lasts between 1 and 90 days."))
    if not locked.final_plan.strip():
        raise ValidationError(_("The final plan cannot be empty."))
    now = timezone.now()
    notice = Notice(
        meeting=locked,
        text=locked.final_plan,
        days=days,
        published_at=now,
        ends_at=now + dt.timedelta(days=days),
        published_by=by,
    )
    notice.full_clean()
    notice.save()
    move(locked, "publish_notice", by=by, caller=meeting)
    return notice


def _end_if_expired(notice: Notice, now: dt.datetime) -> None:
    if notice.status == Notice.Status.OPEN and notice.ends_at <= now:
        notice.status = Notice.Status.ENDED
        notice.save(update_fields=["status"])


@transaction.atomic
def file_objection(*, notice: Notice, author: User, text: str) -> Objection:
    """A signed-in resident objects to a posted plan; the notice pauses until it is answered.
    A resident has at most one objection waiting per notice (a double post files one)."""
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    now = timezone.now()
    _end_if_expired(notice, now)
    if notice.status == Notice.Status.ENDED:
        raise ValidationError(_("The notice period is over: objections can no longer be filed."))
    text = text.strip()
    if len(text) < 5:
        raise ValidationError(_("Please say what you object to, in a few words at least."))
    waiting = Objection.objects.filter(notice=notice, author=author, answered_at__isnull=True).first()
    if waiting is not None:
        if waiting.text == text:
            return waiting
        raise ValidationError(
            _(
                "Your earlier objection to this notice is still waiting for an answer; you can object again once it is answered."
            )
        )
    objection = Objection(notice=notice, author=author, text=text)
    objection.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            objection.save()
    except IntegrityError:
        return Objection.objects.get(notice=notice, author=author, answered_at__isnull=True)
    if notice.status == Notice.Status.OPEN:
        notice.status = Notice.Status.PAUSED
        notice.paused_at = now
        notice.save(update_fields=["status", "paused_at"])
    return objection


@transaction.atomic
def answer_objection(*, objection: Objection, answer: str, by: User | None) -> Objection:
    """Answer an objection (the answer is public). When none is left waiting, the notice resumes
    and its end moves later by the time it was paused."""
    notice = Notice.objects.select_for_update().get(pk=objection.notice_id)
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if objection.is_answered:
        raise ValidationError(_("This objection has already been answered."))
    if not answer.strip():
        raise ValidationError(_("Write the answer to the objection."))
    now = timezone.now()
    objection.answer = answer.strip()
    objection.answered_at = now
    objection.answered_by = by
    objection.save(update_fields=["answer", "answered_at", "answered_by"])
    still_waiting = Objection.objects.filter(notice=notice, answered_at__isnull=True).exists()
    if notice.status == Notice.Status.PAUSED and not still_waiting:
        notice.ends_at += now - notice.paused_at
        notice.status = Notice.Status.OPEN
        notice.paused_at = None
        notice.save(update_fields=["ends_at", "status", "paused_at"])
    return objection


def end_expired_notices(*, now: dt.datetime | None = None) -> int:
    """Mark notices whose period is over as ended (periodic task). Paused notices never end."""
    now = now or timezone.now()
    return Notice.objects.filter(status=Notice.Status.OPEN, ends_at__lte=now).update(
        status=Notice.Status.ENDED
    )


@transaction.atomic
def close_meeting(*, meeting: Meeting, by: User | None) -> Meeting:
    """Public notice → closed: only when the period is over and no objection is waiting."""
    locked = lock(meeting, "close")
    notice = Notice.objects.select_for_update().get(meeting=locked)
    now = timezone.now()
    _end_if_expired(notice, now)
    if notice.status == Notice.Status.PAUSED:
        raise ValidationError(_("The notice is paused by an objection: answer every objection first."))
    if notice.status == Notice.Status.OPEN:
        ends = timezone.localtime(notice.ends_at)
        raise ValidationError(
            _("The public notice runs until %(when)s; the meeting can be closed after that.")
            % {"when": f"{ends:%Y-%m-%d %H:%M}"}
        )
    return move(locked, "close", by=by, caller=meeting)

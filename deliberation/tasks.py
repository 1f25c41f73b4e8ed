"""Background work: invitations and reminders to participants, ending notice periods."""

from celery import shared_task

from . import notifications
from .services import end_expired_notices


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_meeting_reminders_task(meeting_id: int, kind: str) -> int:
    """Text each participant of one meeting; at most once per participant and kind."""
    return notifications.send_meeting_reminders(meeting_id=meeting_id, kind=kind)


@shared_task(acks_late=True)
def queue_meeting_reminders_task() -> int:
    """Periodic (beat): one reminder task per meeting starting within a day."""
    due = notifications.meetings_due_for_reminder()
    for meeting_id in due:
        send_meeting_reminders_task.delay(meeting_id, "day_before")
    return len(due)


@shared_task(acks_late=True)
def end_expired_notices_task() -> int:
    """Periodic (beat): notices whose period is over stop taking objections."""
    return end_expired_notices()

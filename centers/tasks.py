"""Background work: reminders before activities, telling promoted residents, recurring activities."""

from celery import shared_task

from . import notifications, services


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_promotion_task(signup_id: int) -> None:
    """Tell a resident moved from the waitlist to a seat. Skipped if they cancelled meanwhile."""
    notifications.notify_promotion(signup_id=signup_id)


@shared_task(acks_late=True)
def queue_reminders_task() -> int:
    """Periodic (beat): fan out one reminder task per activity and moment that is due."""
    due = notifications.due_reminder_batches()
    for activity_id, hours in due:
        send_activity_reminders_task.delay(activity_id, hours)
    return len(due)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_activity_reminders_task(activity_id: int, hours_before: int) -> int:
    """Remind each confirmed attendee of one activity; at most once per sign-up and moment."""
    return notifications.send_activity_reminders(activity_id=activity_id, hours_before=hours_before)


@shared_task(acks_late=True)
def extend_all_series_task() -> int:
    """Periodic (beat): keep every active recurring activity generated some weeks ahead."""
    return services.extend_all_series()

"""Background work for care: the daily cadence check, crisis notices, retention."""

import datetime as dt

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def send_visit_reminders_task(today: str | None = None) -> dict:
    """Daily (beat, editable in the admin): remind, escalate; idempotent through unique alerts."""
    run = services.send_due_reminders(today=dt.date.fromisoformat(today) if today else None)
    return {"reminders": run.reminders, "escalations": run.escalations, "messages": run.messages}


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_crisis_task(visit_id: int) -> int:
    """Queued on commit when a visit is flagged as a crisis; one notice per manager per visit."""
    return services.notify_crisis(visit_id=visit_id)


@shared_task(acks_late=True)
def anonymise_expired_recipients_task() -> int:
    """Nightly: erase personal data of records closed longer than CARE_RETENTION_DAYS."""
    return services.anonymise_expired_recipients()

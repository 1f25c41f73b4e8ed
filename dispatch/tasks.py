"""Background work: telling requesters and assignees, reminding dispatchers, purging drafts."""

from celery import shared_task

from . import notifications, services


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_requester_task(change_id: int) -> bool:
    """Tell the requester of one status change; at most once (the change row is marked)."""
    return notifications.notify_requester(change_id=change_id)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_assignee_task(assignment_id: int) -> bool:
    """Ask the assignee to accept or decline; nothing once the assignment has been answered."""
    return notifications.notify_assignee(assignment_id=assignment_id)


@shared_task(acks_late=True)
def remind_dispatchers_task() -> int:
    """Periodic (beat): reminder and escalation rows for requests left unassigned too long."""
    return services.queue_dispatch_reminders()


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_dispatchers_task(center_id: int, level: str) -> int:
    """Send one center's unsent reminders of one level as a digest; each row is sent once."""
    return notifications.notify_dispatchers(center_id=center_id, level=level)


@shared_task(acks_late=True)
def purge_pending_requests_task() -> int:
    """Periodic (beat): forget web requests whose SMS code was never typed (after a day)."""
    return services.purge_pending_requests()


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_call_wave_task(mobilisation_id: int, wave: int) -> int:
    """Text every volunteer of one wave of an emergency call; each is told once."""
    return notifications.notify_call_wave(mobilisation_id=mobilisation_id, wave=wave)


@shared_task(acks_late=True)
def escalate_mobilisation_task(mobilisation_id: int, wave: int) -> bool:
    """Queued with a countdown when a wave goes out: widen the call if too few are coming."""
    return services.escalate_mobilisation(call_id=mobilisation_id, wave_number=wave) is not None


@shared_task(acks_late=True)
def escalate_mobilisations_task() -> int:
    """Periodic (beat): the same check for every open call, in case a timer task was lost."""
    return services.escalate_due_mobilisations()

import socket

from celery import shared_task
from django.utils import timezone

from .models import WorkerPing
from .sms import send_sms


@shared_task(acks_late=True)
def ping_worker_task(token: str) -> None:
    """Mark a ping done: proves that a task queued from the web ran in a worker. Idempotent."""
    WorkerPing.objects.filter(token=token, done_at__isnull=True).update(
        done_at=timezone.now(), hostname=socket.gethostname()
    )


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_sms_task(phone: str, body: str) -> None:
    send_sms(phone=phone, body=body)

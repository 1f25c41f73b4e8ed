"""Pluggable SMS sending. ``SMS_BACKEND`` names a class with ``send(phone, body)``.

A real provider (Aliyun, Tencent Cloud, ...) is a subclass of ``SmsBackend`` whose ``send``
calls the provider's API; nothing else in the portal changes.
"""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsBackend:
    def send(self, phone: str, body: str) -> None:
        raise NotImplementedError

    def send_many(self, messages: list[tuple[str, str]]) -> None:
        """Several (phone, body) messages at once; a provider with a batch API overrides this."""
        for phone, body in messages:
            self.send(phone, body)


class ConsoleSmsBackend(SmsBackend):
    """Development: writes the message to the log and keeps it in the database."""

    def send(self, phone: str, body: str) -> None:
        from .models import SmsMessage

        SmsMessage.objects.create(phone=phone, body=body[:500])
        logger.warning("SMS to %s: %s", phone, body)

    def send_many(self, messages: list[tuple[str, str]]) -> None:
        from .models import SmsMessage

        SmsMessage.objects.bulk_create([SmsMessage(phone=phone, body=body[:500]) for phone, body in messages])
        for phone, body in messages:
            logger.warning("SMS to %s: %s", phone, body)


class MemorySmsBackend(SmsBackend):
    """Tests: keeps messages in a list the test can read."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, body: str) -> None:
        MemorySmsBackend.outbox.append((phone, body))

    def send_many(self, messages: list[tuple[str, str]]) -> None:
        MemorySmsBackend.outbox.extend(messages)


def send_sms(*, phone: str, body: str) -> None:
    import_string(settings.SMS_BACKEND)().send(phone, body)


def send_sms_batch(*, messages: list[tuple[str, str]]) -> None:
    """Hand several (phone, body) messages to the backend in one call."""
    if messages:
        import_string(settings.SMS_BACKEND)().send_many(messages)

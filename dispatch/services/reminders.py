"""Reminding the dispatcher of requests left unassigned, and escalating them.

A request still ``new`` N hours after it started waiting gets a reminder row; after M hours an
escalation row. The unique constraint on (request, level, waiting spell) makes a second run,
or a concurrent one, create nothing more; rows are sent once, center by center, as a digest.
"""

import datetime as dt

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from .. import selectors
from ..models import DispatchReminder
from .service_requests import remind_hours

BATCH = 500  # per level and run; the next run takes the rest


def queue_dispatch_reminders(*, now: dt.datetime | None = None) -> int:
    """Write the reminder and escalation rows that are due; queue one digest per center and level."""
    now = now or timezone.now()
    remind_after, escalate_after = remind_hours()
    windows = [
        (DispatchReminder.Level.ESCALATE, now - dt.timedelta(hours=escalate_after), None),
        (
            DispatchReminder.Level.REMIND,
            now - dt.timedelta(hours=remind_after),
            now - dt.timedelta(hours=escalate_after),
        ),
    ]
    created = 0
    digests: set[tuple[int, str]] = set()
    with transaction.atomic():
        for level, since, not_before in windows:
            due = selectors.waiting_too_long(since=since).exclude(
                Exists(
                    DispatchReminder.objects.filter(
                        request=OuterRef("pk"), level=level, waiting_since=OuterRef("waiting_since")
                    )
                )
            )
            if not_before is not None:
                due = due.filter(waiting_since__gt=not_before)
            rows = list(due.order_by("waiting_since").values_list("pk", "waiting_since", "center_id")[:BATCH])
            DispatchReminder.objects.bulk_create(
                [
                    DispatchReminder(request_id=pk, level=level, waiting_since=ws, created_at=now)
                    for pk, ws, _c in rows
                ],
                ignore_conflicts=True,
            )
            created += len(rows)
            digests |= {(center_id, level) for _pk, _ws, center_id in rows}
        from ..tasks import notify_dispatchers_task

        for center_id, level in sorted(digests):
            notify_dispatchers_task.delay_on_commit(center_id, level)
    return created

"""Reminder fan-out: 10,000 reminders due, one beat tick, a real Celery worker, timed to the last one.

The data set's own due sign-ups are marked as reminded first (an earlier tick sent them), so the
tick finds exactly the benchmark's activities: 50 of 200 confirmed residents each, starting
inside the first reminder moment's window. The clock runs from queueing the beat's task
(``queue_reminders_task``, which fans out one task per activity) to the last reminder row.
"""

from __future__ import annotations

import datetime as dt
import math
import time

from django.db.models import Count
from django.utils import timezone

from .processes import celery_worker, purge_broker, running, wait_for_workers
from .results import table

PER_ACTIVITY = 200
RATE = 1000  # reminders a second: 10,000 in 10 s


def reminder_count(scale: float) -> int:
    return 10_000 if scale >= 0.1 else 2_000


def mark_due_as_sent(now: dt.datetime) -> int:
    """Record the data set's due reminders as sent, so that only the benchmark's are due."""
    from centers.models import Activity, Reminder, Signup
    from centers.notifications import reminder_hours, reminder_window

    marked = 0
    for hours in reminder_hours():
        lower, upper = reminder_window(hours, now)
        # A little beyond the window: the clock moves while the benchmark runs.
        ids = Signup.objects.filter(
            status=Signup.Status.CONFIRMED,
            activity__status=Activity.Status.PUBLISHED,
            activity__starts_at__gt=lower - dt.timedelta(hours=1),
            activity__starts_at__lte=upper + dt.timedelta(hours=1),
        ).values_list("pk", flat=True)
        rows = [Reminder(signup_id=pk, hours_before=hours, channel="bench") for pk in ids]
        Reminder.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
        marked += len(rows)
    return marked


def make_due_activities(
    *, count: int, now: dt.datetime, centers: list[int], residents: list[int], label: str
) -> list[int]:
    """``count`` confirmed sign-ups on new activities that are due for the first reminder moment."""
    from centers.models import Activity, Signup
    from centers.notifications import reminder_hours, reminder_window

    hours = reminder_hours()[0]
    lower, upper = reminder_window(hours, now)
    starts_at = lower + (upper - lower) * 3 / 4
    activities = Activity.objects.bulk_create(
        [
            Activity(
                center_id=centers[i % len(centers)],
                title=f"{label}{i:03d}",
                category="culture",
                starts_at=starts_at + dt.timedelta(minutes=i % 50),
                ends_at=starts_at + dt.timedelta(minutes=i % 50 + 90),
                capacity=PER_ACTIVITY,
                confirmed_count=0,
                status=Activity.Status.PUBLISHED,
            )
            for i in range(math.ceil(count / PER_ACTIVITY))
        ]
    )
    signups = []
    left = count
    for n, activity in enumerate(activities):
        take = min(PER_ACTIVITY, left)
        offset = (n * 37) % max(1, len(residents) - take)
        for k, resident in enumerate(residents[offset : offset + take]):
            signups.append(
                Signup(
                    activity=activity,
                    resident_id=resident,
                    status=Signup.Status.CONFIRMED,
                    signed_up_at=now,
                    confirmed_at=now,
                    code=f"{(n * PER_ACTIVITY + k) % 1_000_000:06d}",
                )
            )
        left -= take
    Signup.objects.bulk_create(signups, batch_size=5000)
    for activity in activities:
        taken = sum(1 for s in signups if s.activity_id == activity.pk)
        Activity.objects.filter(pk=activity.pk).update(confirmed_count=taken)
    return [a.pk for a in activities]


def residents_with_phones(limit: int = 20_000) -> list[int]:
    from core.models import User

    return list(
        User.objects.filter(phone__startswith="17").order_by("pk").values_list("pk", flat=True)[:limit]
    )


def measure_reminders(context) -> None:
    from centers.models import Reminder
    from centers.tasks import queue_reminders_task
    from core.models import SmsMessage

    run, stdout = context.run, context.stdout
    count = reminder_count(context.scale)
    now = timezone.now()
    purge_broker()
    marked = mark_due_as_sent(now)
    residents = residents_with_phones()
    if len(residents) < PER_ACTIVITY:
        raise RuntimeError(f"only {len(residents)} residents with a mobile number; {PER_ACTIVITY} needed")
    centers = [context.world.center.pk]
    activity_ids = make_due_activities(
        count=count, now=now, centers=centers, residents=residents, label="基准提醒"
    )
    sms_before = SmsMessage.objects.count()
    worker = celery_worker("bench-reminders", concurrency=2)
    with running(worker):
        ready_s = wait_for_workers(["bench-reminders"])
        start = time.monotonic()
        queue_reminders_task.delay()
        sent = 0
        deadline = start + max(120, 20 * count / RATE)
        while time.monotonic() < deadline:
            sent = Reminder.objects.filter(signup__activity_id__in=activity_ids).count()
            if sent >= count:
                break
            time.sleep(0.1)
        elapsed = time.monotonic() - start
    per_activity = dict(
        Reminder.objects.filter(signup__activity_id__in=activity_ids)
        .values("signup__activity_id")
        .annotate(n=Count("id"))
        .values_list("signup__activity_id", "n")
    )
    texts = SmsMessage.objects.count() - sms_before
    limit = 10.0 * count / 10_000
    result = {
        "reminders_due": count,
        "reminders_sent": sent,
        "text_messages_sent": texts,
        "activities": len(activity_ids),
        "already_reminded_in_data_set": marked,
        "seconds": round(elapsed, 2),
        "per_second": round(sent / elapsed, 1) if elapsed else None,
        "worker_concurrency": 2,
        "worker_ready_seconds": round(ready_s, 1),
        "activities_complete": sum(1 for n in per_activity.values() if n == PER_ACTIVITY),
    }
    run.sections["reminders"] = result
    stdout.write(
        table(
            ["reminders", "sent", "texts", "seconds", "per second"],
            [[count, sent, texts, f"{elapsed:.2f}", result["per_second"]]],
        )
    )
    run.target(f"{count:,} reminders sent through a real worker", sent, count, "", at_least=True)
    run.target(f"{count:,} reminders, seconds", round(elapsed, 2), limit, " s", timing=True)

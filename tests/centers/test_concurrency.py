"""No overbooking under concurrency: real threads, each with its own database connection.

On PostgreSQL the activity row lock (SELECT ... FOR UPDATE) serialises the sign-ups; on SQLite
the portal's BEGIN IMMEDIATE transactions do. The same scenario runs on both.
"""

import threading

import pytest
from django.db import close_old_connections, connection

from centers import services
from centers.models import Activity, Signup
from core.models import User

from .factories import ActivityFactory

WORKERS = 25  # PostgreSQL's default max_connections is 100, shared with other test runs


def _run_concurrently(jobs: list, workers: int = WORKERS) -> list[Exception]:
    barrier = threading.Barrier(workers)
    errors: list[Exception] = []

    def worker(share):
        try:
            barrier.wait()
            for job in share:
                job()
        except Exception as exc:  # collected and asserted on below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker, args=(jobs[i::workers],)) for i in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_200_concurrent_sign_ups_for_20_seats_give_20_confirmed_and_180_waitlisted():
    activity = ActivityFactory(capacity=20)
    User.objects.bulk_create([User(phone=f"176{i:08d}", real_name=f"居民{i}") for i in range(200)])
    residents = list(User.objects.filter(phone__startswith="176"))

    def job(resident):
        return lambda: services.sign_up(activity=Activity(pk=activity.pk), resident=resident)

    errors = _run_concurrently([job(r) for r in residents])

    assert errors == []
    statuses = list(Signup.objects.filter(activity=activity).values_list("status", flat=True))
    assert statuses.count(Signup.Status.CONFIRMED) == 20
    assert statuses.count(Signup.Status.WAITLISTED) == 180
    activity.refresh_from_db()
    assert activity.confirmed_count == 20


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_cancellations_promote_exactly_as_many_as_seats_freed():
    activity = ActivityFactory(capacity=10)
    User.objects.bulk_create([User(phone=f"175{i:08d}") for i in range(40)])
    residents = list(User.objects.filter(phone__startswith="175").order_by("pk"))
    signups = [services.sign_up(activity=activity, resident=r) for r in residents]
    confirmed = [s for s in signups if s.status == Signup.Status.CONFIRMED]

    def job(signup):
        return lambda: services.cancel_signup(signup=signup, by=signup.resident)

    errors = _run_concurrently([job(s) for s in confirmed], workers=10)

    assert errors == []
    statuses = list(Signup.objects.filter(activity=activity).values_list("status", flat=True))
    assert statuses.count(Signup.Status.CANCELLED) == 10
    assert statuses.count(Signup.Status.CONFIRMED) == 10
    assert statuses.count(Signup.Status.WAITLISTED) == 20
    activity.refresh_from_db()
    assert activity.confirmed_count == 10


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_of_one_slot_give_exactly_one():
    from django.core.exceptions import ValidationError

    from .factories import SpaceFactory
    from .test_services import at

    space = SpaceFactory()
    outcomes: list[str] = []

    def job():
        try:
            services.book_space(space=space, starts_at=at(0), ends_at=at(2), purpose="议事", booked_by=None)
            outcomes.append("booked")
        except ValidationError:
            outcomes.append("refused")

    errors = _run_concurrently([job for _ in range(20)], workers=20)
    assert errors == []
    assert sorted(outcomes) == ["booked"] + ["refused"] * 19

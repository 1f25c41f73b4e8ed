"""Concurrent writes against a real database, each thread on its own connection.

On PostgreSQL (CI) the row locks compete for real. SQLite runs the same scenario with fewer
threads: its BEGIN IMMEDIATE transactions serialise writers, so it checks the logic, not
the locks. ``manage.py bench_redemptions`` (``make bench``) runs 10,000 redemptions.
"""

from decimal import Decimal
from threading import Barrier, Thread

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from tests.factories import CenterFactory
from volunteers import bench, services
from volunteers.models import HourRecord, LedgerEntry, PointAccount, Redemption, ShopItem

from .factories import TeamFactory, make_volunteer

POSTGRES = connection.vendor == "postgresql"


def _in_threads(count: int, work) -> list[str]:
    barrier = Barrier(count)
    errors: list[str] = []

    def run():
        try:
            barrier.wait()
            work()
        except ValidationError:
            pass
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()

    threads = [Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.postgres
def test_concurrent_redemptions_never_take_a_balance_or_a_stock_below_zero(transactional_db):
    threads, attempts = (16, 30) if connection.vendor == "postgresql" else (4, 10)
    points_each = 200
    items = [(30, 8), (70, 500)]  # the first runs out of stock, the second exhausts balances
    volunteer_ids, item_ids = bench.prepare(
        center=CenterFactory(), volunteers=4, points_each=points_each, items=items
    )
    outcome = bench.hammer(volunteer_ids=volunteer_ids, item_ids=item_ids, threads=threads, attempts=attempts)

    assert outcome.errors == []
    assert outcome.redeemed + outcome.refused == threads * attempts
    assert outcome.redeemed > 0 and outcome.refused > 0  # both limits were reached
    stock = dict(zip(item_ids, [s for _p, s in items], strict=True))
    assert (
        bench.problems(volunteer_ids=volunteer_ids, item_ids=item_ids, points_each=points_each, stock=stock)
        == []
    )
    assert all(item.stock >= 0 for item in ShopItem.objects.filter(pk__in=item_ids))
    assert all(a.balance >= 0 for a in PointAccount.objects.filter(volunteer_id__in=volunteer_ids))
    assert ShopItem.objects.get(pk=item_ids[0]).stock < 2  # the scarce item really sold out


@pytest.mark.postgres
def test_concurrent_cancellations_refund_once(transactional_db):
    volunteer = make_volunteer(points=100)
    item = ShopItem.objects.create(
        shop=bench.Shop.objects.create(center=volunteer.center, name="匠心坊"),
        counter="points",
        name="雨伞",
        point_price=60,
        stock=3,
    )
    redemption = services.redeem_item(volunteer=volunteer, item=item, notify=False)
    errors = _in_threads(
        8 if POSTGRES else 3, lambda: services.cancel_redemption(redemption=redemption, by=volunteer.user)
    )
    assert errors == []
    assert LedgerEntry.objects.filter(redemption=redemption, kind=LedgerEntry.Kind.REFUND).count() == 1
    assert PointAccount.objects.get(volunteer=volunteer).balance == 100
    assert ShopItem.objects.get(pk=item.pk).stock == 3
    assert Redemption.objects.get(pk=redemption.pk).status == Redemption.Status.CANCELLED


@pytest.mark.postgres
def test_concurrent_verifications_credit_points_once(transactional_db):
    team = TeamFactory()
    volunteer = make_volunteer(team=team)
    record = services.record_hours(
        volunteer=volunteer, team=team, served_on=timezone.localdate(), hours=Decimal("3"), by=team.leader
    )
    errors = _in_threads(8 if POSTGRES else 3, lambda: services.verify_hours(record=record, by=team.leader))
    assert errors == []
    assert HourRecord.objects.get(pk=record.pk).status == HourRecord.Status.VERIFIED
    assert LedgerEntry.objects.filter(hour_record=record).count() == 1
    total = LedgerEntry.objects.filter(account__volunteer=volunteer).aggregate(s=Sum("amount"))["s"]
    assert PointAccount.objects.get(volunteer=volunteer).balance == total == 30

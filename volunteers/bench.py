"""Concurrent redemptions against the real database: used by the concurrency test (a few hundred
attempts) and by ``manage.py bench_redemptions`` (10,000 attempts, for ``make bench``).

Each worker thread has its own database connection (Django's connections are per thread), so
on PostgreSQL the row locks of ``redeem_item`` really compete.
"""

import random
import threading
import time
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection
from django.db.models import Sum

from core.models import Center, User

from . import services
from .models import LedgerEntry, PointAccount, Redemption, Shop, ShopItem


@dataclass
class Outcome:
    redeemed: int = 0
    refused: int = 0
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0


def prepare(
    *, center: Center, volunteers: int, points_each: int, items: list[tuple[int, int]]
) -> tuple[list[int], list[int]]:
    """``volunteers`` volunteers with ``points_each`` points and a shop with ``items`` (price, stock)."""
    tag = uuid.uuid4().hex[:8]
    volunteer_ids = []
    for i in range(volunteers):
        user = User.objects.create_user(
            email=f"bench-{tag}-{i}@bench.example.com", real_name=f"压测志愿者{i}"
        )
        volunteer = services.register_volunteer(
            user=user, center=center, real_name=user.real_name, consent=True
        )
        services.adjust_points(volunteer=volunteer, amount=points_each, reason="压测初始积分", by=None)
        volunteer_ids.append(volunteer.pk)
    shop = Shop.objects.create(center=center, name=f"压测匠心坊{tag}")
    item_ids = [
        ShopItem.objects.create(
            shop=shop, counter="points", name=f"压测商品{n}", point_price=price, stock=stock
        ).pk
        for n, (price, stock) in enumerate(items)
    ]
    return volunteer_ids, item_ids


def hammer(
    *, volunteer_ids: list[int], item_ids: list[int], threads: int, attempts: int, seed: int = 7
) -> Outcome:
    """``threads`` threads each try ``attempts`` redemptions of a random item by a random volunteer."""
    from .models import Volunteer

    volunteers = list(Volunteer.objects.filter(pk__in=volunteer_ids).select_related("user"))
    items = list(ShopItem.objects.filter(pk__in=item_ids))
    outcome = Outcome()
    lock = threading.Lock()
    start = threading.Barrier(threads)

    def work(n: int) -> None:
        rng = random.Random(seed + n)
        redeemed = refused = 0
        errors = []
        try:
            start.wait()
            for _ in range(attempts):
                try:
                    services.redeem_item(
                        volunteer=rng.choice(volunteers),
                        item=rng.choice(items),
                        quantity=rng.choice((1, 1, 2)),
                        notify=False,
                    )
                    redeemed += 1
                except ValidationError:
                    refused += 1
                except Exception as exc:  # anything else (a deadlock, an integrity error) is a failure
                    errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            close_old_connections()
            connection.close()
            with lock:
                outcome.redeemed += redeemed
                outcome.refused += refused
                outcome.errors.extend(errors)

    began = time.monotonic()
    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    outcome.seconds = time.monotonic() - began
    return outcome


def problems(
    *, volunteer_ids: list[int], item_ids: list[int], points_each: int, stock: dict[int, int]
) -> list[str]:
    """What is wrong after the run (nothing, if the invariants hold)."""
    found = []
    for item in ShopItem.objects.filter(pk__in=item_ids):
        reserved = Redemption.objects.filter(item=item).aggregate(n=Sum("quantity"))["n"] or 0
        if item.stock < 0 or item.stock != stock[item.pk] - reserved:
            found.append(f"item {item.pk}: stock {item.stock}, started {stock[item.pk]}, {reserved} redeemed")
    for account in PointAccount.objects.filter(volunteer_id__in=volunteer_ids):
        total = LedgerEntry.objects.filter(account=account).aggregate(s=Sum("amount"))["s"] or 0
        spent = (
            Redemption.objects.filter(volunteer_id=account.volunteer_id).aggregate(s=Sum("points"))["s"] or 0
        )
        if account.balance < 0 or account.balance != total or total != points_each - spent:
            found.append(f"account {account.pk}: balance {account.balance}, ledger {total}, spent {spent}")
    return found

"""Redemption throughput: 16 processes, each with its own database connection, redeeming points
in the district's shops through ``volunteers.services.redeem_item`` at the same time.

Each process has its own volunteers (so their account locks never wait on each other) and
picks items at random across every shop (so item locks do, as in real life). Bounded by time
and by count. Afterwards the books must balance: every touched account's balance equals the
sum of its ledger, and no stock is negative.
"""

from __future__ import annotations

import multiprocessing
import random
import time

from django.db import connections
from django.db.models import Sum

from .results import table

CONNECTIONS = 16


def _redeem_loop(index, volunteer_ids, item_ids, seconds, limit, go, results):
    """A spawned process (a fresh interpreter: nothing inherited from the parent's threads or
    sockets), with its own Django and its own database connection."""
    try:
        import django

        django.setup()
        _redeem(index, volunteer_ids, item_ids, seconds, limit, go, results)
    except BaseException:
        import traceback

        results.put({"done": 0, "refused": 0, "errors": 1, "latencies": [], "crash": traceback.format_exc()})


def _redeem(index, volunteer_ids, item_ids, seconds, limit, go, results):
    from django.core.exceptions import ValidationError

    from volunteers.models import ShopItem, Volunteer
    from volunteers.services import redeem_item

    rng = random.Random(index)
    volunteers = list(Volunteer.objects.filter(pk__in=volunteer_ids).select_related("user"))
    items = list(ShopItem.objects.filter(pk__in=item_ids))
    done = refused = errors = 0
    latencies = []
    # Warm the process (translations, task machinery, connections) outside the measured window.
    redeem_item(volunteer=volunteers[0], item=items[0], quantity=1)
    results.put({"ready": index})
    go.wait(timeout=120)
    deadline = time.monotonic() + seconds
    while volunteers and time.monotonic() < deadline and done + refused + errors < limit:
        volunteer = volunteers[rng.randrange(len(volunteers))]
        started = time.perf_counter()
        try:
            redeem_item(volunteer=volunteer, item=rng.choice(items), quantity=1)
            done += 1
        except ValidationError:
            refused += 1  # balance spent: this volunteer stops redeeming
            volunteers.remove(volunteer)
        except Exception:  # anything else is an error of the service under load
            errors += 1
        latencies.append((time.perf_counter() - started) * 1000)
    connections.close_all()
    results.put({"done": done, "refused": refused, "errors": errors, "latencies": latencies})


def _funded_volunteers(count: int, points: int = 2_000) -> list[int]:
    """Active volunteers, topped up through the ledger (an adjustment) to at least ``points``."""
    from volunteers.models import PointAccount, Volunteer
    from volunteers.services import adjust_points

    volunteers = list(Volunteer.objects.filter(is_active=True).order_by("pk")[:count])
    balances = dict(
        PointAccount.objects.filter(volunteer__in=volunteers).values_list("volunteer_id", "balance")
    )
    for volunteer in volunteers:
        short = points - balances.get(volunteer.pk, 0)
        if short > 0:
            adjust_points(volunteer=volunteer, amount=short, reason="基准测试充值", by=None)
    return [v.pk for v in volunteers]


def measure_redemption(context) -> None:
    from volunteers.models import LedgerEntry, PointAccount, ShopItem

    run, stdout = context.run, context.stdout
    seconds = 10 if context.scale >= 0.5 else 4
    per_process = 2_000
    accounts = _funded_volunteers(CONNECTIONS * 20)
    items = list(
        ShopItem.objects.filter(
            is_active=True, point_price__isnull=False, point_price__lte=50, shop__is_active=True
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if len(accounts) < CONNECTIONS or not items:
        raise RuntimeError(f"not enough to redeem: {len(accounts)} funded volunteers, {len(items)} items")
    ShopItem.objects.filter(pk__in=items).update(stock=1_000_000)
    ctx = multiprocessing.get_context("spawn")
    go, results = ctx.Event(), ctx.Queue()
    procs = [
        ctx.Process(
            target=_redeem_loop,
            args=(i, accounts[i::CONNECTIONS], items, seconds, per_process, go, results),
            daemon=True,
        )
        for i in range(CONNECTIONS)
    ]
    for p in procs:
        p.start()
    parts = []
    ready = 0
    while ready < len(procs):  # every process loaded and warmed up, then all start at once
        message = results.get(timeout=300)
        if "ready" in message:
            ready += 1
        else:
            parts.append(message)  # a process that could not start
            ready += 1
    started = time.monotonic()
    go.set()
    while len(parts) < len(procs):
        parts.append(results.get(timeout=seconds + 120))
    elapsed = time.monotonic() - started
    for p in procs:
        p.join(timeout=30)
    done = sum(p["done"] for p in parts)
    errors = sum(p["errors"] for p in parts)
    crashes = [p["crash"] for p in parts if p.get("crash")]
    if crashes:
        stdout.write(crashes[0])
    latencies = sorted(x for p in parts for x in p["latencies"]) or [0.0]
    touched = PointAccount.objects.filter(volunteer_id__in=accounts)
    ledger = dict(
        LedgerEntry.objects.filter(account__in=touched)
        .values("account")
        .annotate(s=Sum("amount"))
        .values_list("account", "s")
    )
    unbalanced = sum(
        1 for pk, balance in touched.values_list("pk", "balance") if ledger.get(pk, 0) != balance
    )
    negative = ShopItem.objects.filter(stock__lt=0).count()
    result = {
        "connections": CONNECTIONS,
        "seconds": round(elapsed, 2),
        "redemptions": done,
        "per_second": round(done / elapsed, 1) if elapsed else None,
        "refused_for_balance": sum(p["refused"] for p in parts),
        "errors": errors,
        "crashes": crashes[:3],
        "p50_ms": round(latencies[len(latencies) // 2], 1),
        "p99_ms": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))], 1),
        "items": len(items),
        "volunteers": len(accounts),
        "accounts_not_matching_ledger": unbalanced,
        "items_with_negative_stock": negative,
    }
    run.sections["redemption"] = result
    stdout.write(
        table(
            ["connections", "redemptions", "per second", "p50 ms", "p99 ms", "errors", "books balance"],
            [
                [
                    CONNECTIONS,
                    done,
                    result["per_second"],
                    result["p50_ms"],
                    result["p99_ms"],
                    errors,
                    "yes" if not unbalanced and not negative else "NO",
                ]
            ],
        )
    )
    run.target(f"redemptions with {CONNECTIONS} connections: errors", errors, 0)
    run.target("redemptions: accounts whose balance differs from their ledger", unbalanced, 0)

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from core.models import Center
from volunteers import bench


class Command(BaseCommand):
    help = (
        "Run TOTAL concurrent redemptions (default 10,000 over 32 threads) against this database and "
        "check that no balance and no stock went below zero. Use PostgreSQL: SQLite serialises writers."
    )

    def add_arguments(self, parser):
        parser.add_argument("--total", type=int, default=10_000)
        parser.add_argument("--threads", type=int, default=32)
        parser.add_argument("--volunteers", type=int, default=200)

    def handle(self, *args, total: int, threads: int, volunteers: int, **options):
        center = Center.objects.order_by("pk").first()
        if center is None:
            raise CommandError("No center: run load_demo or seed_district first.")
        points_each = 300
        # Stock and points both run out part-way, so both refusals are exercised.
        items = [(20, total // 4), (50, total // 20), (10, 10**6)]
        volunteer_ids, item_ids = bench.prepare(
            center=center, volunteers=volunteers, points_each=points_each, items=items
        )
        stock = dict(zip(item_ids, [s for _p, s in items], strict=True))
        outcome = bench.hammer(
            volunteer_ids=volunteer_ids, item_ids=item_ids, threads=threads, attempts=-(-total // threads)
        )
        found = bench.problems(
            volunteer_ids=volunteer_ids, item_ids=item_ids, points_each=points_each, stock=stock
        )
        attempts = outcome.redeemed + outcome.refused + len(outcome.errors)
        self.stdout.write(
            f"bench_redemptions on {connection.vendor}: {attempts} attempts in {outcome.seconds:.1f} s "
            f"({attempts / max(outcome.seconds, 0.001):.0f}/s): {outcome.redeemed} redeemed, "
            f"{outcome.refused} refused, {len(outcome.errors)} errors"
        )
        for problem in found + outcome.errors[:5]:
            self.stdout.write(f"  {problem}")
        if found or outcome.errors:
            self.stdout.write(self.style.ERROR("redemptions: target MISSED (a balance or a stock is wrong)"))
            raise CommandError("concurrent redemptions broke an invariant")
        self.stdout.write(self.style.SUCCESS("redemptions: target met (no balance or stock below zero)"))

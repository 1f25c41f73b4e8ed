import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils.module_loading import module_has_submodule

# Secondary indexes: neither unique nor backing a constraint, so the data stays checked without them.
SECONDARY_INDEXES = """
SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
FROM pg_index i
JOIN pg_class t ON t.oid = i.indrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE n.nspname = current_schema() AND NOT i.indisunique AND NOT i.indisprimary
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
"""


@contextmanager
def secondary_indexes_dropped(stdout) -> Iterator[None]:
    """On PostgreSQL, build secondary indexes once after the bulk load instead of row by row.

    Only when seeding commits app by app: inside an enclosing transaction (a test), deferred
    foreign-key checks still pending would forbid CREATE INDEX.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(SECONDARY_INDEXES)
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    try:
        yield
    finally:
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '256MB'")
            for _name, definition in indexes:
                cursor.execute(definition)
        stdout.write(f"  ({len(indexes)} secondary indexes rebuilt: {time.monotonic() - started:.1f} s)")


class Command(BaseCommand):
    help = "Generate district-scale data with bulk inserts (scale 1: 110 centers, 50,000 residents, ...)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="1 = a district; 0.01 for a quick run")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, scale: float, seed: int, **options):
        rng = random.Random(seed)
        started = time.monotonic()
        with secondary_indexes_dropped(self.stdout):
            for config in apps.get_app_configs():
                if module_has_submodule(config.module, "seed"):
                    t0 = time.monotonic()
                    with transaction.atomic():
                        import_module(f"{config.name}.seed").seed(scale=scale, rng=rng, stdout=self.stdout)
                    self.stdout.write(f"  ({config.label}: {time.monotonic() - t0:.1f} s)")
        self.stdout.write(
            self.style.SUCCESS(f"seed_district --scale {scale}: {time.monotonic() - started:.1f} s")
        )

import io
import multiprocessing
import random
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from importlib import import_module
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, OutputWrapper
from django.db import DatabaseError, connection, connections, transaction
from django.utils.module_loading import module_has_submodule

# Secondary indexes: neither unique nor backing a constraint, so the data stays checked without them.
SECONDARY_INDEXES = """
SELECT t.relname, i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
FROM pg_index i
JOIN pg_class t ON t.oid = i.indrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE n.nspname = current_schema() AND NOT i.indisunique AND NOT i.indisprimary
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
"""
FOREIGN_KEYS = """
SELECT t.relname, c.conname, pg_get_constraintdef(c.oid)
FROM pg_constraint c
JOIN pg_class t ON t.oid = c.conrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE n.nspname = current_schema() AND c.contype = 'f'
"""
# Apps whose seeds run first, before the others start (the others read their rows).
FIRST = ("core",)
# The parallel lanes: at most one per core; the machines this targets have two.
LANES = 2
# Started first, so that the longest seeds do not end up queued behind the short ones.
HEAVIEST = ("volunteers", "centers", "dispatch", "care")


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


@contextmanager
def bulk_load(stdout) -> Iterator[None]:
    """On PostgreSQL, build secondary indexes and check foreign keys once, after the bulk load,
    instead of row by row (the documented bulk-load technique).

    Foreign keys come back NOT VALID and are then validated: validation locks only its own table
    (and the referenced one in share mode), so two tables' indexes and checks run side by side.
    Only when seeding commits app by app: inside an enclosing transaction (a test), deferred
    foreign-key checks still pending would forbid ALTER TABLE.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(SECONDARY_INDEXES)
        indexes = cursor.fetchall()
        cursor.execute(FOREIGN_KEYS)
        keys = cursor.fetchall()
        # Written down first: if the process dies mid-load, `psql -f` of this file puts them back.
        saved = _saved_definitions_path()
        saved.parent.mkdir(parents=True, exist_ok=True)
        saved.write_text(
            "".join(f"{definition};\n" for _table, _name, definition in indexes)
            + "".join(
                f"ALTER TABLE {_quote(table)} ADD CONSTRAINT {_quote(name)} {definition};\n"
                for table, name, definition in keys
            )
        )
        stdout.write(f"  (foreign keys and secondary indexes dropped for the load; saved to {saved})")
        for table, name, _definition in keys:
            cursor.execute(f"ALTER TABLE {_quote(table)} DROP CONSTRAINT {_quote(name)}")
        for _table, name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    try:
        yield
    finally:
        started = time.monotonic()
        with connection.cursor() as cursor:
            for table, name, definition in keys:
                cursor.execute(
                    f"ALTER TABLE {_quote(table)} ADD CONSTRAINT {_quote(name)} {definition} NOT VALID"
                )
        work: dict[str, list[str]] = {}
        for table, _name, definition in indexes:
            work.setdefault(table, []).append(definition)
        for table, name, _definition in keys:
            work.setdefault(table, []).append(
                f"ALTER TABLE {_quote(table)} VALIDATE CONSTRAINT {_quote(name)}"
            )
        with connection.cursor() as cursor:
            cursor.execute("SELECT relname, reltuples FROM pg_class WHERE relname = ANY(%s)", [list(work)])
            size = dict(cursor.fetchall())
        # Largest tables first, one table per task: no two tasks lock the same table.
        tasks = sorted(work.items(), key=lambda item: -size.get(item[0], 0))
        failed = _run_side_by_side([_statements(statements) for _table, statements in tasks])
        if failed:
            raise CommandError(
                f"{len(failed)} statements failed after the load (definitions in {saved}): "
                + "; ".join(f"{sql[:120]}: {error}" for sql, error in failed[:5])
            )
        saved.unlink(missing_ok=True)
        stdout.write(
            f"  ({len(indexes)} secondary indexes built and {len(keys)} foreign keys checked: "
            f"{time.monotonic() - started:.1f} s)"
        )


def _saved_definitions_path() -> Path:
    return Path(settings.DATA_DIR) / f"seed-district-{connection.settings_dict['NAME']}.sql"


def _statements(statements: list[str]) -> Callable[[], list[tuple[str, str]]]:
    """One table's indexes and checks, each on its own: a failure is reported, the rest still run."""

    def run() -> list[tuple[str, str]]:
        failed = []
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET maintenance_work_mem = '256MB'")
                for sql in statements:
                    try:
                        cursor.execute(sql)
                    except DatabaseError as error:
                        failed.append((sql, str(error).strip()))
        finally:
            connection.close()  # this thread's own connection
        return failed

    return run


def _run_side_by_side(tasks: list[Callable[[], list]]) -> list:
    with ThreadPoolExecutor(max_workers=LANES) as pool:
        return [item for future in [pool.submit(task) for task in tasks] for item in future.result()]


def _seed_app(label: str, scale: float, seed: int) -> tuple[str, float, str]:
    """Run one app's seed in its own transaction; returns what it printed and how long it took."""
    out = OutputWrapper(io.StringIO())
    config = apps.get_app_config(label)
    # Each app draws from its own generator, so the data does not depend on which lane ran first.
    rng = random.Random(f"{seed}:{label}")
    started = time.monotonic()
    with transaction.atomic():
        import_module(f"{config.name}.seed").seed(scale=scale, rng=rng, stdout=out)
    return label, time.monotonic() - started, out._out.getvalue()


def _seed_app_in_child(label: str, scale: float, seed: int) -> tuple[str, float, str]:
    connections.close_all()  # never share the parent's sockets
    try:
        return _seed_app(label, scale, seed)
    finally:
        connections.close_all()


class Command(BaseCommand):
    help = "Generate district-scale data with bulk inserts (scale 1: 110 centers, 50,000 residents, ...)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="1 = a district; 0.01 for a quick run")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, scale: float, seed: int, **options):
        name = str(connection.settings_dict["NAME"])
        if settings.IS_PRODUCTION and "bench" not in name:
            # Fifty thousand made-up residents, and every check of the schema off during the load.
            raise CommandError(
                f"seed_district fills a benchmark database; refusing to touch {name!r} in production"
                " (a database whose name contains 'bench' is allowed)"
            )
        started = time.monotonic()
        labels = [c.label for c in apps.get_app_configs() if module_has_submodule(c.module, "seed")]
        first = [label for label in labels if label in FIRST]
        rest = sorted(
            (label for label in labels if label not in FIRST),
            key=lambda label: HEAVIEST.index(label) if label in HEAVIEST else len(HEAVIEST),
        )
        with bulk_load(self.stdout):
            for label in first:
                self._report(*_seed_app(label, scale, seed))
            if self._parallel():
                # The other apps read only core's rows: they run side by side, one process per lane
                # (the Python that formats rows is the bottleneck, so threads would not help).
                connections.close_all()
                context = multiprocessing.get_context("fork")
                with ProcessPoolExecutor(max_workers=LANES, mp_context=context) as pool:
                    futures = [pool.submit(_seed_app_in_child, label, scale, seed) for label in rest]
                    for future in futures:
                        self._report(*future.result())
            else:
                for label in rest:
                    self._report(*_seed_app(label, scale, seed))
        self.stdout.write(
            self.style.SUCCESS(f"seed_district --scale {scale}: {time.monotonic() - started:.1f} s")
        )

    @staticmethod
    def _parallel() -> bool:
        """Only on PostgreSQL outside a transaction: SQLite takes one writer at a time, and a test's
        enclosing transaction must see every row."""
        return connection.vendor == "postgresql" and not connection.in_atomic_block

    def _report(self, label: str, seconds: float, output: str) -> None:
        for line in output.splitlines():
            self.stdout.write(line)
        self.stdout.write(f"  ({label}: {seconds:.1f} s)")

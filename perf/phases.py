"""The benchmark's phases, in the order ``bench`` runs them; each records into ``context.run``."""

from __future__ import annotations

import io
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core.management import call_command

from . import database
from .results import Run, table
from .world import World

SEED_SECONDS = 60
# What scale 1 must hold (the figures): model -> rows at scale 1.
DATA_SET = {
    "centers.Activity": 100_000,
    "centers.Signup": 1_000_000,
    "care.Visit": 200_000,
    "volunteers.HourRecord": 500_000,
    "volunteers.LedgerEntry": 1_000_000,
    "dispatch.ServiceRequest": 30_000,
    "orgs.Organization": 3_400,
}


@dataclass
class Context:
    run: Run
    scale: float
    stdout: object
    iterations: int
    pages: set = field(default_factory=set)
    http_seconds: int = 30
    out: Path = Path("var/bench")
    world: World | None = None


def seed(context: Context) -> None:
    run, stdout = context.run, context.stdout
    from django.core.cache import cache

    from .processes import purge_broker

    name = database.recreate()
    stdout.write(f"  database {name} created")
    migrate_s = database.migrate()
    stdout.write(f"  migrate: {migrate_s:.1f} s")
    seed_s, log = database.seed(context.scale, stdout)
    stdout.write(f"  seed_district --scale {context.scale}: {seed_s:.1f} s")
    analyze_s = database.analyze()
    stdout.write(f"  VACUUM ANALYZE: {analyze_s:.1f} s")
    static_s = collect_static()
    cache.clear()  # the bench's own Redis database: nothing cached from an earlier run
    purge_broker()
    counts = {}
    for label in DATA_SET:
        try:
            model = apps.get_model(label)
        except LookupError:
            counts[label] = None
            continue
        counts[label] = model.objects.count()
    rows = [
        [label, "-" if n is None else f"{n:,}", f"{max(1, int(DATA_SET[label] * context.scale)):,}"]
        for label, n in counts.items()
    ]
    stdout.write(table(["table", "rows", "needed"], rows))
    run.sections["seed"] = {
        "scale": context.scale,
        "migrate_seconds": round(migrate_s, 1),
        "seed_seconds": round(seed_s, 1),
        "analyze_seconds": round(analyze_s, 1),
        "collectstatic_seconds": round(static_s, 1),
        "rows": counts,
        "tables": database.table_rows(),
        "log": log.splitlines(),
    }
    run.target(
        f"seed_district --scale {context.scale:g} builds the data set",
        round(seed_s, 1),
        SEED_SECONDS,
        " s",
        timing=True,
    )
    for label, n in counts.items():
        needed = max(1, int(DATA_SET[label] * context.scale))
        run.target(f"data set {label} rows", n, needed, "", at_least=True)


def collect_static() -> float:
    start = time.monotonic()
    call_command("collectstatic", interactive=False, verbosity=0, stdout=io.StringIO())
    return time.monotonic() - start


def pages(context: Context) -> None:
    from .inprocess import measure_pages

    rows = measure_pages(
        context.run, context.world, iterations=context.iterations, stdout=context.stdout, only=context.pages
    )
    context.stdout.write(
        table(
            ["page", "median ms", "p99 ms", "minimal ms", "ratio", "limit", "queries", "few rows"],
            [
                [
                    r["page"],
                    f"{r['median_ms']:.2f}",
                    f"{r['p99_ms']:.2f}",
                    f"{r['minimal_median_ms']:.2f}",
                    f"{r['ratio']:.2f}x",
                    f"{r['ratio_limit']:g}x" if r["ratio_limit"] else "-",
                    r["queries"],
                    "-" if r["few_queries"] is None else r["few_queries"],
                ]
                for r in rows
            ],
        )
    )
    for item in context.run.sections["pages"]["skipped"]:
        context.stdout.write(f"  not measured: {item['page']}: {item['reason']}")


def explain(context: Context) -> None:
    from .explain import explain_lists

    explain_lists(context)


def report(context: Context) -> None:
    from .report import measure_report

    measure_report(context)


def reminders(context: Context) -> None:
    from .reminders import measure_reminders

    measure_reminders(context)


def redemption(context: Context) -> None:
    from .redemption import measure_redemption

    measure_redemption(context)


def http(context: Context) -> None:
    from .http import measure_http

    measure_http(context)


def scaleout(context: Context) -> None:
    from .scaleout import measure_scaleout

    measure_scaleout(context)

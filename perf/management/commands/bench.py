"""``manage.py bench --scale 1``: build the district on PostgreSQL and measure every hot path.

Run it through ``bin/bench`` (``make bench``), which sets production variables, a dedicated
database and Redis numbers, and ``DJANGO_SETTINGS_MODULE=perf.settings``. Prints a table per
section and one line per target ("met" or "MISSED"), writes var/bench/bench-<time>.json and
var/bench/latest.json, and exits 3 when a query budget, plan or speed target is missed, 1 when the
run itself went wrong (a phase failed, an error answer, wrong data).
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import sys
import time
import traceback
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from perf import database, phases
from perf.results import Run
from perf.world import reset as reset_world
from perf.world import world

PHASES = ["seed", "pages", "explain", "report", "reminders", "redemption", "http", "scaleout"]


# The exit status when the run worked but missed a budget or a speed target. It exits 1 when the run
# itself went wrong: a phase failed, a page answered an error, data or balances were wrong.
MISSED = 3


class Command(BaseCommand):
    help = "Build the district data set on PostgreSQL and measure the hot paths as ratios (see bin/bench)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="1 = the district; 0.01 for a smoke run")
        parser.add_argument(
            "--only", default="", help=f"comma-separated phases to run (default all: {','.join(PHASES)})"
        )
        parser.add_argument("--reuse-data", action="store_true", help="keep the existing bench database")
        parser.add_argument("--iterations", type=int, default=0, help="samples per page (default by scale)")
        parser.add_argument("--pages", default="", help="comma-separated page names to measure (default all)")
        parser.add_argument(
            "--http-seconds", type=int, default=30, help="load time per page and its minimal view"
        )
        parser.add_argument(
            "--smoke",
            action="store_true",
            help="CI: exit 3 only for targets that hold at every scale (speed targets are set for --scale 1)",
        )
        parser.add_argument("--out", default=str(Path(settings.DATA_DIR) / "bench"))

    def handle(
        self, *args, scale: float, only: str, reuse_data: bool, iterations: int, pages: str, **options
    ):
        selected = [p.strip() for p in only.split(",") if p.strip()] or PHASES
        unknown = set(selected) - set(PHASES)
        if unknown:
            raise SystemExit(f"bench: unknown phase(s) {', '.join(sorted(unknown))}")
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        run = Run(
            meta={
                "started_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                "scale": scale,
                "phases": selected,
                "host": platform.node(),
                "python": sys.version.split()[0],
                "cpus": os.cpu_count(),
                "database": settings.DATABASES["default"]["NAME"],
                "debug": settings.DEBUG,
                "smoke": options["smoke"],
            }
        )
        out = Path(options["out"])
        context = phases.Context(
            run=run,
            scale=scale,
            stdout=self.stdout,
            iterations=iterations or (60 if scale >= 0.5 else 20),
            pages=set(p for p in pages.split(",") if p),
            http_seconds=options["http_seconds"],
            out=out,
        )
        started = time.monotonic()
        if "seed" in selected and not reuse_data:
            if not self._phase(context, "seed", phases.seed):
                selected = ["seed"]  # nothing to measure without the data set
        else:
            if not database.exists():
                raise SystemExit("bench: no bench database to reuse; run without --reuse-data")
            phases.collect_static()  # production settings serve hashed static names from a manifest
        reset_world()
        context.world = world()
        for name in selected:
            if name != "seed":
                self._phase(context, name, getattr(phases, name))
        run.meta["seconds"] = round(time.monotonic() - started, 1)
        self._summary(run, smoke=options["smoke"])
        path = run.write(out, stamp)
        self.stdout.write(f"JSON: {path} (and {out / 'latest.json'})")
        smoke = options["smoke"]
        unmet = run.unmet(smoke=smoke)
        if unmet:
            self.stdout.write(self.style.ERROR(f"bench: {len(unmet)} of {len(run.targets)} targets MISSED"))
            broken = run.broken(smoke=smoke)
            if broken:
                self.stdout.write(
                    self.style.ERROR(f"bench: the run went wrong: {', '.join(t.name for t in broken)}")
                )
                sys.exit(1)
            sys.exit(MISSED)
        met = sum(t.met for t in run.targets)
        if smoke:
            self.stdout.write(
                self.style.SUCCESS(
                    f"bench (smoke, --scale {scale:g}): every phase ran; {met} of {len(run.targets)} targets met, "
                    "the others are set for --scale 1"
                )
            )
        else:
            self.stdout.write(self.style.SUCCESS(f"bench: all {len(run.targets)} targets met"))

    def _phase(self, context, name, function) -> bool:
        self.stdout.write(self.style.MIGRATE_HEADING(f"== {name}"))
        start = time.monotonic()
        completed = False
        try:
            function(context)
            completed = True
        except Exception as exc:  # a phase that cannot run is reported as a target not met
            detail = "".join(traceback.format_exception(exc)).rstrip()
            self.stdout.write(detail)
            context.run.sections.setdefault("errors", {})[name] = detail[-4000:]
            context.run.target(f"{name}: phase completed (error {exc.__class__.__name__})", 1, 0)
        context.run.meta.setdefault("phase_seconds", {})[name] = round(time.monotonic() - start, 1)
        return completed

    def _summary(self, run: Run, *, smoke: bool) -> None:
        self.stdout.write(self.style.MIGRATE_HEADING("== targets"))
        for target in run.targets:
            line = target.line(smoke=smoke)
            self.stdout.write(line if target.met else self.style.ERROR(line))

"""Pages in process: each page against its minimal view, interleaved, same client, same connection.

Both go through Django's full request handler (every middleware, the session, the signed-in
user) with the test client, so the ratio isolates what the page does beyond its essential
query. Query counts are taken in separate passes, so that capturing them costs the timing nothing.
"""

from __future__ import annotations

import gc
import time

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .pages import PAGES, available, page_key
from .results import Run, median, percentile
from .world import World

MAX_QUERIES = 8
MIN_SAMPLES = 15
SECONDS_PER_PAGE = 10


def _client(world: World, actor: str | None, clients: dict) -> Client:
    if actor not in clients:
        client = Client(raise_request_exception=False)
        if actor is not None:
            client.force_login(world.user(actor))
        clients[actor] = client
    return clients[actor]


TRANSACTION_CONTROL = (
    "BEGIN",
    "COMMIT",
    "ROLLBACK",
    "SAVEPOINT",
    "RELEASE SAVEPOINT",
    "ROLLBACK TO SAVEPOINT",
)


def data_queries(captured: list[dict]) -> list[str]:
    """The SQL a request ran, without transaction control (ATOMIC_REQUESTS' BEGIN/COMMIT, savepoints)."""
    return [q["sql"] for q in captured if not q["sql"].lstrip().upper().startswith(TRANSACTION_CONTROL)]


def _count(client: Client, url: str, slowest: list | None = None) -> tuple[int, int]:
    """Queries of one request on a cold cache (what a cache miss costs; a hit costs fewer)."""
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    if slowest is not None:
        timed = sorted(ctx.captured_queries, key=lambda q: -float(q.get("time") or 0))[:3]
        slowest += [{"ms": round(float(q["time"]) * 1000, 1), "sql": q["sql"][:600]} for q in timed]
    return len(data_queries(ctx.captured_queries)), response.status_code


def _timed(client: Client, url: str) -> tuple[float, int]:
    start = time.perf_counter()
    response = client.get(url)
    return (time.perf_counter() - start) * 1000, response.status_code


def measure_pages(
    run: Run, world: World, *, iterations: int, stdout, only: set[str] | None = None
) -> list[dict]:
    clients: dict = {}
    rows = []
    skipped = []
    for page in PAGES:
        key = page_key(page)
        if only and page.name not in only and key not in only:
            continue
        ok, why = available(page, world)
        if not ok:
            skipped.append({"page": key, "reason": why})
            continue
        client = _client(world, page.actor, clients)
        url = page.path(world)
        minimal_url = reverse("bench_minimal", args=[key])
        client.get(url)  # first use: imports, template compilation, translations
        slowest: list = []
        queries, status = _count(client, url, slowest)
        minimal_queries, minimal_status = _count(client, minimal_url)
        few_url = page.few_path(world) if page.few_path else None
        few_queries = _count(client, few_url)[0] if few_url else None
        warm = []
        for _warm in range(3):
            warm.append(_timed(client, url)[0] + _timed(client, minimal_url)[0])
        n = iterations * (2 if key == "activity_list@anonymous" else 1)
        # A slow page gets fewer samples (at least MIN_SAMPLES), so that one page cannot take minutes.
        n = min(n, max(MIN_SAMPLES, int(SECONDS_PER_PAGE * 1000 / max(min(warm), 0.1))))
        page_ms, minimal_ms, statuses = [], [], []
        gc.collect()
        for i in range(n):
            # Alternate which goes first, so neither always runs on a warmer cache.
            pair = (
                ((url, page_ms), (minimal_url, minimal_ms))
                if i % 2 == 0
                else ((minimal_url, minimal_ms), (url, page_ms))
            )
            for target, samples in pair:
                ms, code = _timed(client, target)
                samples.append(ms)
                if target == url:
                    statuses.append(code)
        row = {
            "page": key,
            "kind": page.kind,
            "url": url,
            "status": sorted(set(statuses) | {status}),
            "non_200": sum(code != 200 for code in [*statuses, status]),
            "minimal_status": minimal_status,
            "iterations": n,
            "median_ms": round(median(page_ms), 2),
            "p99_ms": round(percentile(page_ms, 99), 2),
            "minimal_median_ms": round(median(minimal_ms), 2),
            "minimal_p99_ms": round(percentile(minimal_ms, 99), 2),
            "ratio": round(median(page_ms) / median(minimal_ms), 2),
            "queries": queries,
            "minimal_queries": minimal_queries,
            "few_url": few_url,
            "few_queries": few_queries,
            "ratio_limit": page.ratio_limit,
            "slowest_queries": slowest,
        }
        rows.append(row)
        stdout.write(
            f"  {key:<38} {row['median_ms']:7.2f} ms  p99 {row['p99_ms']:7.2f}  "
            f"x{row['ratio']:<5}  {queries} queries"
        )
    run.sections["pages"] = {"rows": rows, "skipped": skipped, "max_queries": MAX_QUERIES}
    run.target("pages not measured (no URL or no sample row)", len(skipped), 0)
    for row in rows:
        run.target(f"page {row['page']} answers other than 200", row["non_200"], 0)
        if row["minimal_status"] != 200:
            run.target(f"page {row['page']}: its minimal view answers {row['minimal_status']}", 1, 0)
        if row["ratio_limit"] is not None:
            run.target(
                f"page {row['page']} time vs minimal view", row["ratio"], row["ratio_limit"], "x", timing=True
            )
        run.target(f"page {row['page']} queries", row["queries"], MAX_QUERIES, budget=True)
        if row["few_queries"] is not None:
            run.target(
                f"page {row['page']} queries flat in rows ({row['few_queries']} with few rows)",
                row["queries"] - row["few_queries"],
                0,
                " more",
                budget=True,
            )
    return rows

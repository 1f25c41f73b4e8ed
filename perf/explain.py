"""EXPLAIN every SELECT each measured page runs, and flag sequential scans of big tables.

A sequential scan of a table over 10,000 rows in a query that lists rows is what an index should
have prevented (a page shows 20 or 50 of them); each one found is listed with the page, the
filter (on the scan, or "whole table" when the condition sits on a join above it, as an OR across
two tables does), and the indexes the table has on the filtered columns. The target counts those
in list queries; scans in aggregates (a paginator's COUNT, a dashboard's sums), where reading much
of a table can be the right plan, are listed beside them.
"""

from __future__ import annotations

import json
import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from .pages import PAGES, available, page_key
from .results import table

BIG_TABLE = 10_000


def _table_sizes() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, c.reltuples::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p') AND n.nspname = 'public'"
        )
        return {name: rows for name, rows in cursor.fetchall()}


def _indexed_columns() -> dict[str, list[list[str]]]:
    """Each table's indexes as lists of column names, in index order."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT t.relname, i.relname,
                   array(SELECT a.attname FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, n)
                         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.n)
            FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_class i ON i.oid = ix.indexrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = 'public'
            """
        )
        out: dict[str, list[list[str]]] = {}
        for table_name, _index, columns in cursor.fetchall():
            out.setdefault(table_name, []).append(list(columns))
        return out


def _walk(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from _walk(child)


WRAPPERS = {"Limit", "Sort", "Incremental Sort", "Gather", "Gather Merge", "Subquery Scan", "Result"}


def is_aggregate(plan: dict) -> bool:
    """Whether the plan's top (under limits, sorts and gathers) aggregates rather than lists rows."""
    node = plan
    while node.get("Node Type") in WRAPPERS and node.get("Plans"):
        node = node["Plans"][0]
    return node.get("Node Type") in {"Aggregate", "Unique", "WindowAgg"}


def seq_scans(sql: str, sizes: dict[str, int]) -> list[dict]:
    """The sequential scans of big tables in the plan of ``sql`` (a SELECT with its parameters inlined)."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        raw = cursor.fetchone()[0]
    plan = (json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"]
    aggregate = is_aggregate(plan)
    found = []
    for node in _walk(plan):
        if node.get("Node Type") == "Seq Scan":
            relation = node.get("Relation Name", "")
            rows = sizes.get(relation, 0)
            if rows > BIG_TABLE:
                found.append(
                    {
                        "table": relation,
                        "table_rows": rows,
                        "filter": node.get("Filter", ""),
                        "aggregate": aggregate,
                    }
                )
    return found


def _filter_columns(text: str) -> set[str]:
    return set(re.findall(r"\b([a-z_][a-z0-9_]*)\b", text or ""))


def explain_lists(context) -> None:
    run, stdout, world = context.run, context.stdout, context.world
    sizes = _table_sizes()
    indexes = _indexed_columns()
    clients: dict = {}
    findings, explained, full_scans, in_aggregates = [], 0, [], []
    for page in PAGES:
        key = page_key(page)
        if context.pages and page.name not in context.pages and key not in context.pages:
            continue
        if not available(page, world)[0]:
            continue
        if page.actor not in clients:
            client = Client(raise_request_exception=False)
            if page.actor:
                client.force_login(world.user(page.actor))
            clients[page.actor] = client
        with CaptureQueriesContext(connection) as ctx:
            clients[page.actor].get(page.path(world))
        for query in ctx.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            explained += 1
            for scan in seq_scans(sql, sizes):
                columns = _filter_columns(scan["filter"])
                usable = [ix for ix in indexes.get(scan["table"], []) if ix and ix[0] in columns]
                item = {"page": key, **scan, "indexes_on_filter": usable, "sql": sql[:2000]}
                if scan["aggregate"]:
                    in_aggregates.append(item)
                else:
                    (findings if scan["filter"] else full_scans).append(item)
    run.sections["explain"] = {
        "queries_explained": explained,
        "big_table_rows": BIG_TABLE,
        "seq_scans_with_filter": findings,
        "seq_scans_without_filter": full_scans,
        "seq_scans_in_aggregates": in_aggregates,
    }
    stdout.write(
        f"  {explained} SELECT queries explained; tables over {BIG_TABLE:,} rows: "
        f"{sum(1 for n in sizes.values() if n > BIG_TABLE)}"
    )
    if findings or full_scans or in_aggregates:
        stdout.write(
            table(
                ["page", "query", "table", "rows", "filter", "index on filter"],
                [
                    [
                        f["page"],
                        "aggregate" if f["aggregate"] else "list",
                        f["table"],
                        f"{f['table_rows']:,}",
                        (f["filter"] or "(whole table)")[:60],
                        ",".join("(" + ",".join(ix) + ")" for ix in f["indexes_on_filter"]) or "none",
                    ]
                    for f in findings + full_scans + in_aggregates
                ],
            )
        )
    run.target(
        f"sequential scans of tables over {BIG_TABLE:,} rows in list queries",
        len(findings) + len(full_scans),
        0,
        budget=True,
        timing=True,
    )

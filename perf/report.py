"""The monthly district report against the raw SQL aggregates that give the same numbers.

The report is generated in process exactly as its Celery task does (``generate_report``), for
last month and the whole district, then exported to Excel. The raw SQL baseline is the set of
aggregate statements the report sends to PostgreSQL, executed again through a bare cursor and
fetched: the same numbers with nothing around them, so the ratio is everything the report layer
adds (ORM compilation, merging, storage, publication). Two guards keep the baseline honest:
the statements must return aggregate-sized results (no rows fetched to be counted in Python),
and independent hand-written SQL must reproduce the report's headline figures.
"""

from __future__ import annotations

import statistics
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

from .inprocess import data_queries
from .results import table

ROUNDS = 3
MAX_FETCHED_ROWS = 5_000  # an aggregate report of 10 streets x 9 sections needs a few hundred


def _district():
    from core.models import District

    return District.objects.filter(name="基准区").first() or District.objects.order_by("pk").first()


def _generate(scope, period) -> tuple[float, float, object, list[str]]:
    from reports.exports import build_xlsx
    from reports.models import Report
    from reports.services import generate_report, request_report

    report, _created = request_report(
        scope=scope, period=period, requested_by=None, trigger=Report.Trigger.ADMIN
    )
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as ctx:
        report = generate_report(report_id=report.pk)
    generated = time.perf_counter() - start
    xlsx = build_xlsx(report)
    total = time.perf_counter() - start
    selects = [
        sql
        for sql in data_queries(ctx.captured_queries)
        if sql.lstrip().upper().startswith(("SELECT", "WITH"))
    ]
    return generated, total, (report, len(xlsx)), selects


def _raw(statements: list[str], timings: dict | None = None) -> tuple[float, int]:
    start = time.perf_counter()
    fetched = 0
    with connection.cursor() as cursor:
        for sql in statements:
            t0 = time.perf_counter()
            cursor.execute(sql)
            fetched += len(cursor.fetchall())
            if timings is not None:
                timings[sql] = time.perf_counter() - t0
    return time.perf_counter() - start, fetched


def _headline_sql(period, district_id: int) -> dict:
    """Hand-written SQL for the report's headline totals (activities held, confirmed sign-ups, attended)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FILTER (WHERE a.status = 'published')
            FROM centers_activity a JOIN core_center c ON c.id = a.center_id JOIN core_street s ON s.id = c.street_id
            WHERE s.district_id = %s AND a.starts_at >= %s AND a.starts_at < %s
            """,
            [district_id, period.start_at, period.end_at],
        )
        held = cursor.fetchone()[0]
        cursor.execute(
            """
            SELECT count(*) FILTER (WHERE g.status = 'confirmed'), count(*) FILTER (WHERE g.attended_at IS NOT NULL)
            FROM centers_signup g JOIN centers_activity a ON a.id = g.activity_id
            JOIN core_center c ON c.id = a.center_id JOIN core_street s ON s.id = c.street_id
            WHERE s.district_id = %s AND a.status = 'published' AND a.starts_at >= %s AND a.starts_at < %s
            """,
            [district_id, period.start_at, period.end_at],
        )
        signups, attended = cursor.fetchone()
    return {"held": held, "signups": signups, "attended": attended}


def _report_figures(report) -> dict:
    for section in report.sections:
        if section.get("key") == "activities" and section.get("status") == "ok":
            keys = [c["key"] for c in section["columns"]]
            total = section.get("total") or []
            return {k: total[keys.index(k)] for k in ("held", "signups", "attended") if k in keys and total}
    return {}


def measure_report(context) -> None:
    from reports.periods import Period, Scope

    run, stdout = context.run, context.stdout
    district = _district()
    scope, period = Scope.for_district(district), Period.last_month()
    _generate(scope, period)  # warm: imports, plans, caches
    orm, with_xlsx, raw, fetched_rows = [], [], [], 0
    statements: list[str] = []
    report = None
    xlsx_bytes = 0
    for _round in range(ROUNDS):
        generated, total, (report, xlsx_bytes), statements = _generate(scope, period)
        orm.append(generated)
        with_xlsx.append(total)
        timings: dict = {}
        seconds, fetched_rows = _raw(statements, timings)
        raw.append(seconds)
    orm_s, xlsx_s, raw_s = statistics.median(orm), statistics.median(with_xlsx), statistics.median(raw)
    ratio = round(orm_s / raw_s, 2) if raw_s else None
    sections = {s.get("key"): s.get("status") for s in report.sections}
    headline = _headline_sql(period, district.pk)
    figures = _report_figures(report)
    agree = bool(figures) and all(figures.get(k) == v for k, v in headline.items() if k in figures)
    run.sections["report"] = {
        "scope": scope.key,
        "period": period.key,
        "rounds": ROUNDS,
        "report_seconds": round(orm_s, 3),
        "report_with_excel_seconds": round(xlsx_s, 3),
        "raw_sql_seconds": round(raw_s, 3),
        "ratio": ratio,
        "excel_bytes": xlsx_bytes,
        "aggregate_statements": len(statements),
        "rows_fetched_by_statements": fetched_rows,
        "sections": sections,
        "headline_raw_sql": headline,
        "headline_report": figures,
        "slowest_statements": [
            {"ms": round(t * 1000, 1), "sql": sql[:1500]}
            for sql, t in sorted(timings.items(), key=lambda x: -x[1])[:8]
        ],
        "statements": statements,
    }
    stdout.write(
        table(
            ["report", "seconds", "with Excel", "raw SQL", "ratio", "statements", "rows fetched"],
            [
                [
                    f"{scope.key} {period.key}",
                    f"{orm_s:.3f}",
                    f"{xlsx_s:.3f}",
                    f"{raw_s:.3f}",
                    f"{ratio}x",
                    len(statements),
                    fetched_rows,
                ]
            ],
        )
    )
    not_ok = [k for k, v in sections.items() if v != "ok"]
    if not_ok:
        stdout.write(f"  sections not computed: {', '.join(not_ok)}")
    stdout.write(f"  headline figures, hand-written SQL {headline} / report {figures}")
    run.target("monthly report vs raw SQL aggregates", ratio, 1.5, "x", timing=True)
    run.target("monthly report with the Excel file, seconds", round(xlsx_s, 3), 2.0, " s", timing=True)
    run.target(
        "monthly report: rows fetched by its statements (aggregates only)",
        fetched_rows,
        MAX_FETCHED_ROWS,
        budget=True,
    )
    run.target("monthly report: sections not computed", len(not_ok), 0)
    run.target("monthly report: headline figures differing from hand-written SQL", 0 if agree else 1, 0)

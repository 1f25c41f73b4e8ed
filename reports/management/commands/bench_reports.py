"""Time a month's district report (every section, then the Excel file) against the same SQL run raw.

    manage.py seed_district --scale 1 && manage.py bench_reports

The "raw" figure re-executes, through a bare cursor, exactly the SQL statements the ORM sent
while computing the sections, so both give the same numbers; the ratio is the cost of the ORM
and of the Python around the aggregates. Targets (issue 9): at most 2 s with Excel, at most 1.5x.
"""

import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import District
from reports import exports
from reports.models import Report
from reports.periods import Period, Scope
from reports.sections import WORK_MEM, run_sections

MAX_SECONDS = 2.0
MAX_RATIO = 1.5


class Command(BaseCommand):
    help = "Benchmark the monthly district report (sections + Excel) against its raw SQL."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM (default: last month)")
        parser.add_argument("--district", type=int, help="district id (default: the one with most streets)")
        parser.add_argument("--repeat", type=int, default=5)

    def handle(self, *args, month=None, district=None, repeat=5, **options):
        period = Period.parse(month) if month else Period.last_month()
        if district is None:
            top = District.objects.annotate(n=Count("streets")).order_by("-n").first()
            if top is None:
                raise CommandError("No district: run seed_district or load_demo first.")
            district = top.pk
        scope = Scope.for_district(District.objects.get(pk=district))
        self.stdout.write(
            f"district report {scope.label} {period.key}, {len(scope.centers)} centers, {repeat} runs"
        )

        orm, excel, raw, statements = [], [], [], []
        for _ in range(repeat):
            fresh = Scope(scope.kind, scope.district_id, by=scope.by)  # no cached places between runs
            with CaptureQueriesContext(connection) as captured:
                t0 = time.perf_counter()
                sections = run_sections(period, fresh)
                t1 = time.perf_counter()
            report = Report(
                kind=Report.Kind.DISTRICT,
                district_id=scope.district_id,
                scope_key=scope.key,
                period=period.start,
                version=1,
                status=Report.Status.PUBLISHED,
                published_at=timezone.now(),
                data={"sections": sections},
            )
            t2 = time.perf_counter()
            size = len(exports.build_xlsx(report))
            t3 = time.perf_counter()
            statements = [
                q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")
            ]
            t4 = time.perf_counter()
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":  # the same memory the sections get
                    cursor.execute(f"SET work_mem = '{WORK_MEM}'")
                for sql in statements:
                    try:
                        cursor.execute(sql)
                        cursor.fetchall()
                    except DatabaseError:  # a section that failed in the ORM fails here too
                        pass
                if connection.vendor == "postgresql":
                    cursor.execute("RESET work_mem")
            t5 = time.perf_counter()
            orm.append(t1 - t0)
            excel.append(t3 - t2)
            raw.append(t5 - t4)
        failed = [s["key"] for s in sections if s["status"] != "ok"]
        total = statistics.median(orm) + statistics.median(excel)
        ratio = statistics.median(orm) / max(statistics.median(raw), 1e-9)
        self.stdout.write(
            f"  sections (ORM): {statistics.median(orm) * 1000:.0f} ms in {len(statements)} queries\n"
            f"  same SQL, raw:  {statistics.median(raw) * 1000:.0f} ms  -> ratio {ratio:.2f} (target <= {MAX_RATIO})\n"
            f"  Excel file:     {statistics.median(excel) * 1000:.0f} ms, {size / 1024:.0f} KiB\n"
            f"  total:          {total * 1000:.0f} ms (target <= {MAX_SECONDS * 1000:.0f} ms)"
        )
        if failed:
            self.stdout.write(self.style.WARNING(f"  sections not computed: {', '.join(failed)}"))
        ok = total <= MAX_SECONDS and ratio <= MAX_RATIO
        self.stdout.write(self.style.SUCCESS("within targets") if ok else self.style.ERROR("OUTSIDE targets"))

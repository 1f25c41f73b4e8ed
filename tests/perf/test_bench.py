"""The benchmark's own machinery, and its page and report phases run in process at a tiny scale.

The benchmark is not a test: these check that it measures what it says (ratios, query counts,
target verdicts, load-generator parsing) and that it does not rot as the apps change.
"""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from core.bulk import copy_rows, reserve_ids, reset_sequences
from perf import phases
from perf.explain import _filter_columns, _walk, is_aggregate
from perf.http import parse_wrk
from perf.pages import PAGES, page_key
from perf.results import Run, Target, percentile, table
from perf.world import World

WRK_OUTPUT = """Running 15s test @ http://127.0.0.1:8000/activities/
  2 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    48.51ms   10.21ms 200.00ms   80.00%
  Latency Distribution
     50%   47.00ms
     75%   52.00ms
     90%   60.00ms
     99%  120.50ms
  15432 requests in 15.02s, 120.00MB read
  Socket errors: connect 0, read 3, write 0, timeout 2
  Non-2xx or 3xx responses: 4
Requests/sec:   1027.43
"""


def test_wrk_output_gives_requests_latency_and_every_kind_of_error():
    result = parse_wrk(WRK_OUTPUT)
    assert result["requests"] == 15432
    assert result["seconds"] == pytest.approx(15.02)
    assert result["p50_ms"] == pytest.approx(47.0)
    assert result["p99_ms"] == pytest.approx(120.5)
    assert result["errors"] == 3 + 2 + 4


def test_target_line_says_met_or_missed_and_a_smoke_run_forgives_only_speed():
    run = Run()
    fast = run.target("page x time vs minimal view", 2.5, 3.0, "x", timing=True)
    slow = run.target("page y time vs minimal view", 4.0, 3.0, "x", timing=True)
    broken = run.target("page y answers other than 200", 1, 0)
    scaled = run.target("two against one", 1.9, 1.7, "x", at_least=True, timing=True)
    assert fast.line().endswith(" met") and scaled.met
    assert slow.line().endswith("MISSED") and "MISSED" not in slow.line(smoke=True)
    assert run.unmet() == [slow, broken]
    assert run.unmet(smoke=True) == [broken]
    assert not Target("no value", None, 1.0).met


def test_percentile_is_nearest_rank_and_table_aligns_chinese_text():
    assert percentile(list(range(1, 101)), 99) == 99
    assert percentile([5.0], 99) == 5.0
    lines = table(["page", "ms"], [["活动", 1.5], ["list", 10]]).splitlines()
    assert len({len(line.encode("gbk")) for line in lines[2:]}) == 1  # CJK counted as two columns


def test_every_page_key_is_unique_so_each_minimal_view_is_addressable():
    keys = [page_key(p) for p in PAGES]
    assert len(keys) == len(set(keys))


def test_explain_walker_reads_nested_plans_filter_columns_and_aggregates():
    plan = {"Node Type": "Limit", "Plans": [{"Node Type": "Seq Scan", "Relation Name": "t", "Plans": []}]}
    assert [n["Node Type"] for n in _walk(plan)] == ["Limit", "Seq Scan"]
    assert {"status", "ends_at"} <= _filter_columns(
        "((status)::text = 'published'::text) AND (ends_at >= now())"
    )
    count = {"Node Type": "Aggregate", "Plans": [{"Node Type": "Seq Scan"}]}
    assert is_aggregate({"Node Type": "Gather", "Plans": [count]})
    assert not is_aggregate({"Node Type": "Limit", "Plans": [{"Node Type": "Index Scan"}]})


@pytest.mark.django_db
def test_copy_rows_writes_awkward_text_and_reserved_ids_stay_unique():
    from core.models import District, Street

    district = District.objects.create(name="区")
    ids = reserve_ids(Street, 3)
    names = ["tab\there", "new\nline", "back\\slash"]
    written = copy_rows(
        Street, ["id", "district_id", "name"], [(i, district.pk, n) for i, n in zip(ids, names, strict=True)]
    )
    reset_sequences(Street)
    assert written == 3
    assert sorted(Street.objects.values_list("name", flat=True)) == sorted(names)
    assert Street.objects.create(district=district, name="after").pk not in ids


@pytest.fixture
def tiny_district(db, settings):
    settings.ROOT_URLCONF = "perf.urls"
    call_command("seed_district", scale=0.002, stdout=io.StringIO())
    from perf import world as world_module

    world_module.reset()
    yield world_module.world()
    world_module.reset()


def test_pages_phase_measures_each_page_against_its_minimal_view(tiny_district):
    run = Run()
    measured = {"activity_list", "activity_detail", "me", "admin_signup"}
    context = phases.Context(
        run=run, scale=0.002, stdout=io.StringIO(), iterations=3, pages=measured, world=tiny_district
    )
    phases.pages(context)
    rows = {r["page"]: r for r in run.sections["pages"]["rows"]}
    anonymous_list = rows["activity_list@anonymous"]
    assert anonymous_list["status"] == [200] and anonymous_list["minimal_status"] == 200
    assert anonymous_list["iterations"] == 6 and anonymous_list["ratio"] > 0
    assert anonymous_list["queries"] >= 1 and anonymous_list["minimal_queries"] >= 1
    assert rows["activity_detail@resident"]["few_queries"] is not None  # the flatness check ran
    assert rows["admin_signup@worker"]["status"] == [200]
    assert {r.split("@")[0] for r in rows} == measured
    assert {t.name for t in run.targets} >= {
        "page activity_list@anonymous time vs minimal view",
        "page activity_list@anonymous queries",
    }


def test_report_phase_compares_the_report_with_its_raw_sql(tiny_district):
    run = Run()
    context = phases.Context(run=run, scale=0.002, stdout=io.StringIO(), iterations=3, world=tiny_district)
    phases.report(context)
    report = run.sections["report"]
    assert report["raw_sql_seconds"] > 0 and report["ratio"] > 0
    assert report["headline_report"] == {k: report["headline_raw_sql"][k] for k in report["headline_report"]}
    assert report["rows_fetched_by_statements"] <= 5_000


def test_world_picks_a_busy_center_and_real_actors(tiny_district):
    world: World = tiny_district
    assert world.activity.center_id == world.center.pk
    assert world.user("worker").roles.filter(center=world.center).exists()
    assert world.user("superuser").is_superuser
    assert connection.vendor in {"sqlite", "postgresql"}


def test_a_run_that_misses_only_budgets_worked_but_an_error_answer_means_it_went_wrong():
    run = Run()
    run.target("page x queries", 12, 8, budget=True)
    run.target("page x time vs minimal view", 9.0, 8.0, "x", timing=True)
    assert len(run.unmet()) == 2 and run.broken() == []
    wrong = run.target("page x answers other than 200", 3, 0)
    assert run.broken() == [wrong] and run.broken(smoke=True) == [wrong]

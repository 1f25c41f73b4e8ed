"""Report pages: generate with progress JSON, read, export (Excel, CSV, print), dashboard."""

import csv
import datetime as dt
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from reports.models import CenterMonthFigures, Report
from reports.periods import Period
from tests.query_budget import assert_flat_queries

from .factories import PERIOD, build_dataset, published_report

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def data(world):
    return build_dataset(world)


@pytest.fixture
def street_report(world, data, client, django_capture_on_commit_callbacks):
    """Street A's report for PERIOD, generated from the web by its street staff."""
    client.force_login(world.user("street"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:generate"),
            {"scope": f"street:{world.center_a.street_id}", "month": PERIOD.key},
            **JSON,
        )
    assert response.status_code == 202
    return Report.objects.get(pk=response.json()["id"])


def test_street_staff_see_their_streets_reports_only(world, client):
    own = published_report(world, "own")
    other = published_report(world, "other")
    client.force_login(world.user("street"))

    response = client.get(reverse("reports:index"))

    assert response.status_code == 200
    assert reverse("reports:detail", args=[own.pk]) in response.content.decode()
    assert reverse("reports:detail", args=[other.pk]) not in response.content.decode()
    assert "月度报表" in response.content.decode()  # Chinese by default


def test_residents_and_center_staff_may_not_open_reports(world, client):
    for role in ("resident", "volunteer", "worker", "manager"):
        client.force_login(world.user(role))
        assert client.get(reverse("reports:index")).status_code == 403
    client.logout()
    assert "/accounts/login/" in client.get(reverse("reports:index"))["Location"]


def test_generate_answers_with_a_status_to_poll_and_the_report_is_then_ready(world, street_report, client):
    status = client.get(reverse("reports:status", args=[street_report.pk])).json()

    assert status["done"] is True and status["progress"] == 100 and status["status"] == "published"
    assert status["xlsx_url"] == reverse("reports:export_xlsx", args=[street_report.pk])
    assert status["detail_url"] == reverse("reports:detail", args=[street_report.pk])


def test_the_status_of_a_queued_report_is_not_done(world, client, monkeypatch):
    from reports import tasks

    monkeypatch.setattr(tasks.generate_report_task, "delay_on_commit", lambda pk: None)
    client.force_login(world.user("street"))
    response = client.post(
        reverse("reports:generate"),
        {"scope": f"street:{world.center_a.street_id}", "month": PERIOD.key},
        **JSON,
    )
    status = client.get(response.json()["status_url"]).json()

    assert response.status_code == 202
    assert status["done"] is False and status["status"] == "queued" and status["xlsx_url"] == ""
    page = client.get(response.json()["detail_url"]).content.decode()
    assert f'data-status-url="{response.json()["status_url"]}"' in page and "<script>" not in page


def test_generate_without_script_redirects_to_the_report(world, client, monkeypatch):
    from reports import tasks

    monkeypatch.setattr(tasks.generate_report_task, "delay_on_commit", lambda pk: None)
    client.force_login(world.user("street"))
    response = client.post(
        reverse("reports:generate"), {"scope": f"street:{world.center_a.street_id}", "month": PERIOD.key}
    )

    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:detail", args=[report.pk])


def test_generate_refuses_another_street_and_a_future_month_keeping_the_input(world, client):
    client.force_login(world.user("street"))

    other = client.post(
        reverse("reports:generate"), {"scope": f"street:{world.center_b.street_id}", "month": PERIOD.key}
    )
    future = client.post(
        reverse("reports:generate"),
        {"scope": f"street:{world.center_a.street_id}", "month": Period.current().shift(2).key},
    )

    assert other.status_code == 400 and "scope" in other.context["form"].errors
    assert future.status_code == 400 and "该月份尚未开始" in future.content.decode()
    assert f'value="{Period.current().shift(2).key}"' in future.content.decode()
    assert not Report.objects.exists()


def test_the_report_page_shows_every_section_in_chinese(world, street_report, client):
    page = client.get(reverse("reports:detail", args=[street_report.pk])).content.decode()

    for title in (
        "活动",
        "走访与关爱",
        "服务诉求（按渠道和类别）",
        "志愿者、时长与积分",
        "矛盾调解（按结果）",
    ):
        assert title in page
    assert "参与居民人数" in page and "合计" in page and "\x04" not in page


def test_the_report_sections_are_rendered_once_per_language(world, street_report, client, settings):
    url = reverse("reports:detail", args=[street_report.pk])
    chinese = client.get(url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    english = client.get(url).content.decode()

    assert "走访与关爱" in chinese and "Home visits and care" not in chinese
    assert "Home visits and care" in english and "走访与关爱" not in english
    street_report.refresh_from_db()
    assert english.count('class="report-section"') == len(street_report.sections)


def test_excel_export_has_a_sheet_per_section_chinese_headers_formats_and_frozen_header(
    world, street_report, client
):
    response = client.get(reverse("reports:export_xlsx", args=[street_report.pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == "报表概要" and len(book.sheetnames) == 1 + len(street_report.sections)
    activities = book["活动"]
    assert [c.value for c in activities[1]][:3] == ["中心", "开展活动", "取消活动"]
    assert activities.freeze_panes == "A2"
    assert activities.column_dimensions["A"].width >= 12
    rows = {r[0].value: r for r in activities.iter_rows(min_row=2)}
    assert rows[world.center_a.name][1].value == 3 and rows[world.center_a.name][1].number_format == "#,##0"
    assert rows["合计"][5].value == 2  # unique residents of the street
    rate = rows[world.center_a.name][7]
    assert rate.value == pytest.approx(0.6) and rate.number_format == "0.0%"
    hours = {r[0].value: r for r in book["志愿者、时长与积分"].iter_rows(min_row=2)}
    assert hours["合计"][4].value == pytest.approx(8.0) and hours["合计"][4].number_format == "#,##0.0"


def test_exports_escape_cells_that_a_spreadsheet_would_run_as_formulas(world, street_report, client):
    book = load_workbook(
        io.BytesIO(client.get(reverse("reports:export_xlsx", args=[street_report.pk])).content)
    )
    text_cells = [
        c for ws in book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)
    ]
    raw = client.get(reverse("reports:export_csv", args=[street_report.pk])).content.decode("utf-8-sig")
    csv_cells = [cell for row in csv.reader(io.StringIO(raw)) for cell in row]

    assert "'=仁与社工" in [c.value for c in text_cells]  # the operator's hostile name, escaped
    assert not [c for c in text_cells if c.value.startswith(("=", "+", "-", "@"))]
    assert all(c.data_type != "f" for ws in book.worksheets for row in ws.iter_rows() for c in row)
    assert "'=仁与社工" in csv_cells
    assert not [c for c in csv_cells if c.startswith(("=", "+", "-", "@"))]


def test_csv_export_is_utf8_with_a_bom_and_chinese_headers(world, street_report, client):
    response = client.get(reverse("reports:export_csv", args=[street_report.pk]))

    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert ["活动"] in rows
    header = next(r for r in rows if r[:2] == ["中心", "开展活动"])
    assert header[:4] == ["中心", "开展活动", "取消活动", "确认报名"]
    assert [world.center_a.name, "3", "1", "5", "3", "2", "2", "60.0%"] in rows


def test_exports_and_pages_hold_aggregates_never_a_persons_data(world, data, street_report, client):
    outputs = [
        client.get(reverse("reports:export_csv", args=[street_report.pk])).content.decode("utf-8-sig"),
        client.get(reverse("reports:detail", args=[street_report.pk])).content.decode(),
        client.get(reverse("reports:print", args=[street_report.pk])).content.decode(),
    ]
    book = load_workbook(
        io.BytesIO(client.get(reverse("reports:export_xlsx", args=[street_report.pk])).content)
    )
    outputs.append(" ".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row))
    people = [u.real_name for u in data.residents.values()] + [u.phone for u in data.residents.values()]
    people += data.objects["recipient_names"] + ["报表联系人", "13800000001", "HYPERLINK", "反对", "已调整"]

    for text in outputs:
        assert not [p for p in people if p in text]


def test_the_print_view_is_an_a4_page_with_every_section(world, street_report, client):
    page = client.get(reverse("reports:print", args=[street_report.pk])).content.decode()

    assert "css/reports.css" in page and "data-print" in page and "<script>" not in page
    assert page.count('class="report-section"') == len(street_report.sections)


def test_another_streets_staff_cannot_open_or_download_the_report(world, street_report, client):
    from core.models import Role
    from core.services import grant_role
    from tests.factories import UserFactory

    stranger = UserFactory()
    grant_role(user=stranger, role=Role.STREET_STAFF, street=world.center_b.street)
    client.force_login(stranger)

    for name in ("detail", "status", "print", "export_xlsx", "export_csv"):
        assert client.get(reverse(f"reports:{name}", args=[street_report.pk])).status_code == 404
    assert (
        reverse("reports:detail", args=[street_report.pk])
        not in client.get(reverse("reports:index")).content.decode()
    )


def test_district_staff_open_any_streets_report(world, street_report, client):
    client.force_login(world.user("district"))

    assert client.get(reverse("reports:export_xlsx", args=[street_report.pk])).status_code == 200


def test_exports_of_a_report_not_yet_published_are_not_found(world, client, monkeypatch):
    from reports import services, tasks
    from reports.periods import Scope

    monkeypatch.setattr(tasks.generate_report_task, "delay_on_commit", lambda pk: None)
    report, _ = services.request_report(
        scope=Scope.for_street(world.center_a.street), period=PERIOD, requested_by=None
    )
    client.force_login(world.user("street"))

    assert client.get(reverse("reports:export_xlsx", args=[report.pk])).status_code == 404
    assert client.get(reverse("reports:print", args=[report.pk])).status_code == 404


def test_dashboard_draws_twelve_month_charts_and_the_centers_side_by_side(world, data, client):
    client.force_login(world.user("street"))

    response = client.get(reverse("reports:dashboard"), {"month": PERIOD.key})

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<svg") == 5 and "<script>" not in page and "style=" not in page.split("<main")[1]
    assert data.center_a.name in page and data.center_a2.name in page and data.center_b.name not in page
    activities = next(t for t in response.context["trends"] if t["key"] == "activities")
    assert len(activities["values"]) == 12 and activities["values"][-1] == 4 and activities["values"][-2] == 1
    side = response.context["side_by_side"]
    row = next(r for r in side["rows"] if r["name"] == data.center_a.name)
    assert row["cells"][0][0] == 3  # activities held at center A


def test_district_staff_pick_a_street_on_the_dashboard(world, data, client):
    client.force_login(world.user("district"))

    response = client.get(
        reverse("reports:dashboard"), {"scope": f"street:{world.center_b.street_id}", "month": PERIOD.key}
    )

    page = response.content.decode()
    assert data.center_b.name in page and data.center_a.name not in page


def test_the_report_list_keeps_its_query_count_flat(world, client):
    client.force_login(world.user("street"))

    def add(n):
        for _ in range(n):
            published_report(world, "own", period=Period(2024, 1 + Report.objects.count() % 12))

    assert_flat_queries(client, reverse("reports:index"), add, small=1, large=15)


def test_the_report_page_keeps_its_query_count_flat_whatever_the_versions(world, client):
    report = published_report(world, "own")
    client.force_login(world.user("street"))

    assert_flat_queries(
        client,
        reverse("reports:detail", args=[report.pk]),
        lambda n: [published_report(world) for _ in range(n)],
    )


def test_my_page_tells_staff_a_report_is_ready(world, street_report, client):
    page = client.get(reverse("core:me")).content.decode()

    assert "月报已生成" in page and reverse("reports:detail", args=[street_report.pk]) in page


def test_status_json_is_never_cached(world, street_report, client):
    response = client.get(reverse("reports:status", args=[street_report.pk]))

    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert json.loads(response.content)["id"] == street_report.pk


# ------------------------------------------------------------------ dashboard: figures counted in advance
def _dashboard(client, **params):
    return client.get(reverse("reports:dashboard"), {"month": PERIOD.key, **params})


def _side_by_side(response) -> dict[str, dict]:
    side = response.context["side_by_side"]
    keys = [c["key"] for c in side["columns"]]
    return {
        row["name"]: dict(zip(keys, [v for v, _kind in row["cells"]], strict=True)) for row in side["rows"]
    }


def test_dashboard_figures_equal_the_reports_sections_and_the_database(world, data, client):
    from centers.models import Activity, Signup
    from dispatch.models import ServiceRequest
    from reports.sections import SECTIONS, run_section

    from .helpers import row_of

    client.force_login(world.user("street"))
    scope = data.street_scope

    response = _dashboard(client)

    shown = _side_by_side(response)
    live = {spec.key: run_section(spec, PERIOD, scope) for spec in SECTIONS}
    for center in (data.center_a, data.center_a2):
        activities = row_of(live["activities"], center.name)
        care = row_of(live["care"], center.name)
        requests = row_of(live["requests"], center.name)
        volunteers = row_of(live["volunteers"], center.name)
        assert shown[center.name] == {
            "held": activities["held"],
            "attended": activities["attended"],
            "residents": activities["residents"],
            "visits": care["visits"],
            "overdue": care["overdue"],
            "requests_received": requests["received"],
            "completion_rate": requests["completion_rate"],
            "verified_hours": volunteers["verified_hours"],
        }
    assert shown[data.center_a.name]["held"] == 3 and shown[data.center_a.name]["verified_hours"] == 7.0
    # The trends, month by month, against hand-written counts of the street's rows.
    trends = {t["key"]: t for t in response.context["trends"]}
    street = data.center_a.street
    for index, period in enumerate(PERIOD.months_back(12)):
        in_month = {"starts_at__gte": period.start_at, "starts_at__lt": period.end_at}
        held = Activity.objects.filter(center__street=street, status="published", **in_month).count()
        attended = Signup.objects.filter(
            activity__center__street=street,
            activity__status="published",
            attended_at__isnull=False,
            **{f"activity__{k}": v for k, v in in_month.items()},
        ).count()
        received = ServiceRequest.objects.filter(
            center__street=street, created_at__gte=period.start_at, created_at__lt=period.end_at
        ).count()
        assert trends["activities"]["values"][index] == held
        assert trends["attendance"]["values"][index] == attended
        assert trends["requests"]["values"][index] == received
    assert trends["visits"]["values"][-2:] == [1, 3] and trends["hours"]["values"][-2:] == [1.0, 8.0]
    # When they were counted is said on the page.
    page = response.content.decode()
    as_of = response.context["as_of"]
    assert as_of is not None and timezone.now() - as_of < dt.timedelta(minutes=1)
    assert "数据截至" in page and "统计时间" in page
    assert '<td class="num">4</td>' in page and '<td class="num">8.0</td>' in page  # counts, and hours


def test_the_dashboard_shows_counted_figures_until_they_are_recounted(world, data, client, monkeypatch):
    from django.core.cache import cache

    from reports import tasks

    from .factories import _activity

    cache.clear()
    recounts = []
    monkeypatch.setattr(tasks.refresh_dashboard_figures_task, "delay_on_commit", lambda: recounts.append(1))
    client.force_login(world.user("street"))
    current = Period.current()
    _activity(data.center_a, timezone.now())
    first = _dashboard(client, month=current.key)
    _activity(data.center_a, timezone.now())

    second = _dashboard(client, month=current.key)

    held = _side_by_side(second)[data.center_a.name]["held"]
    assert held == _side_by_side(first)[data.center_a.name]["held"] >= 1  # as counted, not live
    assert second.context["as_of"] == first.context["as_of"] and not recounts
    # An hour later the beat should have recounted: the page asks the worker, once.
    CenterMonthFigures.objects.update(counted_at=timezone.now() - dt.timedelta(hours=2))
    _dashboard(client, month=current.key)
    _dashboard(client, month=current.key)
    assert recounts == [1]
    tasks.refresh_dashboard_figures_task.apply()
    assert _side_by_side(_dashboard(client, month=current.key))[data.center_a.name]["held"] == held + 1


def _busy_centers(world, n: int) -> list:
    """``n`` more centers in street A, each with an activity attended, a visit and a request in
    each of three months."""
    from care.models import Recipient, Visit
    from tests.factories import CenterFactory, UserFactory

    from .factories import _activity, _request, _signup, at, on

    street = world.center_a.street
    resident = UserFactory()
    centers = []
    for _ in range(n):
        center = CenterFactory(community=world.center_a.community, street=street)
        recipient = Recipient.objects.create(center=center, name="看板老人", found_on=on(1, PERIOD.shift(-3)))
        for back in range(3):
            period = PERIOD.shift(-back)
            _signup(_activity(center, at(10, period=period)), resident, attended=True)
            Visit.objects.create(
                recipient=recipient, center=center, visited_on=on(11, period), visited_by=world.user("worker")
            )
            _request(center, at(12, period=period))
        centers.append(center)
    return centers


def _selects(client, url: str) -> int:
    """SELECTs of one GET (SQLite splits a large upsert into batches of 999 parameters)."""
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return sum(q["sql"].startswith("SELECT") for q in ctx.captured_queries)


def test_the_dashboard_reads_its_figures_in_one_query_whatever_the_centers(world, client):
    from tests.query_budget import count_data_queries as count_queries

    client.force_login(world.user("street"))
    url = f"{reverse('reports:dashboard')}?month={PERIOD.key}"
    _busy_centers(world, 2)
    counting_few = _selects(client, url)  # the months are counted on the first view
    reading_few, _ = count_queries(client, url)
    _busy_centers(world, 15)
    counting_many = _selects(client, url)

    reading_many, response = count_queries(client, url)

    assert reading_few == reading_many <= 8
    assert counting_many == counting_few  # one grouped query per kind of figure, not per center
    assert len(response.context["side_by_side"]["rows"]) == 18
    assert response.context["trends"][0]["values"][-3:] == [17, 17, 17]
    assert CenterMonthFigures.objects.filter(center__street=world.center_a.street).count() == 18 * 12

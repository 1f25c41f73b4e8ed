"""Street staff generate a report in the browser, watch its progress, and download the Excel file."""

import re

import pytest
from openpyxl import load_workbook

from .factories import PERIOD, build_dataset

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_street_staff_generate_watch_progress_and_download_excel(
    celery_worker_process, flushable_audit_log, world, live_server, page
):
    build_dataset(world)
    page.goto(live_server.url + "/accounts/login/?next=/reports/")
    page.locator("input[name=login]").fill(world.user("street").email)
    page.locator("input[name=password]").fill("pass-word-123")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/reports/$"))

    page.select_option("#id_scope", f"street:{world.center_a.street_id}")
    page.locator("#id_month").fill(PERIOD.key)
    url_before = page.url
    polls = []
    page.on("request", lambda request: polls.append(request.url) if "/status/" in request.url else None)
    page.locator("#generate-button").click()

    progress = page.locator("#report-progress")
    progress.wait_for(state="visible")
    page.locator("#report-progress-links").wait_for(state="visible", timeout=60_000)
    assert page.url == url_before  # the page was never reloaded
    assert polls, "the page did not poll the status endpoint"
    assert page.locator("#report-progress-bar").evaluate("bar => bar.value") == 100
    assert "报表已生成" in progress.inner_text()

    with page.expect_download() as download:
        page.locator("#report-progress-xlsx").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    with open(download.value.path(), "rb") as file:
        book = load_workbook(file)
    rows = {r[0].value: r for r in book["活动"].iter_rows(min_row=2)}
    assert rows[world.center_a.name][1].value == 3
    assert book["活动"].freeze_panes == "A2"

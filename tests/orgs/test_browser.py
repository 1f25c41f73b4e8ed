"""The directory and a contract page in a real browser, at phone width."""

import datetime
import re

import pytest
from django.apps import apps
from django.utils import timezone

from core.models import Role
from core.services import grant_role
from orgs.models import Metric, Period
from tests.factories import CenterFactory, UserFactory

from .factories import contract_for, filed_org, registered_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_resident_browses_the_directory_filters_by_status_and_opens_an_organization(live_server, page):
    page.set_viewport_size({"width": 375, "height": 800})
    filed_org(name="白鱼潭银龄互助团")
    registered_org(name="乐家社工", description="专业社工机构")
    page.goto(live_server.url + "/orgs/")
    assert page.locator("h1").inner_text() == "社会组织"
    main = page.locator("main")
    assert "白鱼潭银龄互助团" in main.inner_text() and "乐家社工" in main.inner_text()

    page.select_option("#id_status", "registered")
    page.get_by_role("button", name="查询").click()
    page.wait_for_url(re.compile(r"status=registered"))
    assert "乐家社工" in main.inner_text() and "白鱼潭银龄互助团" not in main.inner_text()

    page.get_by_role("link", name="乐家社工").click()
    assert page.locator("h1").inner_text() == "乐家社工"
    assert "注册登记" in main.inner_text() and "专业社工机构" in main.inner_text()
    # No horizontal scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_street_staff_read_a_contracts_targets_against_actuals(live_server, page):
    center = CenterFactory(name="白鱼潭社区幸福邻里中心")
    staff = UserFactory(email="street@browser.test", real_name="吴静华")
    grant_role(user=staff, role=Role.STREET_STAFF, street=center.street)
    contract = contract_for(
        center=center,
        targets=[(Metric.ACTIVITIES, Period.MONTH, 8), (Metric.VOLUNTEER_HOURS, Period.QUARTER, 200)],
    )
    midnight = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time.min))
    for i in range(2):
        start = midnight + datetime.timedelta(minutes=i + 1)
        apps.get_model("centers", "Activity").objects.create(
            center=center,
            title="环保小课堂",
            category="environment",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=1),
            capacity=20,
        )
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + "/accounts/login/")
    page.locator("input[name=login]").fill("street@browser.test")
    page.locator("input[name=password]").fill("pass-word-123")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/me/"))

    page.goto(live_server.url + "/orgs/contracts/")
    page.get_by_role("link", name=contract.title).click()
    row = page.locator("table.org-targets tbody tr").filter(has_text="开展活动")
    assert "每月至少 8" in row.inner_text()
    assert row.locator("td[data-label=实际完成]").inner_text() == "2"
    assert "差 6" in row.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

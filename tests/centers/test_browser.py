"""In a real browser: browse activities, filter, sign up, find it on My page, cancel."""

import re

import pytest

from centers.models import Category, Signup
from tests.factories import CenterFactory, UserFactory

from .factories import ActivityFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pass-word-123"


def test_resident_browses_filters_signs_up_sees_it_on_my_page_and_cancels(live_server, page):
    center = CenterFactory(name="白鱼潭社区幸福邻里中心")
    talk = ActivityFactory(center=center, title="银龄健康讲座", category=Category.HEALTH, capacity=12)
    ActivityFactory(center=center, title="书法兴趣班", category=Category.CULTURE)
    resident = UserFactory(real_name="王秀英")
    page.on("dialog", lambda dialog: dialog.accept())  # "确定不参加了吗？"

    # Browse and filter.
    page.goto(live_server.url + "/activities/")
    assert page.locator("h1").inner_text() == "活动"
    page.locator("summary", has_text="筛选").click()
    page.select_option("select[name=category]", "health")
    page.get_by_role("button", name="搜索").click()
    page.wait_for_url(re.compile(r"category=health"))
    assert page.get_by_role("link", name="银龄健康讲座").is_visible()
    assert page.get_by_role("link", name="书法兴趣班").count() == 0

    # The activity page: free seats; signing in brings the resident back here.
    page.get_by_role("link", name="银龄健康讲座").click()
    assert "剩余 12 个名额" in page.locator(".seats").inner_text()
    page.get_by_role("link", name="登录后报名").click()
    page.locator("input[name=login]").fill(resident.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(rf"/activities/{talk.pk}/$"))

    # Sign up: the seat is taken.
    page.get_by_role("button", name="报名", exact=True).click()
    assert "报名成功" in page.locator(".messages").inner_text()
    assert "剩余 11 个名额" in page.locator(".seats").inner_text()

    # My page shows it, with the check-in code; cancel from there.
    page.get_by_role("link", name="我的").first.click()
    section = page.locator(".me-signups")
    assert "银龄健康讲座" in section.inner_text()
    code = Signup.objects.get(resident=resident).code
    assert code in section.inner_text()
    section.get_by_role("button", name="取消参加").click()
    page.wait_for_url(re.compile(r"/me/$"))
    assert "已取消报名" in page.locator(".messages").inner_text()
    assert "您还没有报名任何活动" in page.locator(".me-signups").inner_text()
    assert Signup.objects.get(resident=resident).status == Signup.Status.CANCELLED

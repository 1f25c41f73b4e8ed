"""In a real browser: a resident files a request, follows it to done and rates it; a dispatcher assigns."""

import re

import pytest

from core.models import Role
from core.services import grant_role
from dispatch import services
from dispatch.models import Assignment, ServiceRequest
from tests.factories import CenterFactory, UserFactory

from .factories import CollectionSiteFactory, make_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pass-word-123"


def _sign_in(page, live_server, user):
    page.goto(live_server.url + "/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/me/"))


def test_resident_files_a_request_follows_it_to_done_and_rates_it(live_server, page):
    center = CenterFactory(community__name="白鱼潭社区")
    resident = UserFactory(real_name="王秀英")
    _sign_in(page, live_server, resident)
    page.get_by_role("link", name="我要服务").first.click()
    page.select_option("select[name=category]", "repairs")
    page.select_option("select[name=community]", str(center.community_id))
    page.locator("textarea[name=description]").fill("厨房水龙头一直漏水，自己修不好。")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/requests/[0-9a-f-]{36}/$"))
    assert "待派单" in page.locator(".status-line").inner_text()

    request = ServiceRequest.objects.get(requester=resident)
    staff = UserFactory()
    services.assign_request(
        request=request, by=staff, site=CollectionSiteFactory(center=center, name="白鱼潭共享学堂")
    )
    services.start_request(request=request, by=staff)
    services.complete_request(request=request, by=staff, note="已换新水龙头")

    page.goto(live_server.url + "/me/")
    page.get_by_role("link", name="评价服务").click()
    timeline = page.locator(".timeline").inner_text()
    for label in ("待派单", "已指派", "处理中", "已完成"):
        assert label in timeline
    page.get_by_label("5 · 非常满意").check()
    page.locator("textarea[name=comment]").fill("师傅很专业")
    page.get_by_role("button", name="提交评价").click()
    assert "5 / 5" in page.locator("main").inner_text()
    assert ServiceRequest.objects.get(pk=request.pk).feedback.comment == "师傅很专业"


def test_dispatcher_assigns_a_request_from_the_candidates(live_server, page):
    center = CenterFactory()
    worker = UserFactory()
    grant_role(user=worker, role=Role.SOCIAL_WORKER, center=center)
    CollectionSiteFactory(center=center, name="小蚂蚁共享学堂")
    request = make_request(center, description="楼道灯坏了一个多星期")
    _sign_in(page, live_server, worker)
    page.goto(live_server.url + "/requests/desk/?status=new")
    page.get_by_role("link", name=request.display_number).click()
    assert "楼道灯坏了一个多星期" in page.locator("main").inner_text()
    page.get_by_role("link", name="选择接单人").click()
    page.get_by_role("radio", name="小蚂蚁共享学堂").check()
    page.get_by_label("给承接方的备注").fill("请带上梯子")
    page.get_by_role("button", name="派单").click()
    assert "已派单" in page.locator(".messages").inner_text()
    assignment = Assignment.objects.get(request=request)
    assert assignment.site.name == "小蚂蚁共享学堂" and assignment.note == "请带上梯子"
    assert "已指派" in page.locator("h1").inner_text()

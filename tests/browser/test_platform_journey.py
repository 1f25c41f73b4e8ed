"""A newcomer's first visit in a real browser: home -> language -> sign up by mobile -> sign in."""

import re

import pytest

from core.models import User
from core.sms import MemorySmsBackend
from tests.factories import CenterFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_switch_language_sign_up_with_mobile_then_sign_in(live_server, page):
    CenterFactory(name="白鱼潭社区幸福邻里中心")
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "幸福邻里中心"
    assert page.get_by_text("白鱼潭社区幸福邻里中心").is_visible()

    page.select_option("#language-select", "en")
    page.get_by_role("button", name="切换").click()
    assert page.locator("h1").inner_text() == "Happy Neighborhood Centers"
    page.select_option("#language-select", "zh-hans")
    page.get_by_role("button", name="Switch").click()
    assert page.locator("h1").inner_text() == "幸福邻里中心"

    page.get_by_role("link", name="注册").first.click()
    page.locator("input[name=real_name]").fill("王秀英")
    page.locator("input[name=phone]").fill("13912345678")
    page.locator("input[name=password1]").fill("Xingfu-2026!")
    page.locator("input[name=password2]").fill("Xingfu-2026!")
    page.locator("input[name=consent]").check()
    page.locator("main form button[type=submit]").last.click()

    page.wait_for_url(re.compile(r"/accounts/phone/verify/"))
    code = re.search(r"(\d{6})", MemorySmsBackend.outbox[-1][1]).group(1)
    page.locator("input[name=code]").fill(code)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/me/"))
    assert User.objects.get(phone="13912345678").phone_verified

    page.get_by_role("link", name="退出").click()
    page.locator("main form button[type=submit]").first.click()  # confirm signing out
    page.get_by_role("link", name="登录").first.click()
    page.locator("input[name=login]").fill("13912345678")
    page.locator("input[name=password]").fill("Xingfu-2026!")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/me/"))
    assert "王秀英" in page.locator("main").inner_text()

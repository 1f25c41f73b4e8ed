"""Register as a volunteer → join a team → sign up for a duty → check in and out → the leader
verifies in the admin → points appear → redeem in the shop → the keeper hands it out."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from core.models import Role
from core.services import grant_role
from tests.factories import CenterFactory, UserFactory
from volunteers import services
from volunteers.models import DutySignup, Membership, Redemption

from .factories import DutyFactory, ShopItemFactory, TeamFactory


def _signed_in_context(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 800})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context


@pytest.mark.browser
def test_a_resident_volunteers_earns_points_and_picks_up_a_reward(live_server, browser):
    center = CenterFactory(name="白鱼潭社区幸福邻里中心")
    leader = UserFactory(real_name="周渊")
    grant_role(user=leader, role=Role.SOCIAL_WORKER, center=center)
    team = TeamFactory(center=center, leader=leader, name="银龄互助团")
    now = timezone.now()
    duty = DutyFactory(team=team, center=center, title="月月助老：走访高龄老人", starts_at=now - timedelta(hours=2, minutes=30),
                       ends_at=now + timedelta(hours=2), check_in_code="246810")  # fmt: skip
    item = ShopItemFactory(shop__center=center, name="理发券", point_price=10, stock=5)
    resident = UserFactory(real_name="")

    page = _signed_in_context(browser, live_server, resident).new_page()
    page.goto(f"{live_server.url}/volunteers/register/?next=/volunteers/teams/{team.pk}/")
    page.get_by_label("真实姓名", exact=False).first.fill("李志强")
    page.get_by_label("所属中心").select_option(str(center.pk))
    page.get_by_label("我同意中心保存我的真实姓名").check()
    page.get_by_role("button", name="注册").click()
    page.get_by_role("button", name="申请加入").click()
    expect(page.get_by_text("已提交申请").first).to_be_visible()

    membership = Membership.objects.get(team=team)  # the leader says yes (an admin action, tested elsewhere)
    services.decide_membership(membership=membership, approve=True, by=leader)

    page.goto(f"{live_server.url}{duty.get_absolute_url()}")
    page.get_by_role("button", name="报名该岗位").click()
    page.get_by_label("现场公示的签到码").fill("246810")
    page.get_by_role("button", name="签到").click()
    expect(page.get_by_text("签到成功")).to_be_visible()
    DutySignup.objects.filter(duty=duty).update(
        checked_in_at=timezone.now() - timedelta(hours=2)
    )  # two hours pass
    page.get_by_label("现场公示的签到码").fill("246810")
    page.get_by_role("button", name="签退").click()
    expect(page.get_by_text("记录服务时长 2.00 小时")).to_be_visible()

    desk = _signed_in_context(browser, live_server, leader).new_page()
    desk.goto(f"{live_server.url}/admin/volunteers/hourrecord/")
    desk.locator("input[name=_selected_action]").first.check()
    desk.locator("select[name=action]").select_option("verify")
    desk.locator("button[name=index]").click()
    expect(desk.get_by_text("已核实 1 条记录")).to_be_visible()

    page.goto(f"{live_server.url}/me/")
    expect(page.locator(".points-balance")).to_have_text("20")
    expect(page.locator(".verified-hours")).to_have_text("2")

    page.goto(f"{live_server.url}{item.shop.get_absolute_url()}")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(f"#item-{item.pk}").get_by_role("button", name="兑换").click()
    expect(page.locator(".pickup-code")).to_have_count(1)
    code = page.locator(".pickup-code").inner_text()
    expect(page.locator(".points-balance")).to_have_text("10")

    desk.goto(f"{live_server.url}/volunteers/shop/{item.shop_id}/pickup/")
    desk.get_by_label("兑换码").fill(code)
    desk.get_by_role("button", name="核对兑换码并发放").click()
    expect(desk.get_by_text("理发券 × 1")).to_be_visible()
    assert Redemption.objects.get(code=code).status == Redemption.Status.FULFILLED

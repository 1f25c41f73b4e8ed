"""In a real browser: the organizer takes a held meeting to its final plan; a resident reads the
notice and objects."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from PIL import Image

from core.models import Role
from core.services import grant_role
from deliberation.models import Meeting, Notice
from tests.factories import CenterFactory, UserFactory

from .factories import held_meeting, notice_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pass-word-123"


def sign_in(page, live_server, user) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/me/$"))


def step(page, form_id: str, button: str) -> None:
    page.locator(f"#{form_id}").get_by_role("button", name=button).click()
    page.wait_for_load_state()
    assert page.locator(".message.error").count() == 0, page.locator("main").inner_text()[:500]


def test_the_organizer_takes_a_meeting_to_its_final_plan(live_server, page, tmp_path):
    center = CenterFactory(name="余家漾社区幸福邻里中心")
    organizer = UserFactory(real_name="张敏")
    grant_role(user=organizer, role=Role.SOCIAL_WORKER, center=center)
    meeting = held_meeting(center=center, topic="关于垃圾投放驿站选点")
    photo = tmp_path / "site.jpg"
    Image.new("RGB", (120, 90), (60, 150, 70)).save(photo, "JPEG")

    sign_in(page, live_server, organizer)
    page.goto(live_server.url + meeting.get_manage_url())
    assert page.locator("h1").inner_text() == "关于垃圾投放驿站选点"

    # Opinions, grouped by category.
    form = page.locator("#step-add_opinion")
    form.locator("select[name=speaker]").select_option(index=2)
    form.locator("textarea[name=text]").fill("不要放在我们居民娱乐活动的场所。")
    form.locator("input[name=categories]").fill("选址")
    step(page, "step-add_opinion", "登记意见")
    step(page, "step-finish_opinions", "完成意见汇总")

    # Options and the vote.
    for title in ("北门绿化带旁", "3幢与5幢之间空地"):
        page.locator("#step-add_option input[name=title]").fill(title)
        step(page, "step-add_option", "添加选项")
    step(page, "step-open_vote", "开始表决")
    for _ in range(3):
        form = page.locator("#step-cast_vote")
        form.locator("select[name=participant]").select_option(index=1)
        form.get_by_label("北门绿化带旁").check()
        step(page, "step-cast_vote", "登记表决")
    step(page, "step-close_vote", "结束表决并计票")
    assert "北门绿化带旁 成为初步方案" in page.locator(".messages").inner_text()

    # Site inspection with a photo, then the final plan.
    page.locator("#step-plan_inspection textarea[name=task]").fill("实地查看北门绿化带")
    page.locator("#step-plan_inspection input[name=responsible]").fill("张敏")
    page.locator("#step-plan_inspection input[name=due_on]").fill(f"{timezone.localdate():%Y-%m-%d}")
    step(page, "step-plan_inspection", "安排实地考察")
    page.locator("#step-record_inspection textarea[name=findings]").fill("距最近住户约25米，有水电管线。")
    page.locator("#step-record_inspection input[name=photos]").set_input_files(str(photo))
    step(page, "step-record_inspection", "登记考察结果")
    page.locator("#step-adopt_final_plan textarea[name=text]").fill("垃圾投放驿站设在北门绿化带旁。")
    step(page, "step-adopt_final_plan", "确定最终方案")

    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.FINAL
    assert meeting.final_plan == "垃圾投放驿站设在北门绿化带旁。"
    assert meeting.inspection.photos.count() == 1
    assert "发布公示" in page.locator(".delib-next").inner_text()


def test_a_resident_reads_the_notice_and_objects(live_server, page):
    meeting = notice_meeting(center=CenterFactory(), topic="关于垃圾投放驿站选点")
    resident = UserFactory(real_name="王秀英")

    page.goto(live_server.url + "/deliberation/")
    assert page.locator("h1").inner_text() == "协商公示与议事决定"
    page.get_by_role("link", name="关于垃圾投放驿站选点").click()
    assert "公示中" in page.locator("#notice").inner_text()
    assert "北门绿化带旁" in page.locator("#votes").inner_text()
    page.get_by_role("link", name="对方案提出异议").click()

    page.locator("input[name=login]").fill(resident.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/objection/$"))

    page.get_by_label("您的异议").fill("不行")
    page.get_by_role("button", name="提交异议").click()
    assert page.get_by_label("您的异议").input_value() == "不行"  # kept, with the error beside it
    assert page.locator(".errorlist").count() >= 1
    page.get_by_label("您的异议").fill("驿站离幼儿园门口太近，孩子上下学不安全。")
    page.get_by_role("button", name="提交异议").click()
    page.wait_for_url(re.compile(rf"/deliberation/{meeting.pk}/"))

    assert "公示已暂停" in page.locator("#notice").inner_text()
    assert "驿站离幼儿园门口太近" in page.locator("#objections").inner_text()
    assert Notice.objects.get(meeting=meeting).status == Notice.Status.PAUSED
    assert Notice.objects.get(meeting=meeting).ends_at > timezone.now() + dt.timedelta(days=1)

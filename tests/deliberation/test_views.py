"""Public notices, the objection form, the organizer's workbench, minutes and mediation pages."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from core.models import AuditEntry
from deliberation import services
from deliberation.models import Meeting, Notice, Objection, Opinion, Participant, Party, Vote
from tests.factories import CenterFactory, UserFactory
from tests.query_budget import assert_flat_queries

from .factories import (
    MediationPartyFactory,
    closed_case,
    closed_meeting,
    draft_meeting,
    held_meeting,
    notice_meeting,
    public_meeting,
    voting_meeting,
)

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return response.content.decode()


# ------------------------------------------------------------------ the public list
def test_public_list_shows_notices_in_chinese(client):
    meeting = notice_meeting()
    page = client.get(reverse("deliberation:list"))
    text = text_of(page)
    assert page.status_code == 200
    assert 'lang="zh-hans"' in text
    assert "公示" in text and "公示中" in text
    assert meeting.topic in text


def test_public_list_leaves_out_meetings_still_under_way(client):
    draft, held = draft_meeting(), held_meeting()
    voting = voting_meeting()
    text = text_of(client.get(reverse("deliberation:list")))
    for meeting in (draft, held, voting):
        assert meeting.topic not in text
        assert client.get(reverse("deliberation:detail", args=[meeting.pk])).status_code == 404


def test_public_list_filters_by_community_topic_and_stage(client):
    here = public_meeting(center=CenterFactory())
    there = public_meeting(center=CenterFactory(), status=Meeting.Status.CLOSED)
    Meeting.objects.filter(pk=there.pk).update(topic="关于电动车充电棚")
    url = reverse("deliberation:list")
    by_community = text_of(client.get(url, {"community": here.community_id}))
    assert here.topic in by_community and "电动车充电棚" not in by_community
    by_topic = text_of(client.get(url, {"topic": "充电棚"}))
    assert "电动车充电棚" in by_topic and here.topic not in by_topic
    by_stage = text_of(client.get(url, {"state": "closed"}))
    assert "电动车充电棚" in by_stage and here.topic not in by_stage


def test_public_list_query_count_does_not_grow_with_meetings(client):
    assert_flat_queries(
        client,
        reverse("deliberation:list"),
        lambda n: [public_meeting(center=CenterFactory()) for _ in range(n)],
        large=20,
    )


def test_notice_page_query_count_does_not_grow_with_opinions(client):
    meeting = public_meeting(center=CenterFactory())
    speaker = meeting.participants.first()

    def add(n):
        for i in range(n):
            Opinion.objects.create(meeting=meeting, speaker=speaker, party=speaker.party, text=f"意见{i}")

    assert_flat_queries(client, reverse("deliberation:detail", args=[meeting.pk]), add, large=30)


def _record_more(meeting: Meeting, n: int) -> None:
    """``n`` more of everything the public page lists: participants, opinions in categories (and an
    empty category), rounds of voting with votes, objections, follow-ups and site photos."""
    from deliberation.models import Ballot, FollowUp, InspectionPhoto, OpinionCategory

    start = meeting.participants.count()
    people = [
        Participant.objects.create(
            meeting=meeting, party=party, name=f"加开{start + i}", attended=True, affiliation="加开单位"
        )
        for i in range(n)
        for party in Party
    ]
    OpinionCategory.objects.get_or_create(meeting=meeting, name=f"空类别{start}")
    for i, speaker in enumerate(people):
        opinion = Opinion.objects.create(
            meeting=meeting, speaker=speaker, party=speaker.party, text=f"加开意见{i}"
        )
        category, _created = OpinionCategory.objects.get_or_create(meeting=meeting, name=f"类别{i % n}")
        opinion.categories.add(category)
    options = list(meeting.options.order_by("id"))
    rounds = meeting.ballots.count()
    for number in range(rounds + 1, rounds + 1 + n):
        ballot = Ballot.objects.create(
            meeting=meeting, number=number, quorum=1, outcome=Ballot.Outcome.TIE, closed_at=timezone.now()
        )
        ballot.options.set(options)
        Vote.objects.bulk_create(
            Vote(ballot=ballot, participant=p, option=options[i % 3] if i % 3 < len(options) else None)
            for i, p in enumerate(people)
        )
    for i in range(n):
        Objection.objects.create(notice=meeting.notice, author=UserFactory(), text=f"加开异议{start + i}")
        FollowUp.objects.create(meeting=meeting, title=f"加开落实{start + i}", responsible="社区")
        InspectionPhoto.objects.create(
            inspection=meeting.inspection,
            image=f"deliberation/inspections/x{start + i}.jpg",
            width=640,
            height=480,
        )


def test_a_meeting_page_takes_at_most_eight_queries_however_much_it_records(client):
    from tests.query_budget import count_data_queries

    meeting = notice_meeting(per_party=1)
    url = reverse("deliberation:detail", args=[meeting.pk])
    few, _ = count_data_queries(client, url)
    _record_more(meeting, 12)

    many, response = count_data_queries(client, url)

    assert few == many <= 8
    text = text_of(response)
    assert "加开意见47" in text and "加开异议15" in text and "加开落实15" in text and "空类别4" in text
    rounds = response.context["rounds"]
    assert [r.ballot.number for r in rounds] == list(range(1, 14))
    # Round 2: every third new participant for each of the two options, the rest abstain.
    assert (rounds[1].cast, rounds[1].abstentions, [r.total for r in rounds[1].options]) == (48, 16, [16, 16])


# ------------------------------------------------------------------ a notice page
def test_notice_page_shows_opinions_by_category_and_party_the_vote_by_party_and_the_final_plan(client):
    meeting = notice_meeting(per_party=2)
    text = text_of(client.get(meeting.get_absolute_url()))
    for heading in ("按参会方", "按类别", "选址", "卫生", "引领方", "主体方", "资源方", "专业社工"):
        assert heading in text
    assert "表决通过：北门绿化带旁" in text
    assert "垃圾投放驿站设在北门绿化带旁" in text  # the final plan
    assert "从议事到决定" in text and "实地考察" in text
    assert "四方均已出席" in text


def test_a_meeting_without_the_resource_party_is_shown_as_not_3_plus_1(client):
    meeting = notice_meeting(absent=[Party.RESOURCE])
    text = text_of(client.get(meeting.get_absolute_url()))
    assert "不构成3+1四方会谈：缺少资源方" in text
    listing = text_of(client.get(reverse("deliberation:list")))
    assert "非3+1：缺少资源方" in listing


def test_the_public_page_names_neither_speakers_nor_objectors(client):
    meeting = notice_meeting()
    resident = UserFactory(real_name="王秀英")
    services.file_objection(notice=meeting.notice, author=resident, text="驿站离幼儿园太近")
    text = text_of(client.get(meeting.get_absolute_url()))
    assert "驿站离幼儿园太近" in text
    assert "王秀英" not in text
    speaker = meeting.opinions.first().speaker
    assert f"— {speaker.name}" not in text


# ------------------------------------------------------------------ objections
def test_objecting_needs_sign_in(client):
    meeting = notice_meeting()
    response = client.get(reverse("deliberation:object", args=[meeting.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_resident_files_an_objection_and_the_notice_shows_it_as_paused(client):
    meeting = notice_meeting()
    client.force_login(UserFactory())
    response = client.post(
        reverse("deliberation:object", args=[meeting.pk]), {"text": "驿站离幼儿园太近了"}, follow=True
    )
    text = text_of(response)
    assert "您的异议已提交" in text
    assert "公示已暂停" in text and "等待答复" in text
    assert Notice.objects.get(pk=meeting.notice.pk).status == Notice.Status.PAUSED
    assert "公示暂停" in text_of(client.get(reverse("deliberation:list")))


def test_an_objection_with_bad_input_keeps_what_was_typed_and_says_why(client):
    meeting = notice_meeting()
    client.force_login(UserFactory())
    response = client.post(reverse("deliberation:object", args=[meeting.pk]), {"text": "不行"})
    text = text_of(response)
    assert response.status_code == 400
    assert "不行</textarea>" in text
    assert 'class="errorlist' in text
    assert not Objection.objects.exists()


def test_a_second_objection_while_the_first_waits_is_refused_with_the_input_kept(client):
    meeting = notice_meeting()
    resident = UserFactory()
    services.file_objection(notice=meeting.notice, author=resident, text="驿站离幼儿园太近")
    client.force_login(resident)
    response = client.post(reverse("deliberation:object", args=[meeting.pk]), {"text": "另外还有异味问题"})
    text = text_of(response)
    assert response.status_code == 400
    assert "还在等待答复" in text and "另外还有异味问题</textarea>" in text


def test_no_objection_form_once_the_period_is_over(client):
    meeting = notice_meeting()
    Notice.objects.filter(pk=meeting.notice.pk).update(
        published_at=timezone.now() - dt.timedelta(days=9), ends_at=timezone.now() - dt.timedelta(minutes=1)
    )
    client.force_login(UserFactory())
    page = client.get(reverse("deliberation:object", args=[meeting.pk]))
    assert "公示期已结束" in text_of(page) and "<textarea" not in text_of(page)
    assert (
        client.post(reverse("deliberation:object", args=[meeting.pk]), {"text": "来晚了的意见"}).status_code
        == 400
    )


def test_my_page_lists_my_objections(client):
    meeting = notice_meeting()
    resident = UserFactory()
    services.file_objection(notice=meeting.notice, author=resident, text="驿站离幼儿园太近")
    client.force_login(resident)
    text = text_of(client.get(reverse("core:me")))
    assert "我对公示提出的异议" in text and meeting.topic in text


# ------------------------------------------------------------------ the workbench
def _act(client, meeting, action, data=None, **extra):
    return client.post(reverse("deliberation:act", args=[meeting.pk, action]), data or {}, **extra)


def _photo() -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (80, 60), (40, 150, 60)).save(out, "JPEG")
    out.seek(0)
    out.name = "site.jpg"
    return out


def test_the_organizer_takes_a_meeting_from_draft_to_public_notice(
    world, client, django_capture_on_commit_callbacks
):
    client.force_login(world.user("worker"))
    center = world.center_a
    start = timezone.localtime() + dt.timedelta(days=3)
    response = client.post(
        reverse("deliberation:create"),
        {
            "topic": "关于垃圾投放驿站选点",
            "community": center.community_id,
            "center": center.pk,
            "location": "社区议事厅",
            "starts_at": f"{start:%Y-%m-%dT%H:%M}",
            "ends_at": f"{start + dt.timedelta(hours=2):%Y-%m-%dT%H:%M}",
            "quorum_percent": 50,
            "notice_days": 7,
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == meeting.get_manage_url()
    people = [
        ("leading", "吴静华", False),
        ("principal", "沈阿林", False),
        ("resource", "陆海峰", False),
        ("professional", "张敏", True),
    ]
    for party, name, chair in people:
        data = {"party": party, "name": name, "phone": "13912345678"}
        if chair:
            data["chair"] = "on"
        assert _act(client, meeting, "add_participant", data).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert _act(client, meeting, "schedule").status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "scheduled" and meeting.chair.name == "张敏"

    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    ids = list(meeting.participants.values_list("pk", flat=True))
    assert _act(client, meeting, "record_attendance", {"present": ids}).status_code == 302
    for pk, text in zip(ids, ["不要放在居民娱乐活动的场所", "放在靠近绿化的地方"], strict=False):
        _act(client, meeting, "add_opinion", {"speaker": pk, "text": text, "categories": "选址"})
    _act(client, meeting, "finish_opinions")
    _act(client, meeting, "add_option", {"title": "北门绿化带旁"})
    _act(client, meeting, "add_option", {"title": "3幢与5幢之间空地"})
    _act(client, meeting, "open_vote")
    north = meeting.options.get(title="北门绿化带旁")
    for pk in ids[:3]:
        _act(client, meeting, "cast_vote", {"participant": pk, "choice": north.pk})
    _act(client, meeting, "cast_vote", {"participant": ids[3], "choice": "abstain"})
    page = _act(client, meeting, "close_vote", follow=True)
    assert "第1轮表决通过：北门绿化带旁 成为初步方案" in text_of(page)
    today = f"{timezone.localdate():%Y-%m-%d}"
    _act(client, meeting, "plan_inspection", {"task": "实地查看北门", "responsible": "张敏", "due_on": today})
    _act(
        client,
        meeting,
        "record_inspection",
        {"findings": "离住户约25米", "inspected_on": today, "photos": [_photo()], "caption": "北门"},
    )
    _act(client, meeting, "adopt_final_plan", {"text": "垃圾投放驿站设在北门绿化带旁"})
    _act(client, meeting, "publish_notice", {"days": 7})
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.NOTICE
    assert meeting.inspection.photos.count() == 1
    assert set(meeting.transitions.values_list("by", flat=True)) == {world.user("worker").pk}
    public = text_of(client.get(meeting.get_absolute_url()))
    assert "垃圾投放驿站设在北门绿化带旁" in public and "公示中" in public


def test_bad_input_on_a_step_keeps_the_input_and_shows_the_error(world, client):
    meeting = draft_meeting(center=world.center_a)
    client.force_login(world.user("worker"))
    response = _act(
        client, meeting, "add_participant", {"party": "resource", "name": "陆海峰", "phone": "12345"}
    )
    text = text_of(response)
    assert response.status_code == 400
    assert 'value="陆海峰"' in text and 'value="12345"' in text
    assert "11位" in text or "手机号" in text


def test_an_illegal_step_is_refused_with_a_chinese_message(world, client):
    meeting = draft_meeting(center=world.center_a, parties=[])
    client.force_login(world.user("worker"))
    response = _act(client, meeting, "publish_notice", {"days": 7})
    assert response.status_code == 400
    assert "无法发布公示：会议当前为“草稿”" in text_of(response)


def test_an_unknown_step_is_not_found(world, client):
    meeting = draft_meeting(center=world.center_a)
    client.force_login(world.user("worker"))
    assert _act(client, meeting, "delete_everything").status_code == 404


def test_street_staff_read_the_workbench_but_cannot_change_it(world, client):
    meeting = draft_meeting(center=world.center_a)
    client.force_login(world.user("street"))
    page = client.get(meeting.get_manage_url())
    assert page.status_code == 200 and "邀请参会人" not in text_of(page)
    assert _act(client, meeting, "schedule").status_code == 403


def test_a_vote_posted_twice_through_the_workbench_counts_once(world, client):
    meeting = voting_meeting(center=world.center_a)
    voter = meeting.participants.first()
    option = meeting.options.first()
    client.force_login(world.user("worker"))
    for _ in range(2):
        response = _act(
            client, meeting, "cast_vote", {"participant": voter.pk, "choice": option.pk}, follow=True
        )
    assert "此前已登记" in text_of(response)
    assert Vote.objects.filter(participant=voter).count() == 1


def test_the_workbench_answers_an_objection_and_the_notice_resumes(world, client):
    meeting = notice_meeting(center=world.center_a)
    objection = services.file_objection(notice=meeting.notice, author=UserFactory(), text="离幼儿园太近")
    client.force_login(world.user("worker"))
    page = client.get(meeting.get_manage_url())
    assert "离幼儿园太近" in text_of(page)
    _act(client, meeting, "answer_objection", {"objection": objection.pk, "answer": "距幼儿园80米，已加围挡"})
    assert Notice.objects.get(meeting=meeting).status == Notice.Status.OPEN
    assert "距幼儿园80米" in text_of(client.get(meeting.get_absolute_url()))


def test_follow_up_progress_is_tracked_from_the_workbench(world, client):
    meeting = closed_meeting(center=world.center_a)
    client.force_login(world.user("worker"))
    _act(client, meeting, "add_follow_up", {"title": "驿站施工", "responsible": "物业", "due_on": ""})
    item = meeting.follow_ups.get()
    _act(client, meeting, "update_follow_up", {"item": item.pk, "status": "done", "note": "已完工"})
    item.refresh_from_db()
    assert item.status == "done" and item.done_on == timezone.localdate()
    assert "已落实" in text_of(client.get(meeting.get_absolute_url()))


def test_the_staff_list_shows_which_party_is_missing(world, client):
    draft_meeting(center=world.center_a, parties=[Party.LEADING, Party.PRINCIPAL, Party.PROFESSIONAL])
    draft_meeting(center=world.center_b, topic="别的中心的会议")
    client.force_login(world.user("worker"))
    text = text_of(client.get(reverse("deliberation:manage_list")))
    assert "缺少资源方" in text and "别的中心的会议" not in text


# ------------------------------------------------------------------ minutes
def test_minutes_page_is_generated_from_the_record(world, client):
    meeting = closed_meeting(center=world.center_a)
    client.force_login(world.user("manager"))
    text = text_of(client.get(reverse("deliberation:minutes", args=[meeting.pk])))
    assert "3+1四方会谈纪要" in text
    assert meeting.participants.first().name in text
    assert "表决通过" in text and "流程记录" in text and "已办结" in text


def test_minutes_export_opens_as_a_workbook_and_escapes_formulas(world, client):
    meeting = closed_meeting(center=world.center_a)
    Opinion.objects.filter(meeting=meeting).update(text='=HYPERLINK("http://evil.example","点我")')
    client.force_login(world.user("worker"))
    response = client.get(reverse("deliberation:minutes_export", args=[meeting.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert "意见" in book.sheetnames and "表决" in book.sheetnames
    cells = [c.value for row in book["意见"].iter_rows() for c in row]
    assert any(str(v).startswith("'=HYPERLINK") for v in cells)
    assert not any(str(v).startswith("=") for v in cells)


# ------------------------------------------------------------------ mediation
def test_a_party_is_visible_to_the_mediator_and_to_staff_and_to_no_other_role(world, client):
    mediator = UserFactory(real_name="徐维丽")
    case = closed_case(center=world.center_a, mediator=mediator, document=False)
    url = reverse("deliberation:mediation_detail", args=[case.pk])
    for user in [mediator, *(world.user(r) for r in ("worker", "manager", "street", "district", "admin"))]:
        client.force_login(user)
        page = client.get(url)
        assert page.status_code == 200 and "何小兵" in text_of(page), user
    for role in ("resident", "volunteer"):
        client.force_login(world.user(role))
        page = client.get(url)
        assert page.status_code in (403, 404) and "何小兵" not in text_of(page)
    other = closed_case(center=world.center_b, document=False)
    client.force_login(world.user("worker"))
    assert client.get(reverse("deliberation:mediation_detail", args=[other.pk])).status_code == 404
    client.logout()
    assert "/accounts/login/" in client.get(url)["Location"]


def test_a_mediator_who_is_not_staff_sees_only_their_cases(world, client):
    mediator = UserFactory()
    mine = closed_case(center=world.center_a, mediator=mediator, document=False)
    theirs = closed_case(center=world.center_a, document=False)
    client.force_login(mediator)
    text = text_of(client.get(reverse("deliberation:mediation_list")))
    assert mine.title in text and theirs.title not in text
    assert client.get(reverse("deliberation:mediation_detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("deliberation:mediation_export")).status_code == 403


def test_looking_at_a_case_is_logged_and_never_cached(world, client):
    case = closed_case(center=world.center_a, document=False)
    client.force_login(world.user("worker"))
    response = client.get(reverse("deliberation:mediation_detail", args=[case.pk]))
    assert "no-store" in response["Cache-Control"]
    assert AuditEntry.objects.filter(
        actor=world.user("worker"), object_id=str(case.pk), action="view"
    ).exists()


def test_the_mediator_records_a_session_and_a_bad_date_is_refused_with_the_input_kept(world, client):
    from deliberation.models import MediationCase, MediationSession

    mediator = UserFactory()
    case = closed_case(center=world.center_a, mediator=mediator, document=False)
    MediationCase.objects.filter(pk=case.pk).update(status="open", outcome="", closed_on=None)
    client.force_login(mediator)
    url = reverse("deliberation:mediation_act", args=[case.pk, "session"])
    future = timezone.localtime() + dt.timedelta(days=2)
    response = client.post(
        url, {"held_at": f"{future:%Y-%m-%dT%H:%M}", "place": "工作室", "notes": "第二次调解"}
    )
    assert response.status_code == 400 and "第二次调解</textarea>" in text_of(response)
    past = timezone.localtime() - dt.timedelta(hours=2)
    response = client.post(
        url, {"held_at": f"{past:%Y-%m-%dT%H:%M}", "place": "工作室", "notes": "第二次调解"}
    )
    assert response.status_code == 302
    assert MediationSession.objects.filter(case=case, notes="第二次调解").exists()


def test_the_mediation_export_leaves_the_parties_out(world, client):
    case = closed_case(center=world.center_a, document=False)
    MediationPartyFactory(case=case, name="陈建华", phone="13812340002")
    client.force_login(world.user("manager"))
    response = client.get(reverse("deliberation:mediation_export"))
    book = load_workbook(io.BytesIO(response.content))
    cells = " ".join(str(c.value) for row in book.active.iter_rows() for c in row)
    assert case.title in cells
    assert "陈建华" not in cells and "何小兵" not in cells and "13812340002" not in cells


def test_the_agreement_document_is_served_only_to_those_who_may_see_the_case(world, client):
    case = closed_case(center=world.center_a)
    url = reverse("deliberation:mediation_agreement", args=[case.pk])
    client.force_login(world.user("worker"))
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert "no-store" in response["Cache-Control"]
    client.force_login(world.user("resident"))
    assert client.get(url).status_code == 404


def test_public_pages_never_show_mediation_cases(world, client):
    case = closed_case(center=world.center_a, document=False)
    notice_meeting(center=world.center_a)
    assert case.title not in text_of(client.get(reverse("deliberation:list")))


def test_a_participant_party_label_is_chinese_on_the_workbench(world, client):
    meeting = draft_meeting(center=world.center_a)
    Participant.objects.filter(meeting=meeting, party=Party.RESOURCE).delete()
    client.force_login(world.user("worker"))
    text = text_of(client.get(meeting.get_manage_url()))
    assert "尚未邀请：资源方" in text


@pytest.mark.django_db(transaction=True)
def test_a_hundred_duplicate_vote_posts_through_the_workbench_make_one_vote(world):
    """Ten browsers post the same vote ten times each, at once: one vote, no error page."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection
    from django.test import Client

    meeting = voting_meeting(center=world.center_a)
    voter = meeting.participants.first()
    data = {"participant": voter.pk, "choice": meeting.options.first().pk}
    url = reverse("deliberation:act", args=[meeting.pk, "cast_vote"])

    def posts(_browser):
        client = Client()
        client.force_login(world.user("worker"))
        try:
            return [client.post(url, data).status_code for _ in range(10)]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=10) as pool:
        codes = [code for batch in pool.map(posts, range(10)) for code in batch]
    assert len(codes) == 100 and set(codes) == {302}
    assert Vote.objects.filter(participant=voter).count() == 1


def test_staff_list_query_count_does_not_grow_with_meetings(world, client):
    client.force_login(world.user("worker"))
    assert_flat_queries(
        client,
        reverse("deliberation:manage_list"),
        lambda n: [draft_meeting(center=world.center_a) for _ in range(n)],
        large=20,
    )

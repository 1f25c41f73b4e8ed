"""Demo 3+1 meetings and mediation cases, from the seed article.

- 余家漾社区 “关于垃圾投放驿站选点”: organized and chaired by 仁与公益组织发展中心, with party
  secretary 吴静华 and 22 resident representatives; opinions grouped by category, a vote by majority,
  a site inspection, and the final plan now on public notice (公示).
- 余家漾社区: a past decision (an e-bike charging shed), closed, with follow-up items.
- 白鱼潭社区: a past decision the property company did not attend (not 3+1: the resource party is
  missing), and a meeting held yesterday whose attendance is still to be recorded (for worker@).
- Mediation by 平安大姐 (mediator@example.com, 徐维丽): wages, rent, and a case sent to arbitration.

Idempotent: a meeting is keyed by community + topic, a case by center + title; existing ones are
left as they are (a resident's objection to the demo notice survives a reload).
"""

import datetime as dt
import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from centers.models import Space
from centers.services import book_space
from core.demo import DEMO_PASSWORD, demo_center, demo_user
from core.models import Role, User
from core.services import grant_role
from orgs.models import Organization

from .models import (
    Ballot,
    FollowUp,
    FollowUpCall,
    InspectionPhoto,
    MediationCase,
    MediationParty,
    MediationSession,
    Meeting,
    Notice,
    Opinion,
    OpinionCategory,
    Option,
    Participant,
    Party,
    SiteInspection,
    Transition,
    Vote,
)

L, P, R, S = Party.LEADING, Party.PRINCIPAL, Party.RESOURCE, Party.PROFESSIONAL
MEDIATOR = ("mediator", "徐维丽", "13900000008")
RESIDENT_NAMES = [
    "沈阿林",
    "钱桂英",
    "孙建国",
    "李秀珍",
    "周国强",
    "吴美娟",
    "郑海燕",
    "王德明",
    "冯小红",
    "陈志刚",
    "褚玉兰",
    "卫国平",
    "蒋丽萍",
    "沈建华",
    "韩雪梅",
    "杨振华",
    "朱月琴",
    "秦永福",
    "尤春燕",
    "许金根",
    "何巧玲",
    "吕伟东",
]


def _now() -> dt.datetime:
    return timezone.now()


def _evening(days_ago: int, hour: int = 19) -> dt.datetime:
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _organization(name: str) -> Organization | None:
    return Organization.objects.filter(name=name).first()


def _hall(center) -> Space | None:
    return Space.objects.filter(center=center, kind=Space.Kind.DELIBERATION_HALL).first()


def _book(meeting: Meeting, by: User) -> None:
    """Book the center's deliberation hall through centers, if it is free at that time."""
    if meeting.space_id is None:
        return
    try:
        with transaction.atomic():
            meeting.booking = book_space(
                space=meeting.space,
                starts_at=meeting.starts_at,
                ends_at=meeting.ends_at,
                purpose=f"3+1四方会谈：{meeting.topic}",
                booked_by=by,
            )
    except ValidationError:
        meeting.space = None
        meeting.location = f"{meeting.center.name}议事厅"
    meeting.save()


def _log(meeting: Meeting, steps: list[tuple[str, dt.datetime]], by: User, notes: dict | None = None) -> None:
    previous = Meeting.Status.DRAFT
    for status, at in steps:
        Transition.objects.create(
            meeting=meeting,
            from_status=previous,
            to_status=status,
            at=at,
            by=by,
            note=(notes or {}).get(status, ""),
        )
        previous = status


def _participants(
    meeting: Meeting, people: list[tuple], invited_at: dt.datetime, attended: bool | None
) -> dict:
    made = {}
    for party, name, affiliation, *rest in people:
        present = attended if not rest else rest[0]
        made[name] = Participant.objects.create(
            meeting=meeting,
            party=party,
            name=name,
            affiliation=affiliation,
            invited_at=invited_at,
            attended=present,
            user=rest[1] if len(rest) > 1 else None,
        )
    return made


def _opinions(meeting: Meeting, people: dict, opinions: list[tuple], at: dt.datetime, by: User) -> None:
    categories = {}
    for i, (speaker, text, names) in enumerate(opinions):
        opinion = Opinion.objects.create(
            meeting=meeting,
            speaker=people[speaker],
            party=people[speaker].party,
            text=text,
            recorded_by=by,
            recorded_at=at + dt.timedelta(minutes=5 + 3 * i),
        )
        for name in names:
            if name not in categories:
                categories[name] = OpinionCategory.objects.create(meeting=meeting, name=name)
        opinion.categories.set([categories[n] for n in names])


def _vote(
    meeting: Meeting, people: dict, options: list[tuple], plan: dict, at: dt.datetime, by: User
) -> Option:
    """``plan``: option title (or None: abstain) -> list of voters. The first option must win."""
    made = [Option.objects.create(meeting=meeting, title=t, description=d) for t, d in options]
    by_title = {o.title: o for o in made}
    attended = sum(1 for p in people.values() if p.attended)
    ballot = Ballot.objects.create(
        meeting=meeting, number=1, quorum=max(1, -(-attended * meeting.quorum_percent // 100)), opened_at=at
    )
    ballot.options.set(made)
    for title, voters in plan.items():
        for name in voters:
            Vote.objects.create(
                ballot=ballot, participant=people[name], option=by_title.get(title), recorded_by=by
            )
    winner = made[0]
    Ballot.objects.filter(pk=ballot.pk).update(
        outcome=Ballot.Outcome.DECIDED, winner=winner, closed_at=at + dt.timedelta(minutes=20)
    )
    return winner


def _photo(name: str, colours: tuple) -> ContentFile:
    """A simple site sketch: lawn, road and the proposed station (no camera data to strip)."""
    image = Image.new("RGB", (960, 640), colours[0])
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 420, 960, 520), fill=(120, 120, 120))
    draw.rectangle((80, 120, 420, 400), fill=colours[1])
    draw.rectangle((560, 200, 780, 400), fill=(179, 38, 30))
    draw.polygon([(540, 200), (670, 120), (800, 200)], fill=(140, 29, 24))
    out = io.BytesIO()
    image.save(out, "PNG")
    return ContentFile(out.getvalue(), name=name)


# ------------------------------------------------------------------ 余家漾: the garbage station
def _garbage_station(by: User) -> Meeting | None:
    center = demo_center("yujiayang")
    community = center.community
    topic = "关于垃圾投放驿站选点"
    if Meeting.objects.filter(community=community, topic=topic).exists():
        return None
    held = _evening(12)
    meeting = Meeting.objects.create(
        topic=topic,
        background=(
            "余家漾社区管理面积大、人员情况复杂、公共设施多而分散。“垃圾投放驿站设在哪？”是居民们近期关注的焦点。"
            "社区邀请仁与公益组织发展中心，以“社工+自治队伍”组成社区议事会，用“3+1四方会谈”商量驿站选点。"
        ),
        community=community,
        center=center,
        space=_hall(center),
        organizer=_organization("仁与公益组织发展中心"),
        starts_at=held,
        ends_at=held + dt.timedelta(minutes=90),
        status=Meeting.Status.NOTICE,
        notice_days=7,
        created_by=by,
    )
    _book(meeting, by)
    people = [
        (L, "吴静华", "余家漾社区党委书记"),
        (L, "沈国平", "余家漾社区居委会主任"),
        (L, "陈晓燕", "余家漾社区网格员"),
        (P, "钱凤英", "余家漾小区业委会主任"),
        *[(P, name, f"{i + 1}幢居民代表") for i, name in enumerate(RESIDENT_NAMES)],
        (R, "陆海峰", "小区物业服务中心项目经理"),
        (R, "姚丽君", "余家漾幼儿园后勤主任（驻区单位）"),
        (S, "张敏", "仁与公益组织发展中心社工（主持）"),
        (S, "孙立群", "仁与公益组织发展中心理事长"),
    ]
    participants = _participants(meeting, people, invited_at=held - dt.timedelta(days=3), attended=True)
    # Two representatives sent their apologies.
    for name in RESIDENT_NAMES[-2:]:
        Participant.objects.filter(pk=participants[name].pk).update(attended=False)
        participants[name].attended = False
    meeting.chair = participants["张敏"]
    _opinions(
        meeting,
        participants,
        [
            ("沈阿林", "不要放在我们居民娱乐活动的场所。", ["选址", "居民活动"]),
            ("钱桂英", "放在靠近绿化的地方。", ["选址", "环境"]),
            ("孙建国", "离住户窗户远一点，夏天有异味。", ["卫生", "选址"]),
            ("李秀珍", "小区老人多，投放点不要太远，最好在主干道边上。", ["便利"]),
            ("周国强", "要有专人定时清运，不然会招老鼠。", ["卫生", "管理"]),
            ("吴美娟", "3幢和5幢之间那块空地离我们家太近了，不同意放那里。", ["选址"]),
            ("钱凤英", "业委会建议驿站加遮雨棚，投放时间固定，方便上班族。", ["便利", "管理"]),
            ("陆海峰", "北门绿化带旁有现成的水电管线，清运车可以从北门直接进出。", ["选址", "设施"]),
            ("陆海峰", "物业可以安排保洁员每天早晚两次清运。", ["管理", "卫生"]),
            ("姚丽君", "驿站不要靠近幼儿园门口，孩子上下学人多车多。", ["安全", "选址"]),
            ("吴静华", "驿站选址要兼顾便利和卫生，大家的意见都记下来归类，最后少数服从多数。", ["程序"]),
            ("孙立群", "建议投放时段安排志愿者督导，帮助居民分类投放。", ["管理"]),
        ],
        at=held,
        by=by,
    )
    voters = [n for n, p in participants.items() if p.attended]
    winner = _vote(
        meeting,
        participants,
        [
            ("北门绿化带旁", "靠近绿化、远离居民活动广场和幼儿园，有现成水电管线，清运车可从北门进出。"),
            ("3幢与5幢之间空地", "位置居中，投放方便，但离住户较近。"),
            ("社区广场东侧", "场地宽敞，但紧挨居民娱乐活动场所。"),
        ],
        {
            "北门绿化带旁": voters[:18],
            "3幢与5幢之间空地": voters[18:24],
            "社区广场东侧": voters[24:26],
            None: voters[26:],
        },
        at=held + dt.timedelta(minutes=50),
        by=by,
    )
    meeting.chosen_option = winner
    meeting.preliminary_plan = "垃圾投放驿站暂定设在北门绿化带旁，待实地考察后确定最终方案并予以公示。"
    meeting.final_plan = (
        "垃圾投放驿站设在北门绿化带旁（距最近住户约25米）。\n"
        "驿站加装遮雨棚和除臭设备，每天7:00–9:00、18:00–20:00定时投放；"
        "物业保洁员每天早晚两次清运，投放时段由志愿者督导分类。\n"
        "施工由物业公司负责，公示结束后一个月内完成。"
    )
    meeting.save()
    inspection = SiteInspection.objects.create(
        meeting=meeting,
        task="实地查看北门绿化带旁和3幢与5幢之间空地：与住户的距离、水电管线、清运车辆通道。",
        responsible="仁与社工张敏、物业陆海峰、业委会钱凤英",
        due_on=(held + dt.timedelta(days=5)).date(),
        findings=(
            "北门绿化带旁距最近住户约25米，有现成水电管线，清运车可从北门直接进出，不经过居民活动区；"
            "3幢与5幢之间空地距住户不足10米。建议采用北门方案，并加装遮雨棚和除臭设备。"
        ),
        inspected_on=(held + dt.timedelta(days=2)).date(),
        recorded_by=by,
    )
    for i, (caption, colours) in enumerate(
        [
            ("北门绿化带旁（拟建驿站位置）", ((196, 226, 180), (90, 160, 80))),
            ("3幢与5幢之间空地", ((225, 220, 205), (170, 165, 150))),
        ]
    ):
        photo = InspectionPhoto(inspection=inspection, caption=caption)
        photo.image.save(f"yujiayang-site-{i + 1}.png", _photo(f"site-{i + 1}.png", colours), save=False)
        photo.save()
    published = _now() - dt.timedelta(days=3)
    Notice.objects.create(
        meeting=meeting,
        text=meeting.final_plan,
        days=7,
        published_at=published,
        ends_at=published + dt.timedelta(days=7),
        published_by=by,
    )
    FollowUp.objects.create(
        meeting=meeting,
        title="驿站施工（遮雨棚、除臭设备、水电接入）",
        responsible="小区物业服务中心",
        due_on=timezone.localdate() + dt.timedelta(days=35),
    )
    FollowUp.objects.create(
        meeting=meeting,
        title="招募投放时段督导志愿者",
        responsible="仁与公益组织发展中心",
        due_on=timezone.localdate() + dt.timedelta(days=30),
        status=FollowUp.Status.IN_PROGRESS,
        note="已报名12人",
    )
    S_ = Meeting.Status
    _log(
        meeting,
        [
            (S_.SCHEDULED, held - dt.timedelta(days=3)),
            (S_.HELD, held + dt.timedelta(minutes=10)),
            (S_.OPINIONS, held + dt.timedelta(minutes=45)),
            (S_.VOTING, held + dt.timedelta(minutes=50)),
            (S_.PRELIMINARY, held + dt.timedelta(minutes=70)),
            (S_.INSPECTION, held + dt.timedelta(days=1)),
            (S_.FINAL, _now() - dt.timedelta(days=4)),
            (S_.NOTICE, published),
        ],
        by,
        {S_.PRELIMINARY: "第1轮表决：北门绿化带旁"},
    )
    return meeting


# ------------------------------------------------------------------ past decisions
def _closed_decision(
    *,
    center_slug,
    topic,
    background,
    people,
    opinions,
    options,
    votes,
    final_plan,
    follow_ups,
    days_ago,
    organizer,
    by,
    chair,
) -> Meeting | None:
    center = demo_center(center_slug)
    if Meeting.objects.filter(community=center.community, topic=topic).exists():
        return None
    held = _evening(days_ago)
    meeting = Meeting.objects.create(
        topic=topic,
        background=background,
        community=center.community,
        center=center,
        space=_hall(center),
        organizer=_organization(organizer),
        starts_at=held,
        ends_at=held + dt.timedelta(minutes=90),
        status=Meeting.Status.CLOSED,
        notice_days=7,
        created_by=by,
    )
    _book(meeting, by)
    participants = _participants(meeting, people, invited_at=held - dt.timedelta(days=4), attended=True)
    meeting.chair = participants[chair]
    _opinions(meeting, participants, opinions, at=held, by=by)
    voters = [n for n, p in participants.items() if p.attended]
    plan, start = {}, 0
    for title, count in votes:
        plan[title] = voters[start : start + count]
        start += count
    winner = _vote(meeting, participants, options, plan, at=held + dt.timedelta(minutes=40), by=by)
    meeting.chosen_option = winner
    meeting.preliminary_plan = f"{winner.title}：{winner.description}"
    meeting.final_plan = final_plan
    meeting.save()
    SiteInspection.objects.create(
        meeting=meeting,
        task=f"实地查看“{winner.title}”",
        responsible="社工与居民代表",
        due_on=(held + dt.timedelta(days=5)).date(),
        findings="现场条件满足方案要求，居民代表无异议。",
        inspected_on=(held + dt.timedelta(days=3)).date(),
        recorded_by=by,
    )
    published = held + dt.timedelta(days=10)
    Notice.objects.create(
        meeting=meeting,
        text=final_plan,
        days=7,
        published_at=published,
        ends_at=published + dt.timedelta(days=7),
        status=Notice.Status.ENDED,
        published_by=by,
    )
    for title, responsible, due_days, status, note in follow_ups:
        due = (held + dt.timedelta(days=due_days)).date()
        FollowUp.objects.create(
            meeting=meeting,
            title=title,
            responsible=responsible,
            due_on=due,
            status=status,
            note=note,
            done_on=due if status == FollowUp.Status.DONE else None,
        )
    S_ = Meeting.Status
    _log(
        meeting,
        [
            (S_.SCHEDULED, held - dt.timedelta(days=4)),
            (S_.HELD, held + dt.timedelta(minutes=10)),
            (S_.OPINIONS, held + dt.timedelta(minutes=35)),
            (S_.VOTING, held + dt.timedelta(minutes=40)),
            (S_.PRELIMINARY, held + dt.timedelta(minutes=60)),
            (S_.INSPECTION, held + dt.timedelta(days=1)),
            (S_.FINAL, held + dt.timedelta(days=6)),
            (S_.NOTICE, published),
            (S_.CLOSED, published + dt.timedelta(days=8)),
        ],
        by,
    )
    return meeting


def _charging_shed(by: User) -> Meeting | None:
    return _closed_decision(
        center_slug="yujiayang",
        topic="关于小区电动车集中充电棚建设",
        background="楼道里给电动车充电、“飞线”充电存在火灾隐患，居民希望建集中充电棚。",
        people=[
            (L, "吴静华", "余家漾社区党委书记"),
            (P, "钱凤英", "余家漾小区业委会主任"),
            *[(P, name, f"{i + 1}幢居民代表") for i, name in enumerate(RESIDENT_NAMES[:10])],
            (R, "陆海峰", "小区物业服务中心项目经理"),
            (R, "邱志明", "供电所客户经理（驻区单位）"),
            (S, "张敏", "仁与公益组织发展中心社工（主持）"),
        ],
        opinions=[
            ("沈阿林", "楼道充电太危险，赶紧建充电棚。", ["安全"]),
            ("钱桂英", "充电收费要公开透明。", ["收费"]),
            ("陆海峰", "物业可以负责日常巡查和维护。", ["管理"]),
            ("邱志明", "供电所可以免费做线路评估。", ["设施", "安全"]),
            ("钱凤英", "充电棚要装监控和灭火器。", ["安全"]),
        ],
        options=[
            ("南门车棚改造", "利用现有车棚改造，加装智能充电桩和监控。"),
            ("新建西侧充电棚", "在西侧空地新建。"),
        ],
        votes=[("南门车棚改造", 11), ("新建西侧充电棚", 4)],
        final_plan="改造南门车棚为集中充电棚，加装40个智能充电桩、监控和灭火器；充电收费标准在公告栏公示；物业负责日常巡查。",
        follow_ups=[
            ("车棚改造和充电桩安装", "小区物业服务中心", 45, FollowUp.Status.DONE, "已投入使用"),
            ("充电收费标准公示", "余家漾社区居委会", 30, FollowUp.Status.DONE, ""),
            ("每月消防安全巡查", "小区物业服务中心", 60, FollowUp.Status.IN_PROGRESS, "每月第一周巡查"),
        ],
        days_ago=95,
        organizer="仁与公益组织发展中心",
        by=by,
        chair="张敏",
    )


def _living_room_hours(by: User) -> Meeting | None:
    worker = demo_user("worker")
    return _closed_decision(
        center_slug="baiyutan",
        topic="关于绿色会客厅开放时间调整",
        background="居民希望绿色会客厅晚上也开放，方便上班族参加活动。",
        people=[
            (L, "赵红梅", "白鱼潭社区居委会主任"),
            (P, "方阿姨", "环保志愿团队队长"),
            (P, "唐建军", "居民代表"),
            (P, "黄秀兰", "银龄互助团成员"),
            (P, "韦立新", "居民代表"),
            (R, "曹志勇", "白鱼潭小区物业经理", False),  # invited, did not come
            (S, "周渊", "乐家社工项目主管（主持）", True, worker),
            (S, "沈佳怡", "乐家社工社工"),
        ],
        opinions=[
            ("方阿姨", "晚上开放到九点，上班族也能来。", ["开放时间"]),
            ("黄秀兰", "晚上要有人值班，注意安全。", ["安全", "管理"]),
            ("唐建军", "周末早上可以早一点开门。", ["开放时间"]),
            ("赵红梅", "值班可以由志愿者轮流承担。", ["管理"]),
        ],
        options=[
            ("工作日开放到21:00", "工作日延长到21:00，志愿者轮流值班。"),
            ("维持现状", "保持8:30–20:00。"),
        ],
        votes=[("工作日开放到21:00", 5), ("维持现状", 1)],
        final_plan="绿色会客厅工作日开放时间延长至21:00，周末8:00开门；晚间由志愿者轮流值班。",
        follow_ups=[("排出志愿者值班表", "乐家社工", 14, FollowUp.Status.DONE, "")],
        days_ago=40,
        organizer="乐家社工",
        by=worker,
        chair="周渊",
    )


def _parking_lines(by: User) -> Meeting | None:
    """Held yesterday; its attendance is not recorded yet: worker@ can take it onwards."""
    center = demo_center("baiyutan")
    topic = "关于白鱼潭小区停车位划线"
    if Meeting.objects.filter(community=center.community, topic=topic).exists():
        return None
    held = _evening(1)
    meeting = Meeting.objects.create(
        topic=topic,
        background="小区停车难，乱停车堵住消防通道。居民希望重新规划划线停车位。",
        community=center.community,
        center=center,
        space=_hall(center),
        organizer=_organization("乐家社工"),
        starts_at=held,
        ends_at=held + dt.timedelta(minutes=90),
        status=Meeting.Status.SCHEDULED,
        created_by=by,
    )
    _book(meeting, by)
    people = [
        (L, "赵红梅", "白鱼潭社区居委会主任"),
        (P, "唐建军", "居民代表"),
        (P, "韦立新", "居民代表"),
        (P, "黄秀兰", "居民代表"),
        (P, "马国庆", "业委会委员"),
        (R, "曹志勇", "白鱼潭小区物业经理"),
        (S, "周渊", "乐家社工项目主管（主持）", None, by),
    ]
    participants = _participants(meeting, people, invited_at=held - dt.timedelta(days=5), attended=None)
    meeting.chair = participants["周渊"]
    meeting.save()
    _log(meeting, [(Meeting.Status.SCHEDULED, held - dt.timedelta(days=5))], by)
    return meeting


# ------------------------------------------------------------------ mediation by 平安大姐
def _mediator() -> User:
    role, real_name, phone = MEDIATOR
    user = User.objects.filter(email=f"{role}@example.com").first()
    if user is None:
        user = User.objects.create_user(
            email=f"{role}@example.com",
            password=DEMO_PASSWORD,
            phone=phone,
            real_name=real_name,
            phone_verified=True,
        )
    grant_role(user=user, role=Role.VOLUNTEER)
    return user


def _case(
    *,
    center_slug,
    title,
    dispute_type,
    description,
    parties,
    sessions,
    outcome,
    agreement,
    calls,
    opened_days_ago,
    mediator,
    by,
) -> None:
    center = demo_center(center_slug)
    if MediationCase.objects.filter(center=center, title=title).exists():
        return
    today = timezone.localdate()
    case = MediationCase.objects.create(
        center=center,
        community=center.community,
        dispute_type=dispute_type,
        title=title,
        description=description,
        mediator=mediator,
        mediator_org=_organization("平安大姐工作室"),
        opened_on=today - dt.timedelta(days=opened_days_ago),
        created_by=by,
    )
    for side, name, phone, note in parties:
        MediationParty.objects.create(case=case, side=side, name=name, phone=phone, note=note)
    for days_ago, place, notes in sessions:
        MediationSession.objects.create(
            case=case, held_at=_evening(days_ago, 14), place=place, notes=notes, recorded_by=mediator
        )
    if outcome:
        MediationCase.objects.filter(pk=case.pk).update(
            status=MediationCase.Status.CLOSED,
            outcome=outcome,
            closed_on=today - dt.timedelta(days=sessions[-1][0]),
            agreement_summary=agreement,
        )
    for days_ago, kept, note in calls:
        FollowUpCall.objects.create(
            case=case, called_on=today - dt.timedelta(days=days_ago), kept=kept, note=note, called_by=mediator
        )


def _mediation(by: User) -> None:
    mediator = _mediator()
    M = MediationCase
    _case(
        center_slug="zhili",
        title="童装加工厂拖欠工人工资",
        dispute_type=M.DisputeType.WAGES,
        description="三名外地工人反映加工厂拖欠两个月工资，老板称订单回款慢。",
        parties=[
            (MediationParty.Side.APPLICANT, "何小兵", "13812340001", "工人代表（另有两名工友）"),
            (MediationParty.Side.RESPONDENT, "陈建华", "13812340002", "童装加工厂老板"),
        ],
        sessions=[
            (30, "平安大姐工作室", "分别听取双方意见，核对考勤和工资单，确认拖欠金额2.4万元。"),
            (26, "织里镇幸福邻里中心", "面对面调解：老板同意分两期付清。"),
        ],
        outcome=M.Outcome.AGREEMENT,
        agreement="老板分两期付清拖欠工资共计2.4万元：第一期1.2万元当月底前支付，第二期次月15日前支付。",
        calls=[(10, FollowUpCall.Kept.KEPT, "两期工资均已到账，工人表示满意。")],
        opened_days_ago=32,
        mediator=mediator,
        by=by,
    )
    _case(
        center_slug="baiyutan",
        title="租户与房东押金退还纠纷",
        dispute_type=M.DisputeType.RENT,
        description="租户提前退租，房东以墙面损坏为由不退押金。",
        parties=[
            (MediationParty.Side.APPLICANT, "马丽", "13812340003", "租户"),
            (MediationParty.Side.RESPONDENT, "朱德明", "13812340004", "房东"),
        ],
        sessions=[(3, "白鱼潭社区幸福邻里中心", "查看房屋照片，双方对墙面修补费用分歧较大，约定下周再谈。")],
        outcome="",
        agreement="",
        calls=[],
        opened_days_ago=5,
        mediator=mediator,
        by=by,
    )
    _case(
        center_slug="zhili",
        title="加工厂工伤赔偿纠纷",
        dispute_type=M.DisputeType.WAGES,
        description="工人在车间受伤，双方对赔偿金额分歧大。",
        parties=[
            (MediationParty.Side.APPLICANT, "罗春生", "13812340005", "受伤工人"),
            (MediationParty.Side.RESPONDENT, "叶永康", "13812340006", "加工厂老板"),
        ],
        sessions=[(20, "平安大姐工作室", "双方分歧较大，建议申请劳动仲裁，已协助准备材料。")],
        outcome=M.Outcome.ARBITRATION,
        agreement="",
        calls=[],
        opened_days_ago=25,
        mediator=mediator,
        by=by,
    )


@transaction.atomic
def load(*, stdout) -> None:
    by = demo_user("admin")
    made = [
        m
        for m in (
            _garbage_station(by),
            _charging_shed(by),
            _living_room_hours(by),
            _parking_lines(demo_user("worker")),
        )
        if m is not None
    ]
    _mediation(by)
    stdout.write(
        f"deliberation: {Meeting.objects.count()} meetings ({len(made)} new), "
        f"{Notice.objects.filter(status=Notice.Status.OPEN).count()} on public notice, "
        f"{MediationCase.objects.count()} mediation cases (mediator@example.com mediates)"
    )

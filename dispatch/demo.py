"""Demo data for 我要服务, modelled on the seed article: 30 collection sites (小蚂蚁共享学堂 and
others), the 24-hour hotline 400-1155-866, the 爱上吴兴 app and WeChat, fixed sites and mobile
service vehicles, requests in every state, and resident@example.com's own requests.

Idempotent: sites and vehicles by name, requests by (contact number, description).
"""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core.demo import STREETS, demo_center, demo_user
from core.models import Center, Community
from volunteers.models import Team, Volunteer

from . import services
from .models import (
    Assignment,
    CallAnswer,
    Channel,
    CollectionSite,
    Feedback,
    Mobilisation,
    ServiceRequest,
    ServiceVehicle,
    Status,
    StatusChange,
    SupplyEntry,
    Wave,
)

SITE_KINDS = [
    ("小蚂蚁共享学堂", "周一至周日 8:30–20:00"),
    ("党群服务站", "周一至周五 8:30–17:30"),
    ("物业服务中心采集点", "每天 8:00–18:00"),
    ("老年活动室采集点", "每天 9:00–16:00"),
    ("菜场便民服务点", "每天 6:30–11:00"),
]
VEHICLES = [
    ("一元·益愿流动服务车1号", "浙E·D1155", "爱山街道", "义诊量血压,家电小修,理发"),
    ("一元·益愿流动服务车2号", "浙E·D1156", "龙泉街道", "家电小修,代购代办,防疫物资配送"),
    ("织里新居民流动服务车", "浙E·D2866", "织里镇", "法律咨询,调解,技能培训报名"),
]

# (community, category, channel, site index or None, contact, phone, description, hours ago, script, rating)
# script: the steps after filing: "site"/"vehicle" (assign), "accept", "decline", "start", "done",
# "cannot:<reason>"; rating: (stars, comment, source) or None.
# fmt: off
REQUESTS = [
    ("月漾苑社区", "elderly_help", Channel.WEB, None, "沈桂芳", "13957201101",
     "我母亲92岁独居，腿脚不便，希望每周有人帮忙代买一次菜。", 5, [], None),
    ("白鱼潭社区", "environment", Channel.WECHAT, None, "钱志明", "13957201102",
     "白鱼潭河边步道旁垃圾堆积好几天了，希望环保志愿队来清理一下。", 1, [], None),
    ("月漾苑社区", "child_care", Channel.APP, None, "徐丽", "13957201103",
     "孩子下午三点半放学，我和爱人都在上班，想请志愿者接孩子去三点半课堂。", 0.5, [], None),
    ("余家漾社区", "repairs", Channel.COLLECTION_SITE, 0, "陆阿婆", "13957201104",
     "3幢2单元楼道灯坏了一个多星期，晚上老人上下楼很危险。", 20, ["vehicle"], None),
    ("龙庭社区", "elderly_help", Channel.HOTLINE, None, "杨建华", "13957201105",
     "父亲有高血压，行动不便，希望医疗志愿者定期上门量血压。", 30, ["site", "accept"], None),
    ("织里社区", "mediation", Channel.COLLECTION_SITE, 1, "王海燕", "13957201106",
     "楼上邻居装修噪音很大，沟通几次没有结果，请平安大姐帮忙调解。", 50, ["team:平安大姐", "accept", "start"], None),
    ("白鱼潭社区", "environment", Channel.WECHAT, None, "朱永康", "13957201107",
     "小区有人从楼上往下扔东西，希望志愿者帮忙做高空抛物劝导。", 44, ["team:环保志愿队", "start"], None),
    ("白鱼潭社区", "elderly_help", Channel.HOTLINE, None, "孙阿姨", "13957201108",
     "老伴耳朵越来越背，听说中心可以帮忙对接助听器，想咨询一下。", 240,
     ["site", "accept", "start", "done"], (5, "社工很快就上门了，助听器已经配好，非常感谢！", "online")),
    ("龙庭社区", "other", Channel.APP, None, "吴小平", "13957201109",
     "家里老人慢性病药快吃完了，我在外地隔离回不来，请帮忙代购药品送上门。", 400,
     ["vehicle", "accept", "done"], (4, "药送到了，就是比约定晚了一个小时。", "staff")),
    ("余家漾社区", "environment", Channel.APP, None, "邹建军", "13957201110",
     "车棚里电动车充电线乱拉，存在安全隐患，请协助整改。", 120, ["site", "accept", "start", "done"], None),
    ("月河社区", "other", Channel.HOTLINE, None, "蒋美华", "13957201111",
     "想请人帮忙办理户口迁移手续。", 90, ["cannot:户口迁移需本人到派出所户籍窗口办理，已电话告知地址和所需材料。"], None),
    ("织里社区", "companionship", Channel.WEB, None, "郑晓东", "13957201112",
     "外出打工一个月，想请志愿者每天上门照看家里的宠物。", 70,
     ["site", "decline", "cannot:照看宠物不在志愿服务范围内，已推荐附近的宠物寄养店。"], None),
    ("月漾苑社区", "companionship", Channel.COLLECTION_SITE, 2, "何奶奶", "13957201113",
     "一个人在家很闷，希望有志愿者每周来陪我聊聊天、读读报。", 160,
     ["team:湖小师", "accept", "start", "done"], (5, "小志愿者很有耐心，我很开心。", "staff")),
]
# resident@example.com's own requests: one done and not yet rated, one waiting for volunteer@'s answer.
RESIDENT_REQUESTS = [
    ("白鱼潭社区", "repairs", Channel.WEB, "厨房水龙头一直漏水，自己修不好，想请志愿者帮忙看看。", 72,
     ["volunteer", "accept", "start", "done"]),
    ("白鱼潭社区", "companionship", Channel.HOTLINE, "想请志愿者每周陪我母亲聊聊天，她一个人在家。", 26,
     ["volunteer"]),
]
# fmt: on


def _community(name: str) -> Community:
    return Community.objects.get(name=name)


def _sites() -> list[CollectionSite]:
    sites = []
    for street, communities in STREETS.items():
        for name in communities:
            community = _community(name)
            center = Center.objects.filter(community=community).first() or demo_center()
            for kind, hours in SITE_KINDS:
                site, created = CollectionSite.objects.get_or_create(
                    name=f"{name.removesuffix('社区')}{kind}",
                    defaults={
                        "center": center,
                        "address": f"{street}{name}{kind.removesuffix('采集点')}",
                        "opening_hours": hours,
                        "phone": "400-1155-866",
                    },
                )
                if created:
                    site.communities.add(community)
                sites.append(site)
    return sites


def _vehicles() -> list[ServiceVehicle]:
    vehicles = []
    for name, plate, street, services_on_board in VEHICLES:
        center = Center.objects.filter(street__name=street, level=Center.Level.STREET).first()
        vehicle, created = ServiceVehicle.objects.get_or_create(
            name=name, defaults={"plate": plate, "center": center, "services": services_on_board}
        )
        if created:
            vehicle.communities.set(Community.objects.filter(street__name=street))
        vehicles.append(vehicle)
    return vehicles


def _play(request: ServiceRequest, script: list[str], staff, assignee: dict) -> None:
    """Walk a request through its script with the real services (so history is true to life)."""
    for step in script:
        if step in ("site", "vehicle", "volunteer") or step.startswith("team:"):
            # Volunteers and teams come from the volunteers demo; a fixed site stands in if one is missing.
            target = assignee.get(step) or Team.objects.filter(name=step.removeprefix("team:")).first()
            kind = step.split(":")[0] if target is not None else "site"
            services.assign_request(request=request, by=staff, **{kind: target or assignee["site"]})
        elif step in ("accept", "decline"):
            active = Assignment.objects.get(request=request, response=Assignment.Response.PENDING)
            services.answer_assignment(assignment=active, accept=step == "accept", by=staff)
        elif step == "start":
            services.start_request(request=request, by=staff)
        elif step == "done":
            services.complete_request(request=request, by=staff, note="已完成服务，居民确认。")
        elif step.startswith("cannot:"):
            services.close_request_as_impossible(request=request, by=staff, note=step.split(":", 1)[1])


def _backdate(request: ServiceRequest, hours_ago: float) -> None:
    """Spread the demo's history over the past ``hours_ago`` hours (services stamp "now")."""
    now = timezone.now()
    created = now - dt.timedelta(hours=hours_ago)
    changes = list(request.history.order_by("at", "pk"))
    span = dt.timedelta(hours=hours_ago * 0.8)
    stamps = [created + span * i / max(len(changes) - 1, 1) for i in range(len(changes))]
    stamps[0] = created
    for change, at in zip(changes, stamps, strict=True):
        StatusChange.objects.filter(pk=change.pk).update(at=at, notified_at=at)
    first = {}
    for change, at in zip(changes, stamps, strict=True):
        first.setdefault(change.to_status, at)
    last = stamps[-1]
    fields = {
        "number": services.new_request_number(created),
        "created_at": created,
        "assigned_at": first.get(Status.ASSIGNED),
        "started_at": first.get(Status.IN_PROGRESS),
    }
    request.refresh_from_db()
    if request.status == Status.NEW:
        fields["waiting_since"] = last
    if request.closed_at:
        fields["closed_at"] = last
    ServiceRequest.objects.filter(pk=request.pk).update(**fields)
    assignments = list(request.assignments.order_by("assigned_at", "pk"))
    assigned_stamps = [
        at for change, at in zip(changes, stamps, strict=True) if change.to_status == Status.ASSIGNED
    ]
    for assignment, at in zip(assignments, assigned_stamps, strict=False):
        later = [stamp for stamp in stamps if stamp > at]
        answered = later[0] if later else min(at + dt.timedelta(minutes=40), now)
        Assignment.objects.filter(pk=assignment.pk).update(
            assigned_at=at, responded_at=answered if assignment.responded_at else None
        )


def _assignees(sites, vehicles, community_name: str) -> dict:
    community_sites = [s for s in sites if s.name.startswith(community_name.removesuffix("社区"))]
    street = Community.objects.get(name=community_name).street.name
    street_vehicles = [v for v in vehicles if v.center.street.name == street] or vehicles
    return {
        "site": community_sites[0] if community_sites else sites[0],
        "vehicle": street_vehicles[0],
        "volunteer": Volunteer.objects.filter(user=demo_user("volunteer"), is_active=True).first(),
    }


@transaction.atomic
def load(*, stdout) -> None:
    sites = _sites()
    vehicles = _vehicles()
    worker = demo_user("worker")
    resident = demo_user("resident")
    made = 0
    for community, category, channel, site_index, name, phone, text, hours, script, rating in REQUESTS:
        if ServiceRequest.objects.filter(contact_phone=phone, description=text).exists():
            continue
        community_sites = [s for s in sites if s.name.startswith(community.removesuffix("社区"))]
        request = services.submit_request(
            category=category,
            description=text,
            community=_community(community),
            contact_name=name,
            contact_phone=phone,
            channel=channel,
            collection_site=community_sites[site_index] if site_index is not None else None,
            recorded_by=None if channel == Channel.WEB else worker,
            phone_confirmed=channel == Channel.WEB,
        )
        _play(request, script, worker, _assignees(sites, vehicles, community))
        if rating:
            stars, comment, source = rating
            services.record_feedback(
                request=request,
                rating=stars,
                comment=comment,
                source=source,
                recorded_by=worker if source == Feedback.Source.STAFF else None,
            )
        _backdate(request, hours)
        made += 1
    for community, category, channel, text, hours, script in RESIDENT_REQUESTS:
        if ServiceRequest.objects.filter(requester=resident, description=text).exists():
            continue
        request = services.submit_request(
            category=category,
            description=text,
            community=_community(community),
            requester=resident,
            channel=channel,
            recorded_by=None if channel == Channel.WEB else worker,
        )
        _play(request, script, worker, _assignees(sites, vehicles, community))
        _backdate(request, hours)
        made += 1
    call = _mobilisation(worker)
    _supplies(worker, call)
    stdout.write(
        f"dispatch: {len(sites)} collection sites, {len(vehicles)} vehicles, {made} new requests "
        f"({ServiceRequest.objects.count()} in all)"
    )


def _mobilisation(worker) -> Mobilisation:
    """An epidemic-prevention call two hours old: some answered, volunteer@example.com not yet.
    Too few are coming and its time is up, so the periodic task widens it to the street."""
    center = demo_center()
    title = "疫情防控卡口值守志愿者招募"
    call = Mobilisation.objects.filter(center=center, title=title).first()
    if call is not None:
        return call
    call = services.start_mobilisation(
        center=center,
        title=title,
        message="白鱼潭社区东、西两个卡口需要志愿者协助测温、登记和物资搬运，每班4小时，今晚18:00起。请回复能否到岗。",
        created_by=worker,
        needed=6,
        answer_within_minutes=30,
        communities=Community.objects.filter(name="白鱼潭社区"),
    )
    answers = {
        "v.luayi@example.com": CallAnswer.Answer.COMING,
        "v.zhoujian@example.com": CallAnswer.Answer.RECEIVED,
    }
    for row in call.answers.select_related("volunteer__user"):
        if row.volunteer.user.email in answers:
            services.answer_call(call=call, volunteer=row.volunteer, answer=answers[row.volunteer.user.email])
    two_hours_ago = timezone.now() - dt.timedelta(hours=2)
    Mobilisation.objects.filter(pk=call.pk).update(created_at=two_hours_ago)
    Wave.objects.filter(mobilisation=call).update(sent_at=two_hours_ago)
    call.refresh_from_db()
    return call


def _supplies(worker, call: Mobilisation) -> None:
    center = demo_center()
    if SupplyEntry.objects.filter(center=center).exists():
        return
    for direction, item, unit, quantity, party in [
        (SupplyEntry.Direction.RECEIVED, "口罩", "个", "2000", "吴兴区慈善总会"),
        (SupplyEntry.Direction.RECEIVED, "消毒液", "瓶", "120", "爱心企业湖州某日化公司"),
        (SupplyEntry.Direction.RECEIVED, "善款", "元", "50000", "吴兴区蚂蚁公益协会"),
        (SupplyEntry.Direction.DISTRIBUTED, "口罩", "个", "800", "白鱼潭社区防疫卡口"),
        (SupplyEntry.Direction.DISTRIBUTED, "消毒液", "瓶", "40", "白鱼潭社区独居老人"),
    ]:
        services.record_supplies(
            mobilisation=call,
            center=center,
            direction=direction,
            item=item,
            unit=unit,
            quantity=Decimal(quantity),
            party=party,
            recorded_by=worker,
        )

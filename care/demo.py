"""Demo care data, modelled on the seed article: 30+ very old residents of 白鱼潭社区 visited
monthly by the 银龄互助团 and the social worker 周渊, and 任奶奶 of 龙庭社区 (户在人不在, nearly
blind, hearing declining, living alone), found by survey, helped through a crisis intervention
and referred for medical check-ups, a hearing aid, public rental housing and a housing subsidy.

Idempotent: recipients by (center, name), consents by (recipient, scope), referrals by
(recipient, resource); visits are added only to a recipient that has none. Dates are relative
to the day of loading, so that some visits are due and a few overdue.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from core.demo import DEMO_PASSWORD, demo_center, demo_user
from core.models import Role, User
from core.services import grant_role

from . import services
from .models import Consent, FollowUp, Recipient, Referral, RiskTier, Visit

LONGTING_WORKER = ("longting-worker@example.com", "沈晓燕", "13900000013")

# name, gender, age, tier, lives alone, volunteer paired, disability, health notes
BAIYUTAN = [
    ("张桂英", "f", 91, "high", True, True, "physical", "膝关节严重退化，行走需助行器；高血压，每日服药。"),
    ("李阿根", "m", 88, "high", True, False, "", "去年冬天跌倒过一次，夜间起床需留意。"),
    ("王秀珍", "f", 86, "medium", False, True, "", ""),
    ("陈福林", "m", 85, "medium", True, True, "hearing", "听力下降，说话需大声、放慢。"),
    ("赵凤英", "f", 90, "high", True, True, "", "轻度认知障碍，常忘记服药，女儿每周来两次。"),
    ("钱金宝", "m", 83, "low", False, False, "", ""),
    ("孙美华", "f", 84, "low", False, True, "", ""),
    ("周阿毛", "m", 87, "medium", True, False, "", "糖尿病，需控制饮食。"),
    ("吴月娥", "f", 82, "low", False, False, "", ""),
    ("郑金花", "f", 89, "medium", True, True, "visual", "白内障，视物模糊。"),
    ("冯根生", "m", 81, "low", False, False, "", ""),
    ("褚雪梅", "f", 85, "medium", False, True, "", ""),
    ("卫长林", "m", 92, "high", True, False, "", "独居，心脏病史，装有一键呼叫器。"),
    ("蒋素琴", "f", 80, "low", False, False, "", ""),
    ("沈阿三", "m", 84, "low", False, True, "", ""),
    ("韩桂兰", "f", 88, "medium", True, False, "", ""),
    ("杨水根", "m", 83, "low", False, False, "", ""),
    ("朱彩凤", "f", 86, "medium", False, True, "", ""),
    ("秦德富", "m", 90, "medium", True, False, "physical", "中风后左侧肢体无力。"),
    ("尤小妹", "f", 81, "low", False, False, "", ""),
    ("许阿大", "m", 85, "low", False, True, "", ""),
    ("何玉珍", "f", 87, "medium", True, False, "", ""),
    ("吕金根", "m", 82, "low", False, False, "", ""),
    ("施爱娣", "f", 84, "low", False, True, "", ""),
    ("张荣生", "m", 89, "medium", False, False, "", ""),
    ("孔招娣", "f", 83, "low", True, False, "", ""),
    ("曹阿福", "m", 86, "low", False, True, "", ""),
    ("严月仙", "f", 91, "high", True, False, "", "卧床为主，由保姆白天照护。"),
    ("华炳荣", "m", 80, "low", False, False, "", ""),
    ("金菊英", "f", 85, "low", False, True, "", ""),
    ("魏阿宝", "m", 88, "medium", True, False, "", ""),
    ("陶彩娥", "f", 82, "low", False, False, "", ""),
    # The demo resident (resident@example.com) is also visited: her timeline shows her sign-ups and requests.
    ("王秀英", "f", 81, "low", True, False, "", ""),
]
OBSERVATIONS = [
    "精神状态良好，家中整洁，按时服药。",
    "和老人聊了家常，老人说最近睡眠不太好。",
    "银龄互助团志愿者一同走访，帮忙清理了阳台杂物。",
    "测量血压 135/85，提醒按时复诊。",
    "老人盼着子女回家，情绪略低落，陪伴聊天一小时。",
]
NEEDS = ["", "", "希望有人陪同去医院复诊。", "厨房水龙头漏水，需要维修。", "想参加中心的手工活动。"]
MOODS = ["good", "stable", "stable", "low", "good"]


def _worker(email: str, name: str, phone: str, center) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=DEMO_PASSWORD, phone=phone, real_name=name, phone_verified=True
        )
    grant_role(user=user, role=Role.SOCIAL_WORKER, center=center)
    return user


def _consent(recipient: Recipient, scope: str, given_on: dt.date, by: User, **extra) -> None:
    Consent.objects.get_or_create(
        recipient=recipient,
        scope=scope,
        defaults={
            "given_on": given_on,
            "channel": extra.pop("channel", Consent.Channel.WRITTEN),
            "text_version": services.CONSENT_TEXT_VERSION,
            "recorded_by": by,
            **extra,
        },
    )


def _baiyutan(today: dt.date) -> int:
    center = demo_center("baiyutan")
    worker, volunteer = demo_user("worker"), demo_user("volunteer")
    resident = demo_user("resident")
    for index, (name, gender, age, tier, alone, paired, disability, notes) in enumerate(BAIYUTAN):
        sensitive = bool(disability or notes)
        found = today - dt.timedelta(days=400 - index)
        recipient, _created = Recipient.objects.get_or_create(
            center=center,
            name=name,
            defaults={
                "gender": gender,
                "birth_year": today.year - age,
                "phone": f"0572-22{index:02d}{index + 11:03d}",
                "address": f"白鱼潭社区{1 + index % 9}幢{101 + index * 3}室",
                "found_on": found,
                "lives_alone": alone,
                "very_old": True,
                "risk_tier": tier,
                "social_worker": worker,
                "volunteer": volunteer if paired else None,
                "resident": resident if name == resident.real_name else None,
            },
        )
        _consent(recipient, Consent.Scope.SENSITIVE if sensitive else Consent.Scope.CARE, found, worker)
        if sensitive and not recipient.health_notes:
            Recipient.objects.filter(pk=recipient.pk).update(
                disability_type=disability,
                health_notes=notes,
                family_contacts=f"子女：{name[0]}女士（{'139' if index % 2 else '138'}0572{index:04d}）",
            )
        if not recipient.visits.exists():
            interval = {"high": 7, "medium": 14, "low": 30}[tier]
            # The last visit: most on time, some due within days, three overdue (one long overdue).
            last_ago = {5: interval + 2, 12: interval + 12, 20: interval + 20}.get(
                index, 1 + (index * 5) % (interval - 1)
            )
            visits = []
            for n in range(4):
                day = today - dt.timedelta(days=last_ago + n * interval)
                visits.append(
                    Visit(
                        recipient=recipient,
                        center=center,
                        kind=Visit.Kind.PHONE if n == 1 and tier == "low" else Visit.Kind.HOME,
                        visited_on=day,
                        duration_minutes=30 + (index % 4) * 10,
                        visited_by=worker,
                        mood=MOODS[(index + n) % 5],
                        observations=OBSERVATIONS[(index + n) % 5],
                        needs_found=NEEDS[(index + n) % 5],
                    )
                )
            if index % 4 == 0:
                visits.append(
                    Visit(
                        recipient=recipient,
                        center=center,
                        kind=Visit.Kind.FESTIVAL,
                        visited_on=today - dt.timedelta(days=last_ago + 45),
                        duration_minutes=20,
                        visited_by=worker,
                        mood="good",
                        observations="中秋节慰问，银龄互助团送去月饼和慰问品，老人很开心。",
                    )
                )
            Visit.objects.bulk_create(visits)
            need = next((v for v in visits if v.needs_found), None)
            if need is not None:
                FollowUp.objects.create(
                    visit=need,
                    action=f"跟进：{need.needs_found}",
                    due_on=need.visited_on + dt.timedelta(days=7),
                )
        services.refresh_cadence(recipient=recipient)
    for name, resource, status, outcome in [
        (
            "张桂英",
            Referral.Resource.MEDICAL_CHECKS,
            Referral.Status.DELIVERED,
            "医疗志愿者每两周上门量血压、检查身体。",
        ),
        ("张桂英", Referral.Resource.ASSISTIVE_DEVICE, Referral.Status.APPLIED, ""),
        ("陈福林", Referral.Resource.HEARING_AID, Referral.Status.APPROVED, ""),
        (
            "卫长林",
            Referral.Resource.HOME_CARE,
            Referral.Status.DELIVERED,
            "已纳入居家养老服务，每周助浴一次。",
        ),
    ]:
        recipient = Recipient.objects.get(center=center, name=name)
        _referral(recipient, resource, status, outcome, worker, today - dt.timedelta(days=60))
    return len(BAIYUTAN)


def _referral(recipient, resource, status, outcome, by, referred_on) -> None:
    closed = referred_on + dt.timedelta(days=30) if status in Referral.CLOSED else None
    Referral.objects.get_or_create(
        recipient=recipient,
        resource=resource,
        defaults={
            "status": status,
            "referred_on": referred_on,
            "closed_on": closed,
            "outcome": outcome,
            "provider": {
                Referral.Resource.MEDICAL_CHECKS: "社区卫生服务站医疗志愿者",
                Referral.Resource.HEARING_AID: "吴兴区残疾人联合会",
                Referral.Resource.HOUSING_SUBSIDY: "吴兴区住房保障部门",
                Referral.Resource.PUBLIC_RENTAL: "吴兴区住房保障部门",
            }.get(resource, "南太湖居家养老服务中心"),
            "referred_by": by,
        },
    )


def _longting(today: dt.date) -> None:
    center = demo_center("longting")
    worker = _worker(*LONGTING_WORKER[:2], LONGTING_WORKER[2], center)
    found = today - dt.timedelta(days=210)
    ren, _created = Recipient.objects.get_or_create(
        center=center,
        name="任奶奶",
        defaults={
            "gender": "f",
            "birth_year": today.year - 86,
            "address": "龙庭社区（户籍地）",
            "source": Recipient.Source.SURVEY,
            "found_on": found,
            "lives_alone": True,
            "very_old": True,
            "risk_tier": RiskTier.LOW,  # monthly, since the crisis was resolved
            "social_worker": worker,
        },
    )
    _consent(
        ren, Consent.Scope.SENSITIVE, found + dt.timedelta(days=10), worker, channel=Consent.Channel.VERBAL
    )
    if not ren.health_notes:
        Recipient.objects.filter(pk=ren.pk).update(
            disability_type="visual",
            registered_but_absent=True,
            actual_address="在外租房居住（地址见纸质档案）",
            health_notes=(
                "双目几乎失明（视力残疾），听力开始下降。无退休金，靠去世丈夫的抚恤金和残疾补贴生活，"
                "为精神残疾的儿子买养老保险后每月生活费不足300元。"
            ),
            family_contacts="两个女儿：因身体原因和远嫁，平时不能照顾。\n儿子：精神残疾，离异。\n孙子：工作不稳定。",
        )
    if not ren.visits.exists():
        plan = [
            (found, Visit.Kind.HOME, "stable", "排摸发现“户在人不在”，上门拜访，老人独自租房居住。", ""),
            (
                found + dt.timedelta(days=10),
                Visit.Kind.HOME,
                "low",
                "第二次接触，老人说起子女情况，视力几乎丧失，听力下降。",
                "住房和生计困难，需要医疗照护。",
            ),
            (
                found + dt.timedelta(days=20),
                Visit.Kind.CRISIS,
                "distressed",
                "老人为住房和生计发愁，情绪低落，立即上门危机干预，稳定情绪并制定帮扶计划。",
                "链接医疗志愿者、助听器、公租房和住房补贴政策。",
            ),
        ]
        plan += [
            (
                found + dt.timedelta(days=50 + 30 * n),
                Visit.Kind.HOME,
                "good",
                "月度走访：老人精神好多了，感谢社工。",
                "",
            )
            for n in range(6)
        ]
        visits = Visit.objects.bulk_create(
            [
                Visit(
                    recipient=ren,
                    center=center,
                    kind=kind,
                    crisis=kind == Visit.Kind.CRISIS,
                    visited_on=day,
                    duration_minutes=60,
                    visited_by=worker,
                    mood=mood,
                    observations=obs,
                    needs_found=need,
                )
                for day, kind, mood, obs, need in plan
            ]
        )
        FollowUp.objects.create(
            visit=visits[2],
            action="联系医疗志愿者定期上门量血压",
            due_on=visits[2].visited_on + dt.timedelta(days=3),
            done_on=visits[2].visited_on + dt.timedelta(days=3),
        )
        FollowUp.objects.create(
            visit=visits[2],
            action="咨询公共租赁用房政策",
            due_on=visits[2].visited_on + dt.timedelta(days=14),
        )
    services.refresh_cadence(recipient=ren)
    start = found + dt.timedelta(days=20)
    _referral(
        ren,
        Referral.Resource.MEDICAL_CHECKS,
        Referral.Status.DELIVERED,
        "医疗志愿者定期上门量血压、检查身体。",
        worker,
        start,
    )
    _referral(ren, Referral.Resource.HEARING_AID, Referral.Status.DELIVERED, "已配置助听器。", worker, start)
    _referral(
        ren,
        Referral.Resource.PUBLIC_RENTAL,
        Referral.Status.APPLIED,
        "",
        worker,
        start + dt.timedelta(days=7),
    )
    _referral(
        ren,
        Referral.Resource.HOUSING_SUBSIDY,
        Referral.Status.DELIVERED,
        "争取到住房补贴，生活质量得到改善。",
        worker,
        start + dt.timedelta(days=7),
    )


@transaction.atomic
def load(*, stdout) -> None:
    today = timezone.localdate()
    count = _baiyutan(today)
    _longting(today)
    stdout.write(
        f"care: {count} recipients at 白鱼潭, 任奶奶 at 龙庭, {Visit.objects.count()} visits, "
        f"{Referral.objects.count()} referrals (longting social worker: {LONGTING_WORKER[0]})"
    )

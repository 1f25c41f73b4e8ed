"""Demo volunteers, teams, duties, verified hours, points and the 匠心坊 shop of 白鱼潭.

Everything goes through the services (so the ledger total equals every displayed balance)
and is keyed on natural keys, so loading twice changes nothing.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from centers.models import Activity
from core.demo import DEMO_PASSWORD, demo_center, demo_user
from core.models import Center, Community, Role, User
from core.services import grant_role

from . import services
from .models import (
    Availability,
    Category,
    CategoryWeight,
    Duty,
    Honour,
    HourRecord,
    Membership,
    PointRule,
    Redemption,
    Shop,
    ShopItem,
    Skill,
    Team,
    Volunteer,
)

SKILLS = ["陪伴聊天", "作业辅导", "矛盾调解", "环保宣传", "医疗健康", "家电维修", "文艺表演", "摄影", "驾驶"]

# Numbers 139005000xx are this app's demo range.
# extra social workers who lead the teams of other centers: email -> (name, phone, center slug)
LEADERS = {
    "yueyangyuan.worker@example.com": ("沈晓雯", "13900500011", "yueyangyuan"),
    "zhili.worker@example.com": ("钱慧", "13900500012", "zhili"),
}
KEEPER = ("keeper@example.com", "王建华", "13900500013")  # a retired party member who keeps the shop

# team name -> (center slug, leader email, description)
TEAMS = {
    "银龄互助团": (
        "baiyutan",
        "worker@example.com",
        "社区低龄老人帮助高龄老人：以“月月助老”为主题，每月走访社区30多位高龄老人，节日组织慰问。"
        "“今天我们帮助比我们年龄大的老人，以后才会有人来帮助我们。”",
    ),
    "环保志愿队": (
        "baiyutan",
        "worker@example.com",
        "从最初的2位居民发展到40多位：撿拾白鱼潭、废物再利用、墙绘和阳台种植，打造“绿色会客厅”，"
        "劝导高空抛物。",
    ),
    "湖小师": (
        "yueyangyuan",
        "yueyangyuan.worker@example.com",
        "湖州师范学院学生志愿者：每天下午三点半把放学没有家长接的孩子接回幸福邻里中心的“三点半课堂”，"
        "辅导作业、教授课外知识。",
    ),
    "平安大姐": (
        "zhili",
        "zhili.worker@example.com",
        "来自全国12个省18个地区的20余名“平安大姐”，活跃在织里的大街小巷，协调劳资纠纷、调解房租矛盾。",
    ),
}

# other demo volunteers: email -> (name, phone, home center slug, team, skills)
VOLUNTEERS = {
    "volunteer@example.com": (None, None, "baiyutan", "银龄互助团", ["陪伴聊天", "家电维修"]),
    "v.luayi@example.com": ("陆月芬", "13900500021", "baiyutan", "银龄互助团", ["陪伴聊天"]),
    "v.zhoujian@example.com": ("周建明", "13900500022", "baiyutan", "环保志愿队", ["环保宣传", "摄影"]),
    "v.zhangxiaoyu@example.com": ("张晓雨", "13900500023", "yueyangyuan", "湖小师", ["作业辅导", "文艺表演"]),
    "v.xuweili@example.com": ("徐维丽", "13900500024", "zhili", "平安大姐", ["矛盾调解"]),
}

# past service, verified by the leader: (days ago, hours, description, category)
PAST_SERVICE = {
    "volunteer@example.com": [
        (40, "3", "月月助老：走访高龄老人并陪伴聊天", Category.ELDERLY),
        (26, "2.5", "重阳节慰问高龄老人", Category.ELDERLY),
        (12, "4", "为独居老人上门修理电器", Category.ELDERLY),
        (5, "2", "月月助老：走访高龄老人", Category.ELDERLY),
    ],
    "v.luayi@example.com": [
        (20, "3", "陪同高龄老人体检", Category.HEALTH),
        (6, "2", "月月助老：走访", Category.ELDERLY),
    ],
    "v.zhoujian@example.com": [
        (15, "3", "撿拾白鱼潭", Category.ENVIRONMENT),
        (8, "2", "阳台种植课堂", Category.ENVIRONMENT),
    ],
    "v.zhangxiaoyu@example.com": [
        (10, "2", "三点半课堂作业辅导", Category.CHILDREN),
        (3, "2", "三点半课堂作业辅导", Category.CHILDREN),
    ],
    "v.xuweili@example.com": [
        (18, "4", "调解房租矛盾", Category.MEDIATION),
        (4, "3", "协调劳资纠纷", Category.MEDIATION),
    ],
}

# counter -> [(name, description, unit, stock, point price, cash price, donor)]
SHOP_ITEMS = {
    "daily": [
        ("酱油", "500毫升 生抽", "瓶", 40, None, "9.80", ""),
        ("大米", "5公斤 东北大米", "袋", 25, 300, "32.00", ""),
        ("洗衣粉", "1.5公斤", "袋", 30, None, "15.50", ""),
    ],
    "group": [
        ("湖州千张包（团购）", "每月一次社区团购，热卖特产", "盒", 50, None, "35.00", ""),
        ("安吉白茶（团购）", "明前茶 100克", "罐", 20, None, "88.00", ""),
    ],
    "donated": [
        ("爱心洗衣液", "爱心企业捐赠，优先给困难家庭", "瓶", 30, 60, None, "吴兴区慈善总会"),
        ("冬季棉被", "爱心企业捐赠", "床", 10, 200, None, "织里童装商会"),
    ],
    "points": [
        ("毛巾两条装", "纯棉毛巾", "套", 60, 80, None, ""),
        ("保温杯", "不锈钢 500毫升", "个", 20, 200, None, ""),
        ("雨伞", "长柄自动伞", "把", 15, 150, None, "螞蟻公益"),
        ("理发券", "社区理发店单次理发", "张", 40, 50, None, "白鱼潭社区理发店"),
        ("体检套餐", "社区卫生服务中心基础体检", "份", 5, 500, None, "吴兴区志愿者联合会"),
    ],
}


def _at(days: int, hour: int, minute: int = 0) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _user(email: str, name: str, phone: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=DEMO_PASSWORD, phone=phone, real_name=name, phone_verified=True
        )
    return user


@transaction.atomic
def load(*, stdout) -> None:
    for name in SKILLS:
        Skill.objects.get_or_create(name=name)
    rule, _ = PointRule.objects.get_or_create(
        is_active=True,
        defaults={
            "name": "2026年志愿积分规则",
            "points_per_hour": 10,
            "cap_per_activity": 200,
            "expiry_years": 3,
        },
    )
    for category, weight in [
        (Category.ELDERLY, "1.2"),
        (Category.CHILDREN, "1.0"),
        (Category.MEDIATION, "1.5"),
        (Category.ENVIRONMENT, "1.0"),
        (Category.EMERGENCY, "2.0"),
    ]:
        CategoryWeight.objects.get_or_create(
            rule=rule, category=category, defaults={"weight": Decimal(weight)}
        )

    for email, (name, phone, slug) in LEADERS.items():
        grant_role(
            user=_user(email, name, phone), role=Role.SOCIAL_WORKER, center=Center.objects.get(slug=slug)
        )

    teams = {}
    for name, (slug, leader_email, description) in TEAMS.items():
        center = Center.objects.get(slug=slug)
        team = Team.objects.filter(center=center, name=name).first()
        if team is None:
            team = services.create_team(
                center=center, name=name, leader=User.objects.get(email=leader_email), description=description
            )
        teams[name] = team

    volunteers = {}
    for email, (name, phone, slug, team_name, skills) in VOLUNTEERS.items():
        user = demo_user("volunteer") if email == "volunteer@example.com" else _user(email, name, phone)
        center = Center.objects.get(slug=slug)
        volunteer = Volunteer.objects.filter(user=user).first() or services.register_volunteer(
            user=user,
            center=center,
            real_name=user.real_name,
            consent=True,
            communities=Community.objects.filter(centers=center),
            skills=Skill.objects.filter(name__in=skills),
            availability=[Availability.WEEKDAY_DAYTIME, Availability.WEEKEND],
        )
        team = teams[team_name]
        membership = services.request_membership(volunteer=volunteer, team=team, message="希望为邻居出一份力")
        services.decide_membership(membership=membership, approve=True, by=team.leader)
        volunteers[email] = volunteer

    # verified past service: entered and verified by each team's leader, points credited by the service
    for email, entries in PAST_SERVICE.items():
        volunteer = volunteers[email]
        team = teams[VOLUNTEERS[email][3]]
        for days_ago, hours, description, category in entries:
            served_on = timezone.localdate() - timedelta(days=days_ago)
            record = HourRecord.objects.filter(
                volunteer=volunteer, served_on=served_on, description=description
            ).first()
            if record is None:
                duty = _duty(
                    team, description, category, days=-days_ago, start=9, hours=float(hours), slots=10
                )
                record = services.record_hours(
                    volunteer=volunteer,
                    duty=duty,
                    served_on=served_on,
                    hours=Decimal(hours),
                    description=description,
                    by=team.leader,
                )
            services.verify_hours(record=record, by=team.leader)

    me = volunteers["volunteer@example.com"]
    silver = teams["银龄互助团"]
    if not HourRecord.objects.filter(volunteer=me, source=HourRecord.Source.SELF).exists():
        services.report_hours(
            volunteer=me,
            team=silver,
            served_on=timezone.localdate() - timedelta(days=1),
            hours=Decimal("1.5"),
            description="陪独居的沈奶奶聊天",
            category=Category.ELDERLY,
        )

    # upcoming duties, re-posted when the earlier ones are over
    upcoming = [
        (silver, "月月助老：走访高龄老人", Category.ELDERLY, 2, 9, 3, 8, "白鱼潭社区各小区"),
        (silver, "重阳节慰问活动准备", Category.ELDERLY, 6, 14, 2, 6, "白鱼潭社区幸福邻里中心"),
        (teams["环保志愿队"], "撿拾白鱼潭", Category.ENVIRONMENT, 3, 8, 2, 15, "白鱼潭河畔"),
        (teams["环保志愿队"], "高空抛物劝导", Category.ENVIRONMENT, 5, 18, 2, 6, "白鱼潭社区"),
        (teams["平安大姐"], "平安大姐调解值班", Category.MEDIATION, 2, 9, 4, 3, "织里镇平安大姐工作室"),
    ]
    for team, title, category, days, hour, length, slots, place in upcoming:
        if not Duty.objects.filter(team=team, title=title, ends_at__gt=timezone.now()).exists():
            _duty(team, title, category, days=days, start=hour, hours=length, slots=slots, location=place)
    # 湖小师 staff the next 3:30 classroom of 月漾苑: an activity of the centers app when it has one
    classroom = (
        Activity.objects.filter(
            center__slug="yueyangyuan", title__contains="三点半", starts_at__gt=timezone.now()
        )
        .order_by("starts_at")
        .first()
    )
    if classroom is None:
        if not Duty.objects.filter(team=teams["湖小师"], ends_at__gt=timezone.now()).exists():
            _duty(
                teams["湖小师"], "三点半课堂：接孩子与作业辅导", Category.CHILDREN, days=1, start=15, hours=2,
                slots=6, location="月漾苑幸福邻里中心",
            )  # fmt: skip
    elif not Duty.objects.filter(activity=classroom).exists():
        services.post_duty(
            activity=classroom,
            team=teams["湖小师"],
            title=f"{classroom.title}：志愿者接送与辅导",
            starts_at=classroom.starts_at - timedelta(minutes=30),
            ends_at=classroom.ends_at,
            slots=4,
            location="月漾苑幸福邻里中心",
            by=teams["湖小师"].leader,
        )
    duty = Duty.objects.filter(
        team=silver, title="月月助老：走访高龄老人", ends_at__gt=timezone.now()
    ).first()
    services.sign_up_for_duty(duty=duty, volunteer=me)

    shop = _shop()
    if not Redemption.objects.filter(volunteer=me).exists():
        towel = ShopItem.objects.get(shop=shop, name="毛巾两条装")
        services.redeem_item(volunteer=me, item=towel, quantity=1, notify=False)

    honour_day = timezone.localdate().replace(month=1, day=20)
    if not Honour.objects.filter(title="白鱼潭最美志愿者", team=silver).exists():
        services.award_honour(
            center=demo_center(),
            title="白鱼潭最美志愿者",
            team=silver,
            awarded_on=honour_day,
            citation="“银龄互助团”的成员们在社区晚会上获颁“白鱼潭最美志愿者”荣誉证书。",
        )
    if not Honour.objects.filter(title="白鱼潭最美志愿者", volunteer=me).exists():
        services.award_honour(
            center=demo_center(),
            title="白鱼潭最美志愿者",
            volunteer=me,
            awarded_on=honour_day,
            citation="坚持每月走访高龄老人。",
        )
    stdout.write(
        f"volunteers: {Team.objects.count()} teams, {Volunteer.objects.count()} volunteers, "
        f"{Membership.objects.count()} memberships, {ShopItem.objects.count()} shop items"
    )


def _duty(team, title, category, *, days, start, hours, slots, location="") -> Duty:
    starts_at = _at(days, start)
    existing = Duty.objects.filter(team=team, title=title, starts_at=starts_at).first()
    if existing is not None:
        return existing
    return services.post_duty(
        team=team,
        title=title,
        category=category,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        slots=slots,
        location=location,
        by=team.leader,
    )


def _shop() -> Shop:
    center = demo_center()
    shop, _ = Shop.objects.get_or_create(
        center=center,
        name="匠心坊",
        defaults={
            "place": "白鱼潭社区幸福邻里中心一楼",
            "opening_hours": "周一至周六 9:00–11:30, 14:00–17:00",
        },
    )
    email, name, phone = KEEPER
    shop.keepers.add(_user(email, name, phone), demo_user("worker"))
    for counter, items in SHOP_ITEMS.items():
        for name, description, unit, stock, points, cash, donor in items:
            ShopItem.objects.get_or_create(
                shop=shop,
                name=name,
                defaults={
                    "counter": counter,
                    "description": description,
                    "unit": unit,
                    "stock": stock,
                    "point_price": points,
                    "cash_price": Decimal(cash) if cash else None,
                    "donor": donor,
                },
            )
    return shop

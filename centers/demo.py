"""Demo spaces, activities, sign-ups, notices and photos for every demo center (idempotent).

Modelled on the seed article: the 3:30 classroom of 月漾苑 every school day, 3+1 meetings in the
deliberation hall, the green living room, elderly care, and a few activities already full with
a waitlist. resident@example.com holds one confirmed place and one child (for the classroom).
"""

import datetime as dt
import io
import random

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from core.demo import demo_user
from core.models import Center, User

from . import photos, services
from .models import Activity, ActivitySeries, Audience, Category, CenterNotice, Child, Photo, Signup, Space

SPACES = [
    # (name, kind, seats, description)
    ("议事厅", Space.Kind.DELIBERATION_HALL, 30, "“3+1”四方会谈和社区议事会在这里召开。"),
    ("社会组织孵化室", Space.Kind.INCUBATION_ROOM, 12, "新成立的社区社会组织在这里办公、培训和交流。"),
    ("三点半课堂", Space.Kind.CLASSROOM, 24, "放学后孩子们在这里写作业，志愿者辅导。"),
    ("绿色会客厅", Space.Kind.GREEN_LIVING_ROOM, 20, "居民一起选址、一起建设的社区客厅，种满绿植。"),
    ("多功能活动室", Space.Kind.ACTIVITY_ROOM, 40, "讲座、培训、文艺排练。"),
]

# (title, category, audience, space, day offset, start hour, minutes, seats, description)
# fmt: off
ACTIVITIES = [
    ("银龄健康讲座：秋冬季养生", Category.HEALTH, Audience.ELDERLY, "多功能活动室", 1, 9, 90, 40,
     "社区卫生服务站医生讲解秋冬季常见病预防，现场免费量血压、测血糖。"),
    ("重阳节包饺子", Category.ELDERLY, Audience.ELDERLY, "绿色会客厅", 2, 10, 120, 8,
     "和邻居一起包饺子、拉家常，给独居老人送上一份热饺子。名额有限。"),
    ("垃圾分类我先行：环保手工课", Category.ENVIRONMENT, Audience.FAMILIES, "绿色会客厅", 3, 14, 90, 20,
     "用废旧物品做花盆和收纳盒，学习垃圾分类小知识。亲子参加更有趣。"),
    ("智能手机课堂：学用健康码和视频通话", Category.SKILLS, Audience.ELDERLY, "多功能活动室", 4, 14, 90, 15,
     "志愿者一对一教老年人使用智能手机，请带上自己的手机。"),
    ("社区议事会：垃圾投放驿站选点", Category.DELIBERATION, Audience.EVERYONE, "议事厅", 5, 19, 90, 30,
     "“3+1”四方会谈：社区两委、居民代表、物业和社会组织一起商量驿站设在哪里。"),
    ("党史学习分享会", Category.PARTY_BUILDING, Audience.EVERYONE, "议事厅", 7, 9, 90, 30,
     "社区党员和居民一起学习、分享身边的红色故事。"),
    ("书法兴趣班", Category.CULTURE, Audience.EVERYONE, "多功能活动室", 8, 9, 120, 6,
     "老师手把手教写毛笔字，笔墨纸砚由中心提供。"),
    ("社会组织孵化沙龙", Category.SKILLS, Audience.EVERYONE, "社会组织孵化室", 9, 15, 120, 12,
     "如何备案一个社区社会组织？如何申请公益创投？孵化室的前辈们来分享经验。"),
    ("邻里电影夜", Category.CULTURE, Audience.FAMILIES, "多功能活动室", 11, 19, 120, 40,
     "露天放映经典老电影，自带小板凳。"),
    ("志愿服务集市", Category.VOLUNTEERING, Audience.EVERYONE, "绿色会客厅", 13, 9, 180, 50,
     "理发、磨刀、修家电、法律咨询，志愿者为居民免费服务。"),
]
FULL_TITLES = {"重阳节包饺子", "书法兴趣班"}
PAST = [
    ("夏日消暑：社区义诊", Category.HEALTH, Audience.ELDERLY, "多功能活动室", -6, 9, 120, 30, "社区医生义诊。"),
    ("亲子绘本共读", Category.CHILDREN, Audience.FAMILIES, "绿色会客厅", -3, 15, 90, 15, "亲子共读绘本。"),
]
# fmt: on
NOTICES = [
    ("国庆假期开放时间调整", "10月1日至3日中心开放时间为9:00–16:00，4日起恢复正常。"),
    ("“我要服务”热线开通", "有困难找中心：拨打24小时热线或到服务台登记，社工和志愿者会尽快联系您。"),
]
CHILD_NAMES = ["李小雨", "张子涵", "陈一诺", "刘浩宇", "赵欣怡", "周子轩", "吴雨桐", "孙梓萱"]
NEIGHBOURS = 24


def _neighbours() -> list[User]:
    """Demo residents who fill the full activities (they never sign in)."""
    password = make_password(None)
    users = []
    for i in range(1, NEIGHBOURS + 1):
        phone = f"1391000{i:04d}"
        user = User.objects.filter(phone=phone).first()
        if user is None:
            user = User.objects.create(phone=phone, real_name=f"邻居{i:02d}", password=password)
        users.append(user)
    return users


def _spaces(center: Center) -> dict[str, Space]:
    spaces = {}
    for name, kind, seats, description in SPACES:
        spaces[name], _created = Space.objects.get_or_create(
            center=center, name=name, defaults={"kind": kind, "capacity": seats, "description": description}
        )
    return spaces


def _at(day_offset: int, hour: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=day_offset)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _activities(center: Center, spaces: dict[str, Space], index: int, neighbours: list[User]) -> int:
    made = 0
    for title, category, audience, space, offset, hour, minutes, seats, description in ACTIVITIES:
        if Activity.objects.filter(center=center, title=title, series__isnull=True).exists():
            continue
        starts_at = _at(offset + index % 3, hour)
        activity = services.create_activity(
            center=center,
            space=spaces[space],
            title=title,
            description=description,
            category=category,
            audience=audience,
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(minutes=minutes),
            capacity=seats,
            signup_closes_at=starts_at - dt.timedelta(hours=2),
        )
        made += 1
        if title in FULL_TITLES:  # full, with people waiting
            for resident in neighbours[: seats + 3]:
                services.sign_up(activity=activity, resident=resident)
        else:
            for resident in random.Random(f"{center.slug}{title}").sample(neighbours, min(seats // 3, 6)):
                services.sign_up(activity=activity, resident=resident)
    for title, category, audience, space, offset, hour, minutes, seats, description in PAST:
        if Activity.objects.filter(center=center, title=title).exists():
            continue
        starts_at = _at(offset, hour)
        activity = services.create_activity(
            center=center,
            space=spaces[space],
            title=title,
            description=description,
            category=category,
            audience=audience,
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(minutes=minutes),
            capacity=seats,
        )
        # History: rows written directly, as sign-up is closed once an activity has started.
        came = neighbours[: min(seats, 10)]
        Signup.objects.bulk_create(
            [
                Signup(
                    activity=activity,
                    resident=r,
                    status=Signup.Status.CONFIRMED,
                    code=f"{500000 + i:06d}",
                    signed_up_at=starts_at - dt.timedelta(days=2),
                    confirmed_at=starts_at - dt.timedelta(days=2),
                    attended_at=starts_at + dt.timedelta(minutes=5) if i % 4 else None,
                )
                for i, r in enumerate(came)
            ]
        )
        Activity.objects.filter(pk=activity.pk).update(confirmed_count=len(came))
        made += 1
    return made


def _classroom(center: Center, spaces: dict[str, Space]) -> ActivitySeries:
    series, _created = ActivitySeries.objects.get_or_create(
        center=center,
        title="三点半课堂",
        defaults={
            "space": spaces["三点半课堂"],
            "description": "每个上学日15:30，湖州师范学院“湖小师”志愿者把放学没有家长接的孩子接到中心，"
            "辅导完成当天作业，再教一些课外知识。家长或委托人17:30前来接。",
            "category": Category.CHILDREN,
            "audience": Audience.CHILDREN,
            "capacity": 20,
            "rrule": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
            "first_date": timezone.localdate(),
            "start_time": dt.time(15, 30),
            "end_time": dt.time(17, 30),
            "signup_opens_days_before": 14,
        },
    )
    services.generate_occurrences(series=series, until=timezone.localdate() + dt.timedelta(days=28))
    return series


def _children_in_class(series: ActivitySeries, neighbours: list[User]) -> None:
    upcoming = list(series.occurrences.filter(starts_at__gt=timezone.now()).order_by("starts_at")[:5])
    for i, name in enumerate(CHILD_NAMES):
        guardian = neighbours[i]
        child, _created = Child.objects.get_or_create(
            guardian=guardian, name=name, defaults={"birth_year": 2016 + i % 4}
        )
        for activity in upcoming:
            services.sign_up(activity=activity, resident=guardian, child=child)


def _photo_bytes(seed: int) -> bytes:
    rng = random.Random(seed)
    image = Image.new(
        "RGB", (1200, 800), (rng.randint(180, 240), rng.randint(200, 240), rng.randint(160, 220))
    )
    draw = ImageDraw.Draw(image)
    for _i in range(12):
        x, y = rng.randint(0, 1100), rng.randint(0, 700)
        r = rng.randint(40, 160)
        colour = (rng.randint(60, 200), rng.randint(100, 200), rng.randint(60, 160))
        draw.ellipse((x, y, x + r, y + r), fill=colour)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def _photos(center: Center) -> None:
    if Photo.objects.filter(center=center).exists():
        return
    for i, caption in enumerate(["中心活动现场", "绿色会客厅一角"]):
        upload = SimpleUploadedFile("demo.jpg", _photo_bytes(center.pk * 10 + i), content_type="image/jpeg")
        photos.add_photo(center=center, upload=upload, uploaded_by=None, caption=caption)


@transaction.atomic
def load(*, stdout) -> None:
    neighbours = _neighbours()
    resident = demo_user("resident")
    made = 0
    for index, center in enumerate(Center.objects.filter(is_active=True).order_by("pk")):
        spaces = _spaces(center)
        made += _activities(center, spaces, index, neighbours)
        for title, body in NOTICES:
            CenterNotice.objects.get_or_create(center=center, title=title, defaults={"body": body})
        _photos(center)
        if center.slug in ("yueyangyuan", "baiyutan"):
            _children_in_class(_classroom(center, spaces), neighbours)
    # The resident already holds one place, so /me/ shows something from the start.
    health_talk = Activity.objects.filter(center__slug="baiyutan", title=ACTIVITIES[0][0]).first()
    if (
        health_talk is not None
        and not Signup.objects.filter(activity=health_talk, resident=resident).exists()
    ):
        services.sign_up(activity=health_talk, resident=resident)
    Child.objects.get_or_create(
        guardian=resident, name="王小宇", defaults={"birth_year": 2017, "relation": "奶奶"}
    )
    stdout.write(
        f"centers: {Space.objects.count()} spaces, {made} new activities "
        f"({Activity.objects.count()} in all), {Signup.objects.count()} sign-ups"
    )

"""District-scale data: at scale 1, 100,000 activities and 1,000,000 sign-ups over core's
centers and residents, built as plain tuples in Python lists and written in batches of 5000.

On PostgreSQL the batches go in with COPY: a million model instances through bulk_create cost
about a minute of Python alone, COPY of tuples a few seconds. Elsewhere (SQLite) bulk_create.
Activities spread over four months around today; each has 0-20 sign-ups (10 on average): the
first ``capacity`` confirmed (past ones mostly attended), the rest waitlisted. ``confirmed_count``
is computed here, so the counters agree with the rows.
"""

import datetime as dt
import io
import random

from django.db import connection
from django.utils import timezone

from core.bulk import reserve_ids
from core.models import Center, User

from .models import Activity, Audience, Category, Signup, Space

BATCH = 5000
ACTIVITIES_PER_SCALE = 100_000
SIGNUPS_PER_SCALE = 1_000_000
SPACE_KINDS = [
    ("议事厅", Space.Kind.DELIBERATION_HALL),
    ("社会组织孵化室", Space.Kind.INCUBATION_ROOM),
    ("三点半课堂", Space.Kind.CLASSROOM),
    ("绿色会客厅", Space.Kind.GREEN_LIVING_ROOM),
]
TITLES = {
    Category.ELDERLY: ["银龄茶话会", "老年人智能手机课堂", "重阳敬老活动"],
    Category.CHILDREN: ["三点半课堂", "亲子绘本共读", "暑期托管班"],
    Category.ENVIRONMENT: ["垃圾分类宣传", "旧物改造手工课", "社区微花园种植"],
    Category.CULTURE: ["书法兴趣班", "邻里电影夜", "广场舞排练"],
    Category.PARTY_BUILDING: ["党史学习分享会", "主题党日活动"],
    Category.HEALTH: ["健康讲座", "社区义诊", "中医养生课堂"],
    Category.SKILLS: ["就业技能培训", "电商直播培训", "社会组织孵化沙龙"],
    Category.VOLUNTEERING: ["志愿服务集市", "爱心理发"],
    Category.DELIBERATION: ["社区议事会", "3+1四方会谈"],
}
AUDIENCE_FOR = {Category.ELDERLY: Audience.ELDERLY, Category.CHILDREN: Audience.CHILDREN}
ACTIVITY_COLUMNS = [
    "id", "center_id", "title", "description", "category", "audience", "starts_at", "ends_at",
    "capacity", "confirmed_count", "status", "created_at",
]  # fmt: skip
SIGNUP_COLUMNS = [
    "activity_id", "resident_id", "status", "channel", "signed_up_at", "confirmed_at", "code",
    "attended_at", "collected_by",
]  # fmt: skip


def _use_copy() -> bool:
    return connection.vendor == "postgresql"


def _write(model, columns: list[str], rows: list[tuple]) -> None:
    """Insert ``rows`` (tuples in ``columns`` order, values as _Wire gives them) into the table."""
    if not rows:
        return
    if not _use_copy():
        model.objects.bulk_create(
            [model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=BATCH
        )
        return
    # Values are plain text without commas, quotes or newlines, so CSV needs no quoting.
    buf = io.StringIO("\n".join(",".join(row) for row in rows) + "\n")
    sql = f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
    with connection.cursor() as cursor:
        raw = cursor.cursor
        if hasattr(raw, "copy_expert"):  # psycopg2
            raw.copy_expert(sql, buf)
        else:  # psycopg 3
            with raw.copy(sql) as copy:
                copy.write(buf.getvalue())


class _Wire:
    """How values are written: text for COPY, Python values for bulk_create. Few distinct
    timestamps recur (whole hours), so their text is cached."""

    def __init__(self, copy: bool):
        self.null = r"\N" if copy else None
        self._cache: dict = {}
        self._copy = copy

    def __call__(self, value):
        if not self._copy:
            return value
        text = self._cache.get(value)
        if text is None:
            text = self._cache[value] = value.isoformat() if isinstance(value, dt.datetime) else str(value)
        return text


def _new_ids(model, n: int) -> list[int] | None:
    """Ids drawn from the table's sequence (PostgreSQL), so that COPY can write them."""
    return reserve_ids(model, n) if _use_copy() else None


def seed(*, scale: int, rng: random.Random, stdout) -> None:
    centers = list(Center.objects.filter(slug__startswith="bench-").values_list("id", flat=True))
    if not centers:
        centers = list(Center.objects.values_list("id", flat=True))
    residents = list(User.objects.filter(phone__startswith="17").values_list("id", flat=True))
    if not centers or not residents:
        stdout.write("centers: no centers or residents to seed (run core's seed first)")
        return
    Space.objects.bulk_create(
        [
            Space(center_id=c, name=name, kind=kind, capacity=30)
            for c in centers
            for name, kind in SPACE_KINDS
        ],
        batch_size=BATCH,
        ignore_conflicts=True,
    )

    # seed_district drops the foreign keys and secondary indexes for the load and builds them after.
    made = _seed_activities(scale=scale, rng=rng, centers=centers, residents=residents)
    if _use_copy():
        with connection.cursor() as cursor:  # fresh statistics, or the first queries plan badly
            cursor.execute("ANALYZE centers_activity; ANALYZE centers_signup")
    stdout.write(
        f"centers: {len(centers) * len(SPACE_KINDS)} spaces, {made[0]} activities, {made[1]} sign-ups"
    )


def _seed_activities(
    *, scale: int, rng: random.Random, centers: list[int], residents: list[int]
) -> tuple[int, int]:
    total = max(1, int(ACTIVITIES_PER_SCALE * scale))
    mean = SIGNUPS_PER_SCALE // ACTIVITIES_PER_SCALE
    categories = list(TITLES)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    w = _Wire(_use_copy())
    confirmed, waitlisted, online = (
        w(s.value) for s in (Signup.Status.CONFIRMED, Signup.Status.WAITLISTED, Signup.Channel.ONLINE)
    )
    people = [w(r) for r in residents]
    n_people = len(people)
    # Strides coprime with the number of residents walk distinct residents from a random start.
    strides = [p for p in (7919, 7927, 7933, 7937, 7949, 7951, 7963, 7993) if n_people % p] or [1]
    signups_made = swing = 0
    for offset in range(0, total, BATCH):
        size = min(BATCH, total - offset)
        activities = []
        for i in range(size):
            category = rng.choice(categories)
            starts_at = (now + dt.timedelta(hours=rng.randint(-60 * 24, 60 * 24))).replace(
                hour=rng.choice((1, 2, 6, 7, 11))  # 9, 10, 14, 15, 19 o'clock in Asia/Shanghai (UTC+8)
            )
            capacity = rng.randint(8, 40)
            # Pairs of activities share twice the mean, so the total is exact.
            swing = -swing if i % 2 else rng.randint(-mean, mean)
            wanted = min(mean + swing, n_people)
            activities.append(
                [
                    None, rng.choice(centers), rng.choice(TITLES[category]), "", category,
                    AUDIENCE_FOR.get(category, Audience.EVERYONE), starts_at,
                    starts_at + dt.timedelta(minutes=rng.choice((60, 90, 120))), capacity,
                    min(wanted, capacity), Activity.Status.PUBLISHED.value, now, wanted,
                ]
            )  # fmt: skip
        ids = _new_ids(Activity, size)
        if ids is not None:
            for row, pk in zip(activities, ids, strict=True):
                row[0] = pk
            _write(Activity, ACTIVITY_COLUMNS, [tuple(w(v) for v in row[:-1]) for row in activities])
        else:
            made = Activity.objects.bulk_create(
                [Activity(**dict(zip(ACTIVITY_COLUMNS[1:], row[1:-1], strict=True))) for row in activities],
                batch_size=BATCH,
            )
            for row, activity in zip(activities, made, strict=True):
                row[0] = activity.pk
        rows = []
        for row in activities:
            pk, starts_at, capacity, wanted = w(row[0]), row[6], row[8], row[12]
            attended = w(starts_at) if starts_at < now else None
            signed = [w(starts_at - dt.timedelta(days=d)) for d in range(1, 8)]
            first, stride, code = rng.randrange(n_people), rng.choice(strides), rng.randrange(1_000_000)
            for position in range(wanted):
                seat = position < capacity
                rows.append(
                    (
                        pk, people[(first + position * stride) % n_people],
                        confirmed if seat else waitlisted, online, signed[position % 7],
                        signed[position % 7] if seat else w.null, f"{(code + position * 7919) % 1_000_000:06d}",
                        attended if seat and attended and position % 5 else w.null, "",
                    )
                )  # fmt: skip
        for start in range(0, len(rows), BATCH):
            _write(Signup, SIGNUP_COLUMNS, rows[start : start + BATCH])
        signups_made += len(rows)
    return total, signups_made

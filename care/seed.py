"""District-scale care data: at scale 1, 20,000 recipients and 200,000 visits (bulk inserts).

Two social workers per community center (taken from core's benchmark residents), 200
recipients per center, ten visits each over the past year, a consent for everyone and a
referral for one in ten. Due dates are computed here rather than by the services.
"""

import datetime as dt
import io
import random
from collections.abc import Iterable
from itertools import islice

from django.db import connection
from django.utils import timezone

from core.bulk import reserve_ids
from core.models import Center, Role, RoleAssignment, User
from core.seed import scaled

from .models import DEFAULT_CADENCE, Consent, Recipient, Referral, Visit
from .services import CONSENT_TEXT_VERSION

BATCH = 5000
RECIPIENTS_PER_SCALE = 20_000
VISITS_PER_RECIPIENT = 10
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = [
    "桂英",
    "秀英",
    "凤英",
    "玉兰",
    "金花",
    "阿根",
    "福林",
    "德富",
    "水根",
    "彩娥",
    "美华",
    "素琴",
    "长林",
    "月娥",
    "阿毛",
]
OBSERVATIONS = [
    "精神状态良好，按时服药。",
    "陪伴聊天，老人情绪平稳。",
    "测量血压正常，提醒复诊。",
    "家中整洁，无安全隐患。",
]
KINDS = [Visit.Kind.HOME] * 6 + [Visit.Kind.PHONE] * 3 + [Visit.Kind.FESTIVAL]
TIERS = ["high"] * 2 + ["medium"] * 3 + ["low"] * 5


def batched(rows: Iterable[tuple], size: int):
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def insert_rows(model, fields: list[str], rows: Iterable[tuple]) -> int:
    """Insert plain tuples: COPY on PostgreSQL (ten times faster than building INSERTs for
    200,000 visits), bulk_create elsewhere. The values contain no tabs, newlines or backslashes."""
    columns = [model._meta.get_field(name).column for name in fields]
    count = 0
    for chunk in batched(rows, 50_000 if connection.vendor == "postgresql" else BATCH):
        if connection.vendor == "postgresql":
            data = io.StringIO("".join("\t".join(map(_copy_value, row)) + "\n" for row in chunk))
            with connection.cursor() as cursor:
                cursor.copy_expert(f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN", data)
        else:
            model.objects.bulk_create([model(**dict(zip(fields, row, strict=True))) for row in chunk])
        count += len(chunk)
    return count


def _workers(centers: list[Center], rng: random.Random) -> dict[int, list[int]]:
    """Two social workers per center, picked among the benchmark residents."""
    pool = list(
        User.objects.filter(phone__startswith="17", is_staff=False).values_list("pk", flat=True)[:200_000]
    )
    picked = rng.sample(pool, min(len(pool), 2 * len(centers)))
    workers: dict[int, list[int]] = {}
    roles = []
    for i, center in enumerate(centers):
        ids = picked[2 * i : 2 * i + 2]
        workers[center.pk] = ids
        roles += [RoleAssignment(user_id=uid, role=Role.SOCIAL_WORKER, center=center) for uid in ids]
    RoleAssignment.objects.bulk_create(roles, batch_size=BATCH, ignore_conflicts=True)
    User.objects.filter(pk__in=picked).update(is_staff=True)
    return workers


RECIPIENT_FIELDS = [
    "center_id", "name", "gender", "birth_year", "phone", "address", "source", "found_on", "lives_alone",
    "very_old", "risk_tier", "social_worker_id", "volunteer_id", "resident_id", "id_number", "disability_type",
    "health_notes", "registered_but_absent", "actual_address", "guardian_name", "guardian_phone",
    "family_contacts", "last_visited_on", "next_visit_due", "status", "closed_on", "closed_reason",
    "anonymised_at", "created_at", "updated_at",
]  # fmt: skip


def _recipient_rows(centers, workers, total, rng, today, now) -> list[tuple]:
    rows = []
    for i in range(total):
        center = centers[i % len(centers)]
        age = rng.randint(70, 99)
        tier = rng.choice(TIERS)
        interval = DEFAULT_CADENCE[tier][0]
        # Most are on time; about one in eight is overdue.
        last = today - dt.timedelta(days=rng.randint(0, interval + (interval if rng.random() < 0.12 else 0)))
        rows.append(
            (
                center.pk, rng.choice(SURNAMES) + rng.choice(GIVEN), rng.choice("fm"), today.year - age,
                f"0572-{rng.randint(2000000, 3999999)}", f"{center.name[:-6]}{rng.randint(1, 30)}幢",
                Recipient.Source.SURVEY, today - dt.timedelta(days=rng.randint(370, 1500)), rng.random() < 0.35,
                age >= 80, tier, rng.choice(workers[center.pk]), None, None, "", "", "", False, "", "", "", "",
                last, last + dt.timedelta(days=interval), Recipient.Status.ACTIVE, None, "", None, now, now,
            )
        )  # fmt: skip
    return rows


def seed(*, scale: float, rng: random.Random, stdout) -> None:
    centers = list(Center.objects.filter(slug__startswith="bench-c").order_by("pk"))
    if not centers:
        stdout.write("care: no benchmark centers (run core's seed first); skipped")
        return
    today, now = timezone.localdate(), timezone.now()
    workers = _workers(centers, rng)
    total = scaled(RECIPIENTS_PER_SCALE, scale)
    rows = _recipient_rows(centers, workers, total, rng, today, now)
    if connection.vendor == "postgresql":
        ids = reserve_ids(Recipient, total)
        insert_rows(
            Recipient, ["id", *RECIPIENT_FIELDS], ((pk, *row) for pk, row in zip(ids, rows, strict=True))
        )
    else:
        created = Recipient.objects.bulk_create(
            [Recipient(**dict(zip(RECIPIENT_FIELDS, row, strict=True))) for row in rows], batch_size=BATCH
        )
        ids = [r.pk for r in created]
    field = {name: n for n, name in enumerate(RECIPIENT_FIELDS)}
    # (id, tier interval, worker, found on, last visit, center) of each recipient, for the rows below
    people = [
        (pk, DEFAULT_CADENCE[row[field["risk_tier"]]][0], row[field["social_worker_id"]],
         row[field["found_on"]], row[field["last_visited_on"]], row[field["center_id"]])
        for pk, row in zip(ids, rows, strict=True)
    ]  # fmt: skip
    insert_rows(
        Consent,
        ["recipient_id", "scope", "text_version", "given_by", "guardian_name", "given_on", "channel",
         "recorded_by_id", "recorded_at"],
        ((pk, "care", CONSENT_TEXT_VERSION, "self", "", found, "written", worker, now)
         for pk, _i, worker, found, _l, _c in people),
    )  # fmt: skip
    visits = insert_rows(
        Visit,
        ["recipient_id", "center_id", "kind", "visited_on", "duration_minutes", "visited_by_id", "mood", "observations",
         "needs_found", "crisis", "created_at"],
        ((pk, center, rng.choice(KINDS), last - dt.timedelta(days=n * interval), rng.choice((20, 30, 45, 60)), worker,
          rng.choice(("good", "stable", "stable", "low")), rng.choice(OBSERVATIONS), "", False, now)
         for pk, interval, worker, _f, last, center in people
         for n in range(VISITS_PER_RECIPIENT)),
    )  # fmt: skip
    referrals = insert_rows(
        Referral,
        ["recipient_id", "resource", "provider", "status", "referred_on", "closed_on", "outcome",
         "referred_by_id"],
        ((pk, rng.choice(Referral.Resource.values), "", "applied", today - dt.timedelta(days=rng.randint(1, 300)),
          None, "", worker)
         for pk, _i, worker, _f, _l, _c in people[::10]),
    )  # fmt: skip
    stdout.write(f"care: {total} recipients, {visits} visits, {referrals} referrals")

"""District-scale data: ``seed_district --scale N`` builds, per unit of scale, 30 collection sites,
10 service vehicles and 30,000 requests (the article's figures) with their history, assignments
and satisfaction ratings, by bulk inserts."""

import datetime as dt
import random

from django.utils import timezone

from core.bulk import copy_objects
from core.models import Center, User

from .models import (
    Assignment,
    Category,
    Channel,
    CollectionSite,
    Feedback,
    ServiceRequest,
    ServiceVehicle,
    Status,
    StatusChange,
)

BATCH = 5000
REQUESTS_PER_SCALE = 30_000  # the article: 30,000+ requests through 30 collection sites
CHANNELS = [
    (Channel.HOTLINE, 35),
    (Channel.COLLECTION_SITE, 25),
    (Channel.APP, 15),
    (Channel.WECHAT, 15),
    (Channel.WEB, 10),
]
STATUSES = [
    (Status.DONE, 70),
    (Status.CANNOT_BE_DONE, 5),
    (Status.IN_PROGRESS, 5),
    (Status.ASSIGNED, 8),
    (Status.NEW, 12),
]
TEXTS = {
    Category.ELDERLY_HELP: ["独居老人需要代买菜", "老人需要上门量血压", "帮忙预约助听器验配"],
    Category.REPAIRS: ["楼道灯坏了", "水龙头漏水", "家里电路跳闸"],
    Category.COMPANIONSHIP: ["希望志愿者陪老人聊天", "陪同老人去医院复查"],
    Category.MEDIATION: ["邻里装修噪音纠纷", "租房押金纠纷请求调解"],
    Category.ENVIRONMENT: ["河边垃圾堆积", "高空抛物劝导", "楼道杂物清理"],
    Category.CHILD_CARE: ["放学后无人接孩子", "暑期孩子看护"],
    Category.OTHER: ["疫情期间代购药品", "咨询政策办理流程"],
}


def _pick(rng: random.Random, weighted: list) -> str:
    return rng.choices([v for v, _w in weighted], weights=[w for _v, w in weighted])[0]


def seed(*, scale: int, rng: random.Random, stdout) -> None:
    centers = list(
        Center.objects.filter(slug__startswith="bench-c").values_list("pk", "community_id", "street_id")
    )
    if not centers:
        stdout.write("dispatch: no benchmark centers (run core's seed first); skipped")
        return
    by_community = {community_id: (pk, street_id) for pk, community_id, street_id in centers}
    communities = list(by_community)

    sites = CollectionSite.objects.bulk_create(
        [
            CollectionSite(
                name=f"基准采集站点{i:04d}-{rng.randrange(10**6):06d}",
                center_id=centers[i % len(centers)][0],
                address=f"基准路{i + 1}号",
                opening_hours="每天 8:30–17:30",
            )
            for i in range(max(1, int(30 * scale)))
        ]
    )
    Through = CollectionSite.communities.through
    Through.objects.bulk_create(
        [
            Through(collectionsite_id=site.pk, community_id=c)
            for site in sites
            for c in rng.sample(communities, k=min(3, len(communities)))
        ],
        batch_size=BATCH,
    )
    vehicles = ServiceVehicle.objects.bulk_create(
        [
            ServiceVehicle(
                name=f"基准流动服务车{i:03d}-{rng.randrange(10**6):06d}",
                plate=f"浙E·B{i:04d}",
                center_id=centers[i % len(centers)][0],
            )
            for i in range(max(1, int(10 * scale)))
        ]
    )
    resident_ids = list(
        User.objects.filter(phone__startswith="17")
        .order_by("-pk")
        .values_list("pk", flat=True)[: max(1, int(50_000 * scale))]
    )
    start = (ServiceRequest.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    now = timezone.now()
    total = max(1, int(REQUESTS_PER_SCALE * scale))
    counts = {"history": 0, "assignments": 0, "feedback": 0}
    for offset in range(0, total, BATCH):
        requests, plans = [], []
        for i in range(offset, min(offset + BATCH, total)):
            community_id = rng.choice(communities)
            center_id, _street = by_community[community_id]
            channel = _pick(rng, CHANNELS)
            status = _pick(rng, STATUSES)
            category = rng.choice(list(Category))
            created = now - dt.timedelta(minutes=rng.randrange(60, 365 * 24 * 60))
            assigned = created + dt.timedelta(minutes=rng.randrange(10, 8 * 60))
            started = assigned + dt.timedelta(minutes=rng.randrange(30, 24 * 60))
            closed = started + dt.timedelta(minutes=rng.randrange(30, 48 * 60))
            if status == Status.NEW:
                created = now - dt.timedelta(minutes=rng.randrange(5, 72 * 60))
            requester_id = rng.choice(resident_ids) if resident_ids and channel == Channel.WEB else None
            requests.append(
                ServiceRequest(
                    number=f"B{start + i:011d}",
                    category=category,
                    description=rng.choice(TEXTS[category]),
                    center_id=center_id,
                    community_id=community_id,
                    channel=channel,
                    collection_site=rng.choice(sites) if channel == Channel.COLLECTION_SITE else None,
                    requester_id=requester_id,
                    contact_name=f"居民{rng.randrange(10**5)}",
                    contact_phone=f"17{rng.randrange(10**9):09d}",
                    phone_confirmed=channel == Channel.WEB,
                    status=status,
                    waiting_since=created if status == Status.NEW else None,
                    assigned_at=assigned if status != Status.NEW else None,
                    started_at=started if status in (Status.IN_PROGRESS, Status.DONE) else None,
                    closed_at=closed if status in (Status.DONE, Status.CANNOT_BE_DONE) else None,
                    closing_note="无法提供该项服务，已转介相关部门"
                    if status == Status.CANNOT_BE_DONE
                    else "",
                    created_at=created,
                )
            )
            plans.append((status, created, assigned, started, closed))
        requests = copy_objects(requests)
        history, assignments, feedback = [], [], []
        for request, (status, created, assigned, started, closed) in zip(requests, plans, strict=True):
            steps = [("", Status.NEW, created)]
            if status != Status.NEW:
                steps.append((Status.NEW, Status.ASSIGNED, assigned))
                use_site = rng.random() < 0.6
                response = (
                    Assignment.Response.PENDING
                    if status == Status.ASSIGNED and rng.random() < 0.5
                    else Assignment.Response.ACCEPTED
                )
                assignments.append(
                    Assignment(
                        request_id=request.pk,
                        kind=Assignment.Kind.SITE if use_site else Assignment.Kind.VEHICLE,
                        site=rng.choice(sites) if use_site else None,
                        vehicle=None if use_site else rng.choice(vehicles),
                        response=response,
                        assigned_at=assigned,
                        responded_at=None if response == Assignment.Response.PENDING else assigned,
                    )
                )
            if status in (Status.IN_PROGRESS, Status.DONE):
                steps.append((Status.ASSIGNED, Status.IN_PROGRESS, started))
            if status == Status.DONE:
                steps.append((Status.IN_PROGRESS, Status.DONE, closed))
                if rng.random() < 0.6:
                    feedback.append(
                        Feedback(
                            request_id=request.pk,
                            rating=rng.choices([5, 4, 3, 2, 1], weights=[55, 30, 10, 3, 2])[0],
                            source=Feedback.Source.STAFF if rng.random() < 0.7 else Feedback.Source.ONLINE,
                            created_at=closed + dt.timedelta(hours=rng.randrange(1, 72)),
                        )
                    )
            if status == Status.CANNOT_BE_DONE:
                steps.append((Status.ASSIGNED, Status.CANNOT_BE_DONE, closed))
            history += [
                StatusChange(request_id=request.pk, from_status=f, to_status=t, at=at, notified_at=at)
                for f, t, at in steps
            ]
        copy_objects(history)
        copy_objects(assignments)
        copy_objects(feedback)
        counts["history"] += len(history)
        counts["assignments"] += len(assignments)
        counts["feedback"] += len(feedback)
    stdout.write(
        f"dispatch: {len(sites)} collection sites, {len(vehicles)} vehicles, {total} requests, "
        f"{counts['history']} status changes, {counts['assignments']} assignments, {counts['feedback']} ratings"
    )

"""District-scale registry for benchmarks: at scale 1, 3,000 filed and 400 registered organizations
with their domains and lifecycle history, and one service contract (with targets) per center of
the benchmark district that core.seed built."""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from core.models import Center, Community, Street
from core.seed import scaled

from .credit_code import make_credit_code
from .models import (
    ContractTarget,
    Domain,
    Metric,
    Organization,
    Period,
    ServiceContract,
    Stage,
    StageChange,
)

BATCH = 5000
FILED_PER_SCALE = 3000
REGISTERED_PER_SCALE = 400
PATH = [Stage.INTRODUCE, Stage.INCUBATE, Stage.GUIDE, Stage.SUPPORT, Stage.REGULATE]
FILED_KINDS = [
    Organization.Kind.COMMUNITY,
    Organization.Kind.VOLUNTEER_TEAM,
    Organization.Kind.STUDIO,
    Organization.Kind.OTHER,
]
REGISTERED_KINDS = [
    Organization.Kind.SOCIAL_SERVICE,
    Organization.Kind.ASSOCIATION,
    Organization.Kind.CHAMBER,
    Organization.Kind.FOUNDATION,
    Organization.Kind.HUB,
]
FILED_SUFFIXES = ["志愿服务队", "文体队", "互助会", "议事会", "工作室", "环保队", "助老队", "读书会"]
REGISTERED_SUFFIXES = ["社会工作服务中心", "公益服务中心", "协会", "商会", "基金会", "社会组织服务中心"]


def _day(rng: random.Random, start_year: int = 2010) -> datetime.date:
    return datetime.date(start_year, 1, 1) + datetime.timedelta(days=rng.randrange(0, 365 * 14))


def seed(*, scale: float, rng: random.Random, stdout) -> None:
    streets = list(Street.objects.filter(district__name="基准区").order_by("pk"))
    if not streets:
        stdout.write("orgs: no benchmark district (core.seed runs first); nothing seeded")
        return
    communities = list(Community.objects.filter(street__in=streets).order_by("pk"))
    domains = list(Domain.objects.values_list("pk", flat=True))
    now = timezone.now()
    offset = Organization.objects.count()  # keeps names and codes unique if the seed runs again

    orgs = []
    filed_count, registered_count = scaled(FILED_PER_SCALE, scale), scaled(REGISTERED_PER_SCALE, scale)
    for i in range(filed_count):
        community = rng.choice(communities)
        orgs.append(
            Organization(
                name=f"{community.name}{rng.choice(FILED_SUFFIXES)}{offset + i:05d}",
                kind=rng.choice(FILED_KINDS),
                status=Organization.Status.FILED,
                street_id=community.street_id,
                community=community,
                filed_on=_day(rng),
                party_members=rng.choice([0, 0, 0, 1, 2, 3]),
            )
        )
    for i in range(registered_count):
        n = offset + i
        body = f"5{rng.choice('123')}330599B{n:08d}"
        grade = rng.choice(["", "", "", "3A", "4A", "5A", "2A"])
        orgs.append(
            Organization(
                name=f"基准区{rng.choice(['仁和', '康宁', '邻里', '同心', '启航', '暖阳'])}{rng.choice(REGISTERED_SUFFIXES)}{n:05d}",
                kind=rng.choice(REGISTERED_KINDS),
                status=Organization.Status.REGISTERED,
                street=rng.choice(streets) if rng.random() < 0.9 else None,
                credit_code=make_credit_code(body),
                registering_authority="基准区民政局",
                registered_on=_day(rng),
                grade=grade,
                graded_on=_day(rng, 2020) if grade else None,
                party_branch=rng.choice(["none", "own", "joint", "instructor"]),
                party_members=rng.randrange(0, 12),
            )
        )
    # A stage for each, reached one step at a time: the history below matches it.
    depth = [rng.choices(range(5), weights=[40, 25, 15, 12, 8])[0] for _ in orgs]
    for org, d in zip(orgs, depth, strict=True):
        org.stage = PATH[d]
        org.stage_changed_at = now
    Organization.objects.bulk_create(orgs, batch_size=BATCH)

    through = Organization.domains.through
    through.objects.bulk_create(
        [
            through(organization_id=org.pk, domain_id=d)
            for org in orgs
            for d in rng.sample(domains, k=min(len(domains), rng.randint(1, 3)))
        ],
        batch_size=BATCH,
    )
    history = []
    for org, d in zip(orgs, depth, strict=True):
        history.append(StageChange(organization=org, sequence=1, to_stage=Stage.INTRODUCE, moved_at=now))
        for step in range(1, d + 1):
            history.append(
                StageChange(
                    organization=org,
                    sequence=step + 1,
                    from_stage=PATH[step - 1],
                    to_stage=PATH[step],
                    moved_at=now,
                    reason="基准数据",
                )
            )
    StageChange.objects.bulk_create(history, batch_size=BATCH)

    # One contract per benchmark center, this year, operated by a registered organization.
    registered = [o for o in orgs if o.status == Organization.Status.REGISTERED]
    centers = list(Center.objects.filter(street__in=streets).order_by("pk"))
    year = now.year
    contracts = [
        ServiceContract(
            number=f"BENCH-{year}-{center.pk:06d}",
            title=f"{center.name}运营服务",
            buyer_street_id=center.street_id,
            operator=rng.choice(registered),
            starts_on=datetime.date(year, 1, 1),
            ends_on=datetime.date(year, 12, 31),
            amount=Decimal(rng.randrange(150, 400) * 1000),
        )
        for center in centers
    ]
    ServiceContract.objects.bulk_create(contracts, batch_size=BATCH)
    link = ServiceContract.centers.through
    link.objects.bulk_create(
        [
            link(servicecontract_id=c.pk, center_id=center.pk)
            for c, center in zip(contracts, centers, strict=True)
        ],
        batch_size=BATCH,
    )
    ContractTarget.objects.bulk_create(
        [
            ContractTarget(contract=c, metric=metric, period=period, minimum=Decimal(minimum))
            for c in contracts
            for metric, period, minimum in (
                (Metric.ACTIVITIES, Period.MONTH, 8),
                (Metric.HOME_VISITS, Period.MONTH, 30),
                (Metric.VOLUNTEER_HOURS, Period.QUARTER, 200),
            )
        ],
        batch_size=BATCH,
    )
    stdout.write(
        f"orgs: {filed_count} filed + {registered_count} registered organizations, "
        f"{len(history)} lifecycle entries, {len(contracts)} contracts"
    )

"""District-scale data for benchmarks: ``seed_district --scale N`` with bulk inserts.

Every app may add a ``seed.py`` with ``seed(*, scale, rng, stdout)``, called in INSTALLED_APPS order.
Scale 1: 10 streets, 100 communities, 110 centers, 50,000 residents. The scale may be fractional
(0.01 for a smoke run): every count is ``max(1, int(N * scale))``.
"""

import random

from django.contrib.auth.hashers import make_password

from .models import Center, Community, District, Street, User

BATCH = 5000


def scaled(count: int, scale: float) -> int:
    return max(1, int(count * scale))


def seed(*, scale: float, rng: random.Random, stdout) -> None:
    district, _ = District.objects.get_or_create(name="基准区")
    streets = Street.objects.bulk_create(
        [Street(district=district, name=f"基准街道{i:03d}") for i in range(scaled(10, scale))]
    )
    communities = Community.objects.bulk_create(
        [Community(street=s, name=f"{s.name}第{j:02d}社区") for s in streets for j in range(10)]
    )
    centers = [
        Center(name=f"{s.name}幸福邻里中心", slug=f"bench-s{s.pk}", level=Center.Level.STREET, street=s)
        for s in streets
    ]
    centers += [
        Center(
            name=f"{c.name}幸福邻里中心",
            slug=f"bench-c{c.pk}",
            level=Center.Level.COMMUNITY,
            street_id=c.street_id,
            community=c,
            services="养老服务,三点半课堂",
        )
        for c in communities
    ]
    Center.objects.bulk_create(centers, batch_size=BATCH)
    password = make_password(None)  # unusable: benchmark residents never sign in
    start = (User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    total = scaled(50_000, scale)
    for offset in range(0, total, BATCH):
        User.objects.bulk_create(
            [
                User(real_name=f"居民{start + i}", phone=f"17{start + i:09d}", password=password)
                for i in range(offset, min(offset + BATCH, total))
            ],
            batch_size=BATCH,
        )
    stdout.write(
        f"core: {len(streets)} streets, {len(communities)} communities, {len(centers)} centers, {total} residents"
    )

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from core.models import Center, RoleAssignment, User


def test_load_demo_creates_one_account_per_role_and_is_idempotent(db):
    call_command("load_demo", stdout=StringIO())
    counts = (User.objects.count(), Center.objects.count(), RoleAssignment.objects.count())
    call_command("load_demo", stdout=StringIO())
    assert (User.objects.count(), Center.objects.count(), RoleAssignment.objects.count()) == counts
    for role in ("resident", "volunteer", "worker", "manager", "street", "district", "admin"):
        assert User.objects.get(email=f"{role}@example.com").check_password("neighborhood-demo")
    assert Center.objects.filter(name="白鱼潭社区幸福邻里中心").exists()
    assert User.objects.get(email="admin@example.com").is_superuser


def test_load_demo_refuses_in_production(db, settings):
    settings.IS_PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("load_demo", stdout=StringIO())
    assert not User.objects.exists()


def test_demo_worker_is_scoped_to_one_center(db):
    call_command("load_demo", stdout=StringIO())
    from core import access

    worker = User.objects.get(email="worker@example.com")
    assert list(access.visible_centers(worker).values_list("slug", flat=True)) == ["baiyutan"]


def test_seed_district_builds_places_and_residents_in_bulk(db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        call_command("seed_district", scale=0.02, stdout=StringIO())
    assert Center.objects.filter(slug__startswith="bench-").count() == 11  # 1 street + 10 communities
    assert User.objects.filter(real_name__startswith="居民").count() == 1000
    assert len(ctx.captured_queries) < 2000  # bulk inserts, not one query per row

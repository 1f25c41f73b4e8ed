from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
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


@pytest.mark.django_db(transaction=True)
def test_seed_district_on_postgresql_runs_apps_side_by_side_and_puts_every_check_back():
    """Outside a transaction on PostgreSQL the seed drops foreign keys and secondary indexes, runs
    the apps in parallel processes, then builds and validates them again: none may be lost."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the parallel bulk load is PostgreSQL's")
    catalogue = (
        "SELECT (SELECT count(*) FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
        "WHERE n.nspname = current_schema() AND c.contype = 'f' AND c.convalidated), "
        "(SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema())"
    )
    with connection.cursor() as cursor:
        cursor.execute(catalogue)
        before = cursor.fetchone()
    out = StringIO()
    call_command("seed_district", scale=0.01, stdout=out)
    with connection.cursor() as cursor:
        cursor.execute(catalogue)
        assert cursor.fetchone() == before
    for label in ("core", "centers", "orgs", "volunteers", "dispatch", "care", "deliberation"):
        assert f"({label}: " in out.getvalue()
    assert "saved to" in out.getvalue()
    assert not list(Path(settings.DATA_DIR).glob("seed-district-*.sql"))  # put back, so not kept
    from centers.models import Signup
    from dispatch.models import ServiceRequest, StatusChange
    from volunteers.models import HourRecord

    assert Signup.objects.count() == 10_000
    assert HourRecord.objects.count() == 5_000
    requests = ServiceRequest.objects.all()
    assert requests.count() == 300
    # Rows written with COPY still carry what the model's defaults and auto_now would give them.
    assert requests.filter(updated_at__isnull=False).values("public_id").distinct().count() == 300
    assert StatusChange.objects.filter(request__in=requests).count() >= 300


def test_seed_district_refuses_a_production_database_unless_it_is_a_benchmark_one(db, settings):
    settings.IS_PRODUCTION = True
    with pytest.raises(CommandError, match="bench"):
        call_command("seed_district", scale=0.01, stdout=StringIO())
    assert not User.objects.filter(real_name__startswith="居民").exists()

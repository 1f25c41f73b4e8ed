import io
import random

import pytest
from django.db.models import F
from django.utils import timezone

from centers import demo, seed
from centers.models import Activity, ActivitySeries, Signup, Space
from core import demo as core_demo
from core import seed as core_seed
from core.models import Center

pytestmark = pytest.mark.django_db


def test_demo_data_covers_every_center_and_is_idempotent():
    out = io.StringIO()
    core_demo.load(stdout=out)
    demo.load(stdout=out)
    counts = (Space.objects.count(), Activity.objects.count(), Signup.objects.count())
    demo.load(stdout=out)
    assert (Space.objects.count(), Activity.objects.count(), Signup.objects.count()) == counts

    upcoming = Activity.objects.filter(status="published", starts_at__gt=timezone.now())
    for center in Center.objects.all():
        assert set(Space.objects.filter(center=center).values_list("name", flat=True)) >= {
            "议事厅",
            "社会组织孵化室",
            "三点半课堂",
            "绿色会客厅",
        }
        assert upcoming.filter(center=center).exists()
    full = upcoming.filter(confirmed_count=F("capacity"))
    assert full.filter(signups__status=Signup.Status.WAITLISTED).exists()
    classroom = ActivitySeries.objects.get(center__slug="yueyangyuan", title="三点半课堂")
    assert classroom.occurrences.filter(starts_at__gt=timezone.now()).count() >= 10
    resident = core_demo.demo_user("resident")
    open_for_resident = [
        a for a in upcoming.filter(audience="everyone") if a.is_open_for_signup and not a.is_full
    ]
    assert len(open_for_resident) > 20
    assert Signup.objects.filter(resident=resident, status="confirmed").exists()


def test_seed_builds_activities_and_sign_ups_that_agree_with_their_counters(monkeypatch):
    out = io.StringIO()
    monkeypatch.setattr(seed, "ACTIVITIES_PER_SCALE", 300)
    monkeypatch.setattr(seed, "SIGNUPS_PER_SCALE", 3000)
    monkeypatch.setattr(core_seed, "BATCH", 500)
    rng = random.Random(7)
    from core.models import User

    # A small district: core's seed at scale 1 makes 50,000 residents, too many for a unit test.
    monkeypatch.setattr(User.objects, "bulk_create", _limited(User.objects.bulk_create))
    core_seed.seed(scale=1, rng=rng, stdout=out)
    seed.seed(scale=1, rng=rng, stdout=out)
    assert Activity.objects.count() == 300
    assert Signup.objects.count() == 3000
    for activity in Activity.objects.all()[:50]:
        confirmed = activity.signups.filter(status="confirmed").count()
        assert confirmed == activity.confirmed_count <= activity.capacity
    codes = Signup.objects.values_list("activity_id", "code")
    assert len(set(codes)) == len(codes)
    assert "300 activities, 3000 sign-ups" in out.getvalue()


def _limited(original):
    made = {"n": 0}

    def bulk_create(objs, **kwargs):
        if made["n"] >= 1000:
            return []
        made["n"] += len(objs)
        return original(objs, **kwargs)

    return bulk_create

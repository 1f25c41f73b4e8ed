"""Demo data and district-scale seeding for dispatch."""

import io
import random

from core.models import Center, User
from dispatch import seed
from dispatch.models import (
    Assignment,
    CallAnswer,
    CollectionSite,
    Feedback,
    Mobilisation,
    ServiceRequest,
    Status,
    StatusChange,
)
from tests.factories import CenterFactory


def _load_demo():
    from core import demo as core_demo
    from dispatch import demo
    from volunteers import demo as volunteers_demo

    out = io.StringIO()
    core_demo.load(stdout=out)
    volunteers_demo.load(stdout=out)
    demo.load(stdout=out)
    return out.getvalue()


def test_demo_has_requests_in_every_state_and_channel_and_loads_twice_the_same(db):
    _load_demo()
    counts = (ServiceRequest.objects.count(), StatusChange.objects.count(), CollectionSite.objects.count())
    _load_demo()
    assert (
        ServiceRequest.objects.count(),
        StatusChange.objects.count(),
        CollectionSite.objects.count(),
    ) == counts
    assert CollectionSite.objects.count() == 30
    assert set(ServiceRequest.objects.values_list("status", flat=True)) == set(Status.values)
    assert set(ServiceRequest.objects.values_list("channel", flat=True)) == {
        "web",
        "hotline",
        "site",
        "app",
        "wechat",
    }
    assert Feedback.objects.exists() and Mobilisation.objects.count() == 1
    assert CallAnswer.objects.filter(
        volunteer__user__email="volunteer@example.com", answer="waiting"
    ).exists()


def test_demo_resident_has_a_request_with_a_visible_status_on_my_page(db, client):
    _load_demo()
    resident = User.objects.get(email="resident@example.com")
    mine = ServiceRequest.objects.filter(requester=resident)
    assert {r.status for r in mine} == {Status.DONE, Status.ASSIGNED}
    client.force_login(resident)
    page = client.get("/me/").content.decode()
    for request in mine:
        assert request.display_number in page
    assert "已完成" in page and "评价服务" in page
    volunteer = User.objects.get(email="volunteer@example.com")
    assert Assignment.objects.filter(volunteer__user=volunteer, response="pending").exists()


def test_demo_history_is_in_time_order_and_in_the_past(db):
    from django.utils import timezone

    _load_demo()
    for request in ServiceRequest.objects.prefetch_related("history"):
        times = [c.at for c in request.history.all()]
        assert times == sorted(times) and times[-1] <= timezone.now()
        assert request.created_at == times[0]


def test_seed_builds_requests_with_history_by_bulk_insert(db, monkeypatch, django_assert_max_num_queries):
    for _ in range(3):
        center = CenterFactory()
        Center.objects.filter(pk=center.pk).update(slug=f"bench-c{center.pk}")
    User.objects.bulk_create([User(phone=f"170{i:08d}", real_name=f"居民{i}") for i in range(20)])
    monkeypatch.setattr(seed, "BATCH", 50)
    monkeypatch.setattr(seed, "REQUESTS_PER_SCALE", 120)
    out = io.StringIO()
    with django_assert_max_num_queries(60):
        seed.seed(scale=1, rng=random.Random(1), stdout=out)
    assert ServiceRequest.objects.count() == 120
    assert CollectionSite.objects.count() == 30
    assert StatusChange.objects.count() >= 120
    done = ServiceRequest.objects.filter(status=Status.DONE)
    assert done.exists() and all(r.closed_at for r in done)
    assert not ServiceRequest.objects.filter(status=Status.NEW, waiting_since__isnull=True).exists()

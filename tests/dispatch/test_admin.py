from decimal import Decimal

from django.urls import reverse

from dispatch import services
from dispatch.models import CollectionSite, ServiceRequest, StatusChange, SupplyEntry

from .factories import CollectionSiteFactory, make_request


def test_worker_sees_only_own_centers_requests_in_the_admin(world, client):
    mine = make_request(world.center_a)
    theirs = make_request(world.center_b)
    client.force_login(world.user("worker"))
    page = client.get(reverse("admin:dispatch_servicerequest_changelist")).content.decode()
    assert mine.number in page and theirs.number not in page


def test_worker_cannot_open_another_centers_request_by_its_id(world, client):
    theirs = make_request(world.center_b)
    client.force_login(world.user("worker"))
    response = client.get(reverse("admin:dispatch_servicerequest_change", args=[theirs.pk]))
    assert response.status_code in (302, 403, 404)
    assert theirs.description not in response.content.decode()


def test_worker_records_a_hotline_request_in_the_admin_through_the_service(world, client):
    client.force_login(world.user("worker"))
    response = client.post(
        reverse("admin:dispatch_servicerequest_add"),
        {
            "channel": "hotline",
            "category": "elderly_help",
            "community": world.center_a.community_id,
            "description": "独居老人需要代买菜",
            "contact_name": "李奶奶",
            "contact_phone": "13700000041",
            "collection_site": "",
            "address": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    request = ServiceRequest.objects.get()
    assert request.recorded_by == world.user("worker") and request.center == world.center_a
    assert StatusChange.objects.filter(request=request, to_status="new").exists()


def test_admin_refuses_a_site_request_without_its_site(world, client):
    client.force_login(world.user("worker"))
    response = client.post(
        reverse("admin:dispatch_servicerequest_add"),
        {
            "channel": "site",
            "category": "repairs",
            "community": world.center_a.community_id,
            "description": "楼道灯坏了",
            "contact_name": "陆阿婆",
            "contact_phone": "13700000042",
        },
    )
    assert response.status_code == 200
    assert not ServiceRequest.objects.exists()


def test_collection_sites_are_scoped_in_the_admin(world, client):
    CollectionSiteFactory(center=world.center_a, name="本中心站点")
    CollectionSiteFactory(center=world.center_b, name="别的中心站点")
    client.force_login(world.user("worker"))
    page = client.get(reverse("admin:dispatch_collectionsite_changelist")).content.decode()
    assert "本中心站点" in page and "别的中心站点" not in page
    assert CollectionSite.objects.count() == 2


def test_supplies_admin_refuses_handing_out_more_than_stock(world, client):
    services.record_supplies(
        center=world.center_a,
        direction="received",
        item="口罩",
        unit="个",
        quantity=Decimal(10),
        recorded_by=world.user("worker"),
    )
    client.force_login(world.user("worker"))
    response = client.post(
        reverse("admin:dispatch_supplyentry_add"),
        {
            "center": world.center_a.pk,
            "direction": "distributed",
            "item": "口罩",
            "unit": "个",
            "quantity": "11",
        },
    )
    assert response.status_code == 200 and "10" in response.content.decode()
    assert SupplyEntry.objects.count() == 1


def test_residents_are_kept_out_of_the_dispatch_admin(world, client):
    client.force_login(world.user("resident"))
    response = client.get(reverse("admin:dispatch_servicerequest_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_history_in_the_admin_is_read_only(world, client):
    request = make_request(world.center_a)
    client.force_login(world.user("manager"))
    page = client.get(reverse("admin:dispatch_servicerequest_change", args=[request.pk])).content.decode()
    assert "history-0-to_status" not in page  # shown, not editable
    assert request.number in page


def test_emergency_calls_are_read_in_the_admin_within_scope(world, client):
    from .factories import VolunteerFactory

    VolunteerFactory(center=world.center_a)
    call = services.start_mobilisation(
        center=world.center_a,
        title="防疫值守",
        message="卡口",
        created_by=world.user("worker"),
        needed=2,
        answer_within_minutes=30,
    )
    client.force_login(world.user("worker"))
    assert client.get(reverse("admin:dispatch_mobilisation_change", args=[call.pk])).status_code == 200
    client.force_login(world.user("worker"))
    assert client.get(reverse("admin:dispatch_mobilisation_add")).status_code == 403

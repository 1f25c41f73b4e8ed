from decimal import Decimal

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone

from volunteers import services
from volunteers.models import HourRecord, LedgerEntry, Membership, PointAccount, Redemption, ShopItem

from .factories import ShopItemFactory, TeamFactory, make_volunteer, social_worker


def _pending_record(team, volunteer, hours="2"):
    return services.record_hours(
        volunteer=volunteer, team=team, served_on=timezone.localdate(), hours=Decimal(hours), by=team.leader
    )


def test_a_leader_sees_only_their_centers_hour_records(world, client):
    own = TeamFactory(center=world.center_a, leader=world.user("worker"))
    other = TeamFactory(center=world.center_b)
    _pending_record(own, make_volunteer(team=own, user=None))
    _pending_record(other, make_volunteer(team=other))
    client.force_login(world.user("worker"))
    page = client.get(reverse("admin:volunteers_hourrecord_changelist"))
    assert page.status_code == 200
    assert page.context["cl"].result_count == 1


def test_the_verify_action_credits_points_through_the_service(world, client):
    team = TeamFactory(center=world.center_a, leader=world.user("worker"))
    volunteer = make_volunteer(team=team)
    record = _pending_record(team, volunteer, hours="3")
    client.force_login(world.user("worker"))
    client.post(
        reverse("admin:volunteers_hourrecord_changelist"),
        {"action": "verify", ACTION_CHECKBOX_NAME: [record.pk], "note": ""},
    )
    record.refresh_from_db()
    assert record.status == HourRecord.Status.VERIFIED and record.reviewed_by == world.user("worker")
    assert PointAccount.objects.get(volunteer=volunteer).balance == 30


def test_disputing_in_the_admin_needs_a_reason(world, client):
    team = TeamFactory(center=world.center_a, leader=world.user("worker"))
    record = _pending_record(team, make_volunteer(team=team))
    client.force_login(world.user("worker"))
    url = reverse("admin:volunteers_hourrecord_changelist")
    client.post(url, {"action": "dispute", ACTION_CHECKBOX_NAME: [record.pk], "note": ""})
    assert HourRecord.objects.get(pk=record.pk).status == HourRecord.Status.PENDING
    client.post(url, {"action": "dispute", ACTION_CHECKBOX_NAME: [record.pk], "note": "当天未到岗"})
    record.refresh_from_db()
    assert record.status == HourRecord.Status.DISPUTED and record.review_note == "当天未到岗"


def test_a_leader_cannot_verify_another_centers_record_by_posting_its_id(world, client):
    other = TeamFactory(center=world.center_b)
    record = _pending_record(other, make_volunteer(team=other))
    client.force_login(world.user("worker"))
    client.post(
        reverse("admin:volunteers_hourrecord_changelist"),
        {"action": "verify", ACTION_CHECKBOX_NAME: [record.pk]},
    )
    assert HourRecord.objects.get(pk=record.pk).status == HourRecord.Status.PENDING


def test_a_leader_records_hours_in_the_admin_for_a_team_member(world, client):
    team = TeamFactory(center=world.center_a, leader=world.user("worker"))
    volunteer = make_volunteer(team=team, center=world.center_b)  # registered elsewhere, serving here
    client.force_login(world.user("worker"))
    response = client.post(
        reverse("admin:volunteers_hourrecord_add"),
        {"volunteer": volunteer.pk, "team": team.pk, "served_on": timezone.localdate().isoformat(), "hours": "2.5",
         "category": "elderly", "description": "月月助老"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    record = HourRecord.objects.get(volunteer=volunteer)
    assert record.source == HourRecord.Source.LEADER and record.recorded_by == world.user("worker")
    assert record.status == HourRecord.Status.PENDING


def test_approving_membership_requests_in_the_admin(world, client):
    team = TeamFactory(center=world.center_a, leader=world.user("worker"))
    membership = services.request_membership(volunteer=make_volunteer(), team=team)
    client.force_login(world.user("worker"))
    client.post(
        reverse("admin:volunteers_membership_changelist"),
        {"action": "approve", ACTION_CHECKBOX_NAME: [membership.pk]},
    )
    assert Membership.objects.get(pk=membership.pk).status == Membership.Status.APPROVED


def test_the_ledger_is_read_only_in_the_admin(world, client):
    volunteer = make_volunteer(center=world.center_a, points=50)
    entry = LedgerEntry.objects.get(account__volunteer=volunteer)
    client.force_login(world.user("manager"))
    page = client.get(reverse("admin:volunteers_ledgerentry_change", args=[entry.pk]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert (
        client.post(
            reverse("admin:volunteers_ledgerentry_delete", args=[entry.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert LedgerEntry.objects.filter(pk=entry.pk).exists()


def test_a_manager_adjusts_points_with_a_reason(world, client):
    volunteer = make_volunteer(center=world.center_a, points=50)
    client.force_login(world.user("manager"))
    url = reverse("admin:volunteers_ledgerentry_add")
    page = client.post(url, {"account": volunteer.point_account.pk, "amount": "-80", "reason": "纠错"})
    assert (
        page.status_code == 200 and "50" in page.content.decode()
    )  # refused: the balance would go below zero
    response = client.post(
        url, {"account": volunteer.point_account.pk, "amount": "20", "reason": "补录三月活动"}
    )
    assert response.status_code == 302
    entry = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.ADJUST).latest("pk")
    assert entry.reason == "补录三月活动" and entry.created_by == world.user("manager")
    assert PointAccount.objects.get(volunteer=volunteer).balance == 70


def test_a_social_worker_cannot_adjust_points(world, client):
    client.force_login(world.user("worker"))
    assert client.get(reverse("admin:volunteers_ledgerentry_add")).status_code == 403


def test_only_district_administrators_edit_the_points_rules(world, client):
    client.force_login(world.user("worker"))
    assert client.get(reverse("admin:volunteers_pointrule_changelist")).status_code == 403
    client.force_login(world.user("district"))
    page = client.get(reverse("admin:volunteers_pointrule_add"))
    assert page.status_code == 200 and "weights" in page.content.decode()


def test_the_shop_keeper_fulfils_and_cancels_in_the_admin(world, client):
    item = ShopItemFactory(shop__center=world.center_a, point_price=10, stock=5)
    volunteer = make_volunteer(points=100)
    first = services.redeem_item(volunteer=volunteer, item=item, notify=False)
    second = services.redeem_item(volunteer=volunteer, item=item, notify=False)
    client.force_login(world.user("worker"))
    url = reverse("admin:volunteers_redemption_changelist")
    client.post(url, {"action": "fulfil", ACTION_CHECKBOX_NAME: [first.pk]})
    client.post(url, {"action": "cancel", ACTION_CHECKBOX_NAME: [second.pk]})
    assert Redemption.objects.get(pk=first.pk).status == Redemption.Status.FULFILLED
    assert Redemption.objects.get(pk=second.pk).status == Redemption.Status.CANCELLED
    assert ShopItem.objects.get(pk=item.pk).stock == 4
    assert PointAccount.objects.get(volunteer=volunteer).balance == 90


def test_restocking_in_the_admin_adds_to_the_stock(world, client):
    item = ShopItemFactory(shop__center=world.center_a, stock=3)
    client.force_login(world.user("worker"))
    url = reverse("admin:volunteers_shopitem_change", args=[item.pk])
    data = {"shop": item.shop_id, "counter": "points", "name": item.name, "description": "", "unit": "件",
            "point_price": "50", "cash_price": "", "donor": "爱心企业", "available_until": "", "is_active": "on",
            "add_stock": "7"}  # fmt: skip
    assert client.post(url, data).status_code == 302
    item.refresh_from_db()
    assert item.stock == 10 and item.donor == "爱心企业"


def test_a_team_leader_must_be_a_social_worker_of_the_center(world, client):
    client.force_login(world.user("manager"))
    response = client.post(
        reverse("admin:volunteers_team_add"),
        {"center": world.center_a.pk, "name": "湖小师", "leader": social_worker(world.center_b).pk, "is_open": "on",
         "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"},
    )  # fmt: skip
    assert response.status_code == 200  # the other center's worker is not even a choice


def test_admin_changelists_keep_a_flat_query_count(world, client):
    from tests.query_budget import assert_flat_queries

    team = TeamFactory(center=world.center_a, leader=world.user("worker"))
    client.force_login(world.user("worker"))

    def add(n):
        for _ in range(n):
            _pending_record(team, make_volunteer(team=team))

    assert_flat_queries(client, reverse("admin:volunteers_hourrecord_changelist"), add, large=15)

import datetime as dt

import pytest
from django.http import Http404
from django.utils import timezone

from care import selectors
from care.models import Referral, Visit
from core.models import Role
from core.services import grant_role
from tests.factories import CenterFactory, UserFactory

from .factories import ConsentFactory, RecipientFactory, ReferralFactory, VisitFactory

TODAY = timezone.localdate


def test_social_workers_and_managers_see_only_their_centers_recipients(world):
    own = RecipientFactory(center=world.center_a)
    RecipientFactory(center=world.center_b)
    for role in ("worker", "manager"):
        assert list(selectors.visible_recipients(world.user(role))) == [own]


def test_street_staff_the_district_and_residents_see_no_recipient_rows(world):
    RecipientFactory(center=world.center_a)
    for role in ("street", "district", "resident", "volunteer"):
        assert not selectors.visible_recipients(world.user(role)).exists()
    assert selectors.visible_recipients(world.user("admin")).count() == 1


def test_get_recipient_answers_404_outside_ones_centers(world):
    other = RecipientFactory(center=world.center_b)
    with pytest.raises(Http404):
        selectors.get_recipient(world.user("worker"), other.pk)
    with pytest.raises(Http404):
        selectors.get_recipient(world.user("district"), other.pk)


def test_center_figures_count_only_what_the_street_oversees(world):
    sibling = CenterFactory(community__street=world.center_a.street)
    a = RecipientFactory(center=world.center_a, risk_tier="high", lives_alone=True)
    RecipientFactory(center=sibling, risk_tier="low")
    RecipientFactory(center=world.center_b)
    VisitFactory(recipient=a, visited_on=TODAY(), kind=Visit.Kind.CRISIS, crisis=True)
    ReferralFactory(recipient=a, referred_on=TODAY())
    rows = {row.center: row for row in selectors.overview_for(world.user("street"))}
    assert set(rows) == {world.center_a, sibling}
    assert (rows[world.center_a].high, rows[world.center_a].lives_alone) == (1, 1)
    assert (rows[world.center_a].visits, rows[world.center_a].crisis) == (1, 1)
    assert (rows[world.center_a].referrals_made, rows[world.center_a].referrals_open) == (1, 1)
    assert rows[sibling].low == 1


def test_center_figures_separate_due_soon_from_overdue(world):
    for days in (-2, 3, 20):
        recipient = RecipientFactory(center=world.center_a)
        recipient.next_visit_due = TODAY() + dt.timedelta(days=days)
        recipient.save()
    (row,) = selectors.overview_for(world.user("worker"))
    assert (row.overdue, row.due_soon, row.active) == (1, 1, 3)


def test_center_figures_take_three_queries_whatever_the_number_of_centers(world, django_assert_num_queries):
    from core.models import Center

    for _ in range(5):
        RecipientFactory(center=CenterFactory())
    with django_assert_num_queries(4):  # the centers, then three grouped counts
        selectors.center_figures(centers=Center.objects.all(), start=TODAY(), end=TODAY())


def test_exports_hold_only_the_managers_own_centers(world):
    own = RecipientFactory(center=world.center_a)
    RecipientFactory(center=world.center_b)
    assert list(selectors.recipients_for_export(world.user("manager"))) == [own]
    assert not selectors.can_export(world.user("worker"))
    assert not selectors.can_export(world.user("street"))
    assert selectors.can_export(world.user("admin"))


def test_only_the_workers_of_ones_own_centers_can_be_assigned(world):
    stranger = UserFactory()
    grant_role(user=stranger, role=Role.SOCIAL_WORKER, center=world.center_b)
    assignable = set(selectors.social_workers_for(world.user("manager")))
    assert assignable == {world.user("worker"), world.user("manager")}


def test_the_timeline_lists_visits_referrals_and_consent_newest_first(world):
    recipient = RecipientFactory(center=world.center_a)
    ConsentFactory(recipient=recipient, given_on=TODAY() - dt.timedelta(days=30))
    VisitFactory(recipient=recipient, visited_on=TODAY() - dt.timedelta(days=10))
    ReferralFactory(
        recipient=recipient,
        referred_on=TODAY() - dt.timedelta(days=5),
        resource=Referral.Resource.HOUSING_SUBSIDY,
    )
    items = selectors.recipient_timeline(recipient)
    assert [item.when for item in items] == sorted((item.when for item in items), reverse=True)
    assert len(items) == 3


def test_consent_state_is_annotated_for_lists(world):
    with_sensitive = RecipientFactory(center=world.center_a)
    ConsentFactory(recipient=with_sensitive)
    without = RecipientFactory(center=world.center_a)
    rows = {r.pk: r for r in selectors.with_consent_state(selectors.visible_recipients(world.user("worker")))}
    assert rows[with_sensitive.pk].consent_scope == "sensitive" and rows[without.pk].consent_scope is None

import datetime as dt

import pytest
from django.utils import timezone

from centers import selectors, services
from centers.models import Activity, CenterNotice
from tests.factories import CenterFactory, UserFactory

from .factories import ActivityFactory

pytestmark = pytest.mark.django_db


def test_waitlist_positions_follow_the_order_of_sign_up():
    activity = ActivityFactory(capacity=1)
    people = [UserFactory() for _ in range(4)]
    for person in people:
        services.sign_up(activity=activity, resident=person)
    positions = [selectors.list_my_signups(user=p).get().waitlist_position for p in people[1:]]
    assert positions == [1, 2, 3]
    services.cancel_signup(signup=selectors.list_my_signups(user=people[2]).get(), by=people[2])
    assert selectors.list_my_signups(user=people[3]).get().waitlist_position == 2


def test_my_sign_ups_leave_out_cancelled_and_long_past_ones():
    resident = UserFactory()
    kept = services.sign_up(activity=ActivityFactory(title="下周"), resident=resident)
    dropped = services.sign_up(activity=ActivityFactory(), resident=resident)
    services.cancel_signup(signup=dropped, by=resident)
    old = ActivityFactory()
    services.sign_up(activity=old, resident=resident)
    Activity.objects.filter(pk=old.pk).update(
        starts_at=timezone.now() - dt.timedelta(days=60),
        ends_at=timezone.now() - dt.timedelta(days=60, hours=-1),
    )
    assert [s.pk for s in selectors.list_my_signups(user=resident)] == [kept.pk]


def test_upcoming_activities_exclude_drafts_past_and_inactive_centers():
    center = CenterFactory()
    shown = ActivityFactory(center=center)
    ActivityFactory(center=center, status=Activity.Status.DRAFT)
    ActivityFactory(center=center, starts_at=timezone.now() - dt.timedelta(days=1))
    ActivityFactory(center=CenterFactory(is_active=False))
    assert list(selectors.list_upcoming_activities()) == [shown]


def test_expired_and_unpublished_notices_are_hidden():
    center = CenterFactory()
    CenterNotice.objects.create(center=center, title="有效", body=".")
    CenterNotice.objects.create(
        center=center, title="过期", body=".", expires_at=timezone.now() - dt.timedelta(days=1)
    )
    CenterNotice.objects.create(center=center, title="草稿", body=".", is_published=False)
    assert [n.title for n in selectors.list_center_notices(center=center)] == ["有效"]


def test_the_center_list_counts_upcoming_activities():
    center = CenterFactory()
    ActivityFactory.create_batch(3, center=center)
    ActivityFactory(center=center, starts_at=timezone.now() - dt.timedelta(days=3))
    assert selectors.list_centers().get(pk=center.pk).upcoming_count == 3

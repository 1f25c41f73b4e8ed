from datetime import timedelta

from django.utils import timezone

from volunteers import selectors, services
from volunteers.models import Counter

from .factories import DutyFactory, ShopItemFactory, TeamFactory, make_volunteer, verified_record


def test_open_duties_leave_out_past_closed_and_cancelled_ones(db):
    upcoming = DutyFactory()
    DutyFactory(starts_at=timezone.now() - timedelta(days=2), ends_at=timezone.now() - timedelta(days=1))
    DutyFactory(status="closed")
    DutyFactory(status="cancelled")
    assert list(selectors.open_duties()) == [upcoming]


def test_open_duties_count_the_places_taken(db):
    duty = DutyFactory()
    first = make_volunteer(team=duty.team)
    services.sign_up_for_duty(duty=duty, volunteer=first)
    cancelled = services.sign_up_for_duty(duty=duty, volunteer=make_volunteer(team=duty.team))
    services.cancel_duty_signup(signup=cancelled)
    assert selectors.open_duties().get().taken == 1


def test_teams_count_only_approved_members(db):
    team = TeamFactory()
    make_volunteer(team=team)
    services.request_membership(volunteer=make_volunteer(), team=team)
    assert selectors.list_teams().get(pk=team.pk).member_count == 1


def test_the_summary_shows_verified_hours_and_a_balance_equal_to_the_ledger(db):
    team = TeamFactory()
    volunteer = make_volunteer(team=team)
    verified_record(volunteer=volunteer, team=team, hours="2.5")
    services.report_hours(
        volunteer=volunteer,
        team=team,
        served_on=timezone.localdate(),
        hours=2,
        description="x",
        category="other",
    )
    services.redeem_item(volunteer=volunteer, item=ShopItemFactory(point_price=5), notify=False)
    summary = selectors.summarize(volunteer=selectors.get_volunteer(volunteer.user))
    assert summary.verified_hours == 2.5 and summary.verified_count == 1 and summary.pending_count == 1
    assert summary.balance == selectors.ledger_total(volunteer=volunteer) == 20


def test_the_shop_shelves_come_by_counter_in_order(db):
    item = ShopItemFactory(counter=Counter.DONATED)
    ShopItemFactory(shop=item.shop, counter=Counter.DONATED, is_active=False)
    counters = selectors.counters_of(selectors.get_shop(item.shop_id))
    assert [code for code, _label, _items in counters] == ["daily", "group", "donated", "points"]
    assert dict((code, items) for code, _l, items in counters)["donated"] == [item]


def test_honours_of_my_teams_are_mine_too(db):
    team = TeamFactory()
    volunteer = make_volunteer(team=team)
    honour = services.award_honour(
        center=team.center, title="白鱼潭最美志愿者", team=team, awarded_on=timezone.localdate()
    )
    assert list(selectors.my_honours(volunteer=volunteer)) == [honour]

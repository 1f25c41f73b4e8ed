import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import timezone

from core.models import Role
from core.services import grant_role
from dispatch import selectors, services
from dispatch.models import Status
from dispatch.throttle import client_ip
from tests.factories import CenterFactory, UserFactory

from .factories import (
    CollectionSiteFactory,
    ServiceVehicleFactory,
    SkillFactory,
    TeamFactory,
    VolunteerFactory,
    join,
    make_request,
    request_in_state,
)


def test_desk_list_is_scoped_to_the_staff_members_centers(world):
    mine = make_request(world.center_a)
    theirs = make_request(world.center_b)
    assert list(selectors.list_desk_requests(user=world.user("worker"))) == [mine]
    assert list(selectors.list_desk_requests(user=world.user("street"))) == [mine]
    assert set(selectors.list_desk_requests(user=world.user("district"))) == {mine, theirs}
    assert not selectors.list_desk_requests(user=world.user("resident")).exists()


def test_a_resident_lists_only_their_own_requests(db):
    resident = UserFactory()
    own = make_request(requester=resident)
    make_request(requester=UserFactory())
    assert list(selectors.list_my_requests(user=resident)) == [own]


def test_description_is_for_the_requester_and_staff_in_scope(world):
    request = make_request(world.center_a, requester=world.user("resident"))
    assert selectors.may_see_details(user=world.user("resident"), request=request)
    assert selectors.may_see_details(user=world.user("worker"), request=request)
    assert not selectors.may_see_details(user=world.user("volunteer"), request=request)
    assert not selectors.may_see_details(user=AnonymousUser(), request=request)


def test_anonymous_requests_are_rated_through_their_link_and_account_requests_by_the_account(db):
    anonymous = make_request()
    owned = make_request(requester=UserFactory())
    assert selectors.may_rate_online(user=AnonymousUser(), request=anonymous)
    assert not selectors.may_rate_online(user=AnonymousUser(), request=owned)
    assert selectors.may_rate_online(user=owned.requester, request=owned)


def _worker_of(center):
    worker = UserFactory()
    grant_role(user=worker, role=Role.SOCIAL_WORKER, center=center)
    return worker


def test_volunteer_candidates_rank_community_and_skill_first_and_skip_the_inactive(db):
    center = CenterFactory()
    request = make_request(center, category="repairs")
    fixer_skill = SkillFactory(name="家电维修")
    best = VolunteerFactory(
        center=center, skills=[fixer_skill, SkillFactory(name="电工"), SkillFactory(name="书法")]
    )
    plain = VolunteerFactory(center=center)
    VolunteerFactory(center=center, skills=[fixer_skill], is_active=False)
    VolunteerFactory()  # another street altogether
    matches = selectors.assign_candidates(user=UserFactory(is_superuser=True), request=request)["volunteers"]
    assert [m.volunteer for m in matches] == [best, plain]
    assert matches[0].serves_community and matches[0].skill_names == ["家电维修", "电工"]
    assert "家电维修" in matches[0].reason and matches[1].skill_names == []


def test_a_category_without_fitting_skills_still_ranks_volunteers(db):
    center = CenterFactory()
    volunteer = VolunteerFactory(center=center, skills=[SkillFactory(name="家电维修")])
    matches = selectors.assign_candidates(
        user=_worker_of(center), request=make_request(center, category="other")
    )
    assert [m.volunteer for m in matches["volunteers"]] == [volunteer]
    assert matches["volunteers"][0].skill_names == []


def test_busy_volunteers_come_after_free_ones(db):
    center = CenterFactory()
    busy, free = VolunteerFactory(center=center), VolunteerFactory(center=center)
    services.assign_request(request=make_request(center), by=UserFactory(), volunteer=busy)
    matches = selectors.assign_candidates(user=_worker_of(center), request=make_request(center))["volunteers"]
    assert [m.volunteer for m in matches] == [free, busy]
    assert matches[1].open_tasks == 1


def test_team_candidates_prefer_teams_with_the_skill(db):
    center = CenterFactory()
    plain_team = TeamFactory(center=center, name="A队")
    skilled_team = TeamFactory(center=center, name="B队")
    join(VolunteerFactory(center=center, skills=[SkillFactory(name="矛盾调解")]), skilled_team)
    request = make_request(center, category="mediation")
    teams = selectors.assign_candidates(user=_worker_of(center), request=request)["teams"]
    assert teams[:2] == [skilled_team, plain_team]


def test_sites_covering_the_community_come_first_among_those_the_user_may_assign(db):
    center = CenterFactory()
    other = CollectionSiteFactory(center=center, name="A站", communities=[])
    covering = CollectionSiteFactory(center=CenterFactory(), name="Z站", communities=[center.community])
    CollectionSiteFactory(center=center, name="B站", is_active=False)
    request = make_request(center)
    district = UserFactory()
    grant_role(user=district, role=Role.DISTRICT_ADMIN)
    found = selectors.assign_candidates(user=district, request=request)
    assert found["sites"] == [covering, other] and found["sites"][0].covers
    # A worker of the center may assign only its own site: the other center's is not offered.
    assert selectors.assign_candidates(user=_worker_of(center), request=request)["sites"] == [other]
    vehicle = ServiceVehicleFactory(center=center)
    assert selectors.assign_candidates(user=district, request=request)["vehicles"] == [vehicle]


def test_a_search_by_name_finds_candidates_beyond_the_suggestions(db):
    center = CenterFactory()
    district = UserFactory()
    grant_role(user=district, role=Role.DISTRICT_ADMIN)
    far = VolunteerFactory(user=UserFactory(real_name="远方的王师傅"))  # another street: not suggested
    near = VolunteerFactory(center=center)
    team = TeamFactory(name="王师傅维修队")
    request = make_request(center)
    assert [
        m.volunteer for m in selectors.assign_candidates(user=district, request=request)["volunteers"]
    ] == [near]
    found = selectors.assign_candidates(user=district, request=request, q="王师傅")
    assert [m.volunteer for m in found["volunteers"]] == [far]
    assert found["teams"] == [team] and found["sites"] == [] and found["vehicles"] == []


def test_waiting_too_long_lists_only_new_requests_older_than_the_cut(db):
    old = make_request()
    request_in_state(Status.ASSIGNED)
    cut = timezone.now() + dt.timedelta(seconds=1)
    assert list(selectors.waiting_too_long(since=cut)) == [old]
    assert not selectors.waiting_too_long(since=timezone.now() - dt.timedelta(hours=1)).exists()


def test_supply_stock_per_center_and_item(world):
    worker = world.user("worker")
    for direction, quantity in [("received", "100"), ("received", "20.5"), ("distributed", "30")]:
        services.record_supplies(
            center=world.center_a,
            direction=direction,
            item="口罩",
            unit="个",
            quantity=Decimal(quantity),
            recorded_by=worker,
        )
    assert selectors.supply_stock(center=world.center_a, item="口罩", unit="个") == Decimal("90.5")
    rows = selectors.list_supply_stock(user=worker)
    assert rows == [
        {
            "center__name": world.center_a.name,
            "item": "口罩",
            "unit": "个",
            "received": Decimal("120.5"),
            "distributed": Decimal("30"),
            "left": Decimal("90.5"),
        }
    ]
    assert (
        selectors.list_supply_stock(user=world.user("worker"))
        and not selectors.list_supply_entries(user=world.user("resident")).exists()
    )


# ------------------------------------------------------------------ client address for rate limits
@pytest.mark.parametrize(
    ("proxies", "header", "expected"),
    [
        (0, "1.2.3.4", "10.0.0.1"),  # nobody to trust: the header is ignored
        (0, "", "10.0.0.1"),
        (1, "6.6.6.6, 1.2.3.4", "1.2.3.4"),  # one proxy: the address it appended
        (2, "6.6.6.6, 1.2.3.4, 172.16.0.2", "1.2.3.4"),
        (2, "1.2.3.4", "10.0.0.1"),  # fewer entries than proxies: not from our proxies
        (1, "6.6.6.6, not-an-ip", "10.0.0.1"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_ip_trusts_only_the_configured_proxies(settings, proxies, header, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=header)
    assert client_ip(request) == expected


def test_my_tasks_are_those_given_to_me_and_to_the_teams_i_lead_and_no_other(world):
    """The tasks are found on the assignment's own columns (a volunteer id, the ids of the teams
    the user leads), so PostgreSQL reads them through the indexes, never the whole table."""
    from django.db import connection

    user = world.user("volunteer")
    mine = VolunteerFactory(user=user, center=world.center_a)
    led = TeamFactory(center=world.center_a, leader=user)
    other_volunteer, other_team = VolunteerFactory(center=world.center_a), TeamFactory(center=world.center_a)
    worker = world.user("worker")
    to_me = services.assign_request(request=make_request(world.center_a), by=worker, volunteer=mine)
    to_my_team = services.assign_request(request=make_request(world.center_a), by=worker, team=led)
    services.assign_request(request=make_request(world.center_a), by=worker, volunteer=other_volunteer)
    services.assign_request(request=make_request(world.center_a), by=worker, team=other_team)

    tasks = selectors.list_my_tasks(user=user)
    assert set(tasks) == {to_me, to_my_team}
    assert set(selectors.list_my_tasks(user=UserFactory())) == set()
    if connection.vendor == "postgresql":
        sql = str(tasks.query)
        assert "UNION" not in sql and sql.count("= ANY(ARRAY(") == 2


def test_the_assign_page_candidates_come_in_one_query_a_kind_however_many_there_are(
    db, django_assert_num_queries
):
    center = CenterFactory()
    for n in range(8):
        CollectionSiteFactory(center=center, name=f"近{n}站", communities=[])
        CollectionSiteFactory(center=CenterFactory(), name=f"覆{n}站", communities=[center.community])
        ServiceVehicleFactory(center=center)
        VolunteerFactory(center=center, skills=[SkillFactory(name=f"调解{n}")])
    request = make_request(center, category="mediation")
    user = UserFactory(is_superuser=True)
    # volunteers (with their fitting skills' names), teams, sites, vehicles
    with django_assert_num_queries(4):
        found = selectors.assign_candidates(user=user, request=request)
    assert [s.name for s in found["sites"]] == [f"覆{n}站" for n in range(6)]
    assert len(found["vehicles"]) == 6 and len(found["volunteers"]) == 6
    assert all(len(m.skill_names) == 1 for m in found["volunteers"])

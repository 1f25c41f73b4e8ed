import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from orgs import selectors, services
from orgs.models import Metric, Organization, Period, ServiceContract, Stage
from orgs.selectors import ModelFeed, period_bounds, targets_against_actuals
from tests.factories import CenterFactory

from .factories import contract_for, filed_org, registered_org

pytestmark = pytest.mark.django_db


def _activity(center, when, status="published"):
    Activity = apps.get_model("centers", "Activity")
    return Activity.objects.create(
        center=center,
        title="环保小课堂",
        category="environment",
        starts_at=when,
        ends_at=when + datetime.timedelta(hours=1),
        capacity=20,
        status=status,
    )


def _today_at(minutes: int) -> datetime.datetime:
    midnight = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time.min))
    return midnight + datetime.timedelta(minutes=minutes)


# ------------------------------------------------------------------ periods
@pytest.mark.parametrize(
    ("period", "day", "bounds"),
    [
        (Period.MONTH, datetime.date(2024, 2, 10), (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))),
        (Period.QUARTER, datetime.date(2025, 5, 31), (datetime.date(2025, 4, 1), datetime.date(2025, 6, 30))),
        (
            Period.QUARTER,
            datetime.date(2025, 12, 1),
            (datetime.date(2025, 10, 1), datetime.date(2025, 12, 31)),
        ),
        (Period.YEAR, datetime.date(2025, 7, 1), (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))),
    ],
)
def test_period_bounds(period, day, bounds):
    assert period_bounds(period, day) == bounds


# ------------------------------------------------------------------ targets against actuals
def test_activities_held_at_the_contracts_centers_count_against_the_monthly_target():
    contract = contract_for(targets=[(Metric.ACTIVITIES, Period.MONTH, 8)])
    center = contract.centers.get()
    for i in range(3):
        _activity(center, _today_at(i + 1))
    _activity(center, _today_at(5), status="cancelled")
    _activity(center, _today_at(6), status="draft")
    _activity(CenterFactory(), _today_at(7))  # another center
    (row,) = selectors.contract_performance(contract)
    assert (row.minimum, row.actual, row.shortfall, row.met) == (Decimal(8), Decimal(3), Decimal(5), False)
    assert row.running
    assert (row.first_day, row.last_day) == period_bounds(Period.MONTH, timezone.localdate())


def test_work_scheduled_later_in_the_period_is_not_counted_yet():
    contract = contract_for(targets=[(Metric.ACTIVITIES, Period.YEAR, 1)])
    _activity(contract.centers.get(), timezone.now() + datetime.timedelta(days=1, hours=1))
    (row,) = selectors.contract_performance(contract)
    assert row.actual == 0


def test_a_met_target_has_no_shortfall():
    contract = contract_for(targets=[(Metric.ACTIVITIES, Period.MONTH, 2)])
    for i in range(3):
        _activity(contract.centers.get(), _today_at(i + 1))
    (row,) = selectors.contract_performance(contract)
    assert (row.actual, row.shortfall, row.met, row.percent) == (Decimal(3), Decimal(0), True, 100)


def test_a_metric_nothing_records_yet_reads_as_not_recorded_rather_than_zero():
    contract = contract_for(targets=[(Metric.HOME_VISITS, Period.MONTH, 30)])
    feeds = {Metric.HOME_VISITS: ModelFeed("nosuchapp.Visit", center=("center",), day=("day",))}
    (row,) = selectors.contract_performance(contract, feeds=feeds)
    assert (row.actual, row.shortfall, row.met, row.measured) == (None, None, None, False)


def test_a_feed_whose_fields_do_not_exist_is_unavailable():
    feed = ModelFeed("centers.Activity", center=("nowhere",), day=("starts_at",))
    assert feed.resolve() is None
    assert feed([1], datetime.date(2025, 1, 1), datetime.date(2025, 1, 31)) is None


def test_the_reports_app_can_feed_its_own_actuals():
    contract = contract_for(targets=[(Metric.HOME_VISITS, Period.MONTH, 30)])
    center = contract.centers.get()
    seen = []

    def visits(center_ids, first, last):
        seen.append((set(center_ids), first, last))
        return {center.pk: Decimal(26)}

    (row,) = selectors.contract_performance(contract, feeds={Metric.HOME_VISITS: visits})
    assert (row.actual, row.shortfall) == (Decimal(26), Decimal(4))
    assert seen[0][0] == {center.pk}


def test_a_quarterly_target_sums_the_quarter_and_clips_to_the_contract_term():
    today = timezone.localdate()
    first, last = period_bounds(Period.QUARTER, today)
    contract = contract_for(
        starts_on=first + datetime.timedelta(days=10),
        ends_on=last,
        targets=[(Metric.VOLUNTEER_HOURS, Period.QUARTER, 200)],
    )
    calls = []
    results = selectors.contract_performance(
        contract, on=last, feeds={Metric.VOLUNTEER_HOURS: lambda ids, a, b: calls.append((a, b)) or {}}
    )
    assert results[0].first_day == first + datetime.timedelta(days=10)
    assert calls[0][0] == first + datetime.timedelta(days=10)
    assert results[0].actual == 0


def test_a_contract_not_in_force_in_the_period_reports_nothing_for_it():
    contract = contract_for(starts_on=datetime.date(2020, 1, 1), ends_on=datetime.date(2020, 12, 31))
    assert selectors.contract_performance(contract, on=datetime.date(2022, 5, 1)) == []


def test_the_report_for_a_district_costs_one_query_per_metric_whatever_the_number_of_contracts():
    targets = [(Metric.ACTIVITIES, Period.MONTH, 8), (Metric.PARTICIPANTS, Period.MONTH, 50)]
    contracts = [contract_for(targets=targets) for _ in range(12)]
    for contract in contracts[:4]:
        _activity(contract.centers.get(), _today_at(3))
    with CaptureQueriesContext(connection) as few:
        targets_against_actuals(
            contracts=ServiceContract.objects.filter(pk__in=[c.pk for c in contracts[:2]])
        )
    with CaptureQueriesContext(connection) as many:
        results = targets_against_actuals(
            contracts=ServiceContract.objects.filter(pk__in=[c.pk for c in contracts])
        )
    assert len(few.captured_queries) == len(many.captured_queries)
    assert (
        sum(r.actual for rows in results.values() for r in rows if r.target.metric == Metric.ACTIVITIES) == 4
    )


# ------------------------------------------------------------------ operators
def test_a_centers_operator_is_the_organization_holding_its_active_contract():
    contract = contract_for()
    center = contract.centers.get()
    assert selectors.get_operator(center) == contract.operator
    year = timezone.localdate().year
    assert selectors.get_operator(center, on=datetime.date(year + 1, 1, 1)) is None
    assert selectors.operators_by_center([center.pk, CenterFactory().pk]) == {center.pk: contract.operator}


# ------------------------------------------------------------------ who sees what
def test_street_staff_see_their_streets_organizations_and_the_operators_of_its_centers(world):
    own_street = world.center_a.street
    filed_here = filed_org(street=own_street)
    operator_from_elsewhere = registered_org()
    contract_for(center=world.center_a, operator=operator_from_elsewhere)
    elsewhere = filed_org(street=world.center_b.street)
    seen = set(selectors.scope_organizations(world.user("street")))
    assert {filed_here, operator_from_elsewhere} <= seen
    assert elsewhere not in seen
    # They keep the registry of their street only.
    changeable = set(selectors.scope_organizations(world.user("street"), "change"))
    assert filed_here in changeable
    assert operator_from_elsewhere not in changeable


def test_social_workers_and_managers_see_only_their_centers_operators(world):
    operator = registered_org(street=world.center_a.street)
    contract_for(center=world.center_a, operator=operator)
    neighbour = filed_org(street=world.center_a.street)
    other_operator = contract_for(center=world.center_b).operator
    for role in ("worker", "manager"):
        seen = set(selectors.scope_organizations(world.user(role)))
        assert seen == {operator}, role
        assert neighbour not in seen and other_operator not in seen


def test_the_district_sees_every_organization_and_residents_none(world):
    orgs = {filed_org(street=world.center_a.street), registered_org()}
    assert orgs <= set(selectors.scope_organizations(world.user("district")))
    assert not selectors.scope_organizations(world.user("resident")).exists()


def test_a_contract_with_two_centers_of_one_street_is_listed_once(world):
    center_2 = CenterFactory(community__street=world.center_a.street)
    contract = services.create_contract(
        number="HT-TWO",
        title="两中心",
        buyer_street=world.center_a.street,
        operator=registered_org(),
        centers=[world.center_a, center_2],
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2025, 12, 31),
        amount=Decimal(1),
    )
    assert list(selectors.list_contracts(world.user("street"))) == [contract]


def test_organizations_are_counted_by_status_and_stage():
    org = filed_org()
    registered_org()
    services.move_stage(organization=org, to_stage=Stage.SUPPORT, actor=None, reason="支持")
    counts = {(c["status"], c["stage"]): c["count"] for c in selectors.count_organizations()}
    assert counts == {
        (Organization.Status.FILED, Stage.SUPPORT): 1,
        (Organization.Status.REGISTERED, Stage.INTRODUCE): 1,
    }
    assert selectors.count_organizations(street_ids=[org.street_id]) == [
        {"status": "filed", "stage": "support", "count": 1}
    ]

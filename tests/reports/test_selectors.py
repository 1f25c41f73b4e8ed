"""The report's figures on a small hand-counted data set (tests/reports/factories.py)."""

import datetime as dt

import pytest
from django.db import connection

from reports import selectors
from reports.aggregation import median_hours
from reports.periods import Period, Scope
from reports.sections import SectionSpec, run_section

from .factories import EXPECTED, PERIOD, build_dataset
from .helpers import compute, row_of, subset


@pytest.fixture
def data(world):
    return build_dataset(world)


def test_activities_per_center_with_unique_residents_counted_once_in_the_street_total(data):
    section = compute("activities", PERIOD, data.street_scope)

    assert section["status"] == "ok"
    expected = EXPECTED["activities"]
    assert subset(row_of(section, data.center_a.name), expected["center_a"]) == expected["center_a"]
    assert subset(row_of(section, data.center_a2.name), expected["center_a2"]) == expected["center_a2"]
    assert subset(row_of(section, "total"), expected["total"]) == expected["total"]
    assert row_of(section, data.center_a.name)["attendance_rate"] == pytest.approx(0.6)
    assert [row[0] for row in section["rows"]] == [data.center_a.name, data.center_a2.name] or sorted(
        row[0] for row in section["rows"]
    ) == sorted([data.center_a.name, data.center_a2.name])


def test_care_counts_visits_crisis_referrals_due_and_overdue(data):
    section = compute("care", PERIOD, data.street_scope)

    expected = EXPECTED["care"]["center_a"]
    assert subset(row_of(section, data.center_a.name), expected) == expected
    assert row_of(section, data.center_a2.name)["visits"] == 0


def test_requests_completion_medians_and_satisfaction(data):
    section = compute("requests", PERIOD, data.street_scope)

    expected = EXPECTED["requests"]["center_a"]
    assert subset(row_of(section, data.center_a.name), expected) == pytest.approx(expected)
    empty = row_of(section, data.center_a2.name)
    assert empty["received"] == 0
    assert (
        empty["completion_rate"] is None and empty["assign_hours"] is None and empty["satisfaction"] is None
    )
    assert row_of(section, "total")["complete_hours"] == pytest.approx(38.0)


def test_requests_by_category_and_channel_crosstab(data):
    section = compute("requests_by_kind", PERIOD, data.street_scope)

    repairs = row_of(section, "Repairs")
    assert repairs["channel_web"] == 1 and repairs["channel_hotline"] == 1
    assert repairs["received"] == 2 and repairs["done"] == 1 and repairs["completion_rate"] == 0.5
    assert row_of(section, "Elderly help")["channel_web"] == 1
    assert row_of(section, "Other")["channel_wechat"] == 1
    assert row_of(section, "total")["received"] == 4


def test_volunteers_hours_and_points(data):
    section = compute("volunteers", PERIOD, data.street_scope)

    expected = EXPECTED["volunteers"]
    assert subset(row_of(section, data.center_a.name), expected["center_a"]) == expected["center_a"]
    assert subset(row_of(section, data.center_a2.name), expected["center_a2"]) == expected["center_a2"]
    assert subset(row_of(section, "total"), expected["total"]) == expected["total"]


def test_deliberation_counts_agree_with_the_apps_own_figures(data):
    from deliberation.selectors import deliberation_figures

    section = compute("deliberation", PERIOD, data.street_scope)

    expected = EXPECTED["deliberation"]["center_a"]
    assert subset(row_of(section, data.center_a.name), expected) == expected
    theirs = deliberation_figures(start=PERIOD.start_at, end=PERIOD.end_at, center_ids=[data.center_a.pk])
    ours = row_of(section, data.center_a.name)
    assert (ours["held"], ours["three_plus_one"], ours["decisions"], ours["notices"], ours["objections"]) == (
        theirs["meetings_held"],
        theirs["three_plus_one"],
        theirs["decisions"],
        theirs["notices"],
        theirs["objections"],
    )


def test_mediation_cases_by_outcome_and_type(data):
    section = compute("mediation", PERIOD, data.street_scope)

    assert row_of(section, "Agreement")["type_wages"] == 1
    assert row_of(section, "No agreement")["type_rent"] == 1
    assert row_of(section, "All cases closed")["closed"] == 2
    assert row_of(section, "Opened this month")["closed"] == 2
    assert row_of(section, "Still in mediation at the month's end")["closed"] == 1


def test_organizations_by_stage_and_status_of_the_street_only(data):
    from orgs.selectors import count_organizations

    section = compute("organizations", PERIOD, data.street_scope)

    assert row_of(section, "Incubate")["status_filed"] == 1
    assert row_of(section, "Incubate")["moved"] == 1
    assert row_of(section, "Support")["status_registered"] == 1
    assert row_of(section, "total")["total"] == 2  # the inactive one and street B's are not counted
    theirs = sum(r["count"] for r in count_organizations(street_ids=[data.center_a.street_id]))
    assert theirs == row_of(section, "total")["total"]


def test_contract_targets_against_actuals_from_the_registry(data):
    section = compute("contracts", PERIOD, data.street_scope)

    rows = {
        row[2]: dict(zip([c["key"] for c in section["columns"]], row, strict=True)) for row in section["rows"]
    }
    assert rows["Activities held"]["minimum"] == 2 and rows["Activities held"]["actual"] == 3
    assert rows["Activities held"]["state"] == "Met"
    # A telephone call is not a home visit: the home visit and the crisis intervention count.
    assert rows["Home visits"]["actual"] == 2 and rows["Home visits"]["state"] == "Not met"
    assert rows["Home visits"]["from"] == "2025-10-01" and rows["Home visits"]["to"] == "2025-10-31"


def test_district_roll_up_has_a_row_per_street_and_counts_every_street(data):
    scope = Scope.for_district(data.center_a.street.district)
    section = compute("activities", PERIOD, scope)

    assert section["columns"][0]["label"] == "Street"
    assert row_of(section, data.center_a.street.name)["held"] == 4
    assert row_of(section, data.center_b.street.name)["held"] == 2
    assert row_of(section, "total")["held"] == 6
    assert row_of(section, "total")["residents"] == 3


def test_a_center_report_counts_that_center_only(data):
    section = compute("activities", PERIOD, Scope.for_center(data.center_a2))

    assert [row[0] for row in section["rows"]] == [data.center_a2.name]
    assert row_of(section, "total")["held"] == 1


def test_an_app_model_that_has_not_landed_makes_its_section_say_so(data, monkeypatch):
    import reports.sections.centers as module

    def not_landed(period, scope):
        from reports.sections import need_model

        need_model("centers", "Rocket")

    monkeypatch.setattr(module, "activities", not_landed)
    section = run_section(
        SectionSpec("x", "X", "reports.sections.centers", "activities", "centers"), PERIOD, data.street_scope
    )

    assert section["status"] == "missing"
    assert section["params"] == {"app": "centers", "model": "Rocket"}


def test_a_section_broken_by_a_changed_app_fails_alone(data, monkeypatch):
    from django.core.exceptions import FieldError

    import reports.sections.care as module

    def renamed(period, scope):
        raise FieldError("Cannot resolve keyword 'visited_on'")

    monkeypatch.setattr(module, "visits", renamed)
    from reports.sections import run_sections

    sections = {s["key"]: s for s in run_sections(PERIOD, data.street_scope)}

    assert sections["care"]["status"] == "error" and sections["care"]["params"] == {"error": "FieldError"}
    assert all(s["status"] == "ok" for key, s in sections.items() if key != "care")


def test_median_hours_of_odd_and_even_counts_in_the_database(data):
    from dispatch.models import ServiceRequest

    qs = ServiceRequest.objects.filter(center=data.center_a, created_at__gte=PERIOD.start_at)
    assert median_hours(qs, "created_at", "assigned_at") == pytest.approx(4.0)  # 2, 4, 6
    assert median_hours(qs.filter(status="done"), "created_at", "closed_at") == pytest.approx(38.0)  # 26, 50
    assert median_hours(qs.none(), "created_at", "closed_at") is None
    assert connection.vendor in {"sqlite", "postgresql"}


def test_street_staff_may_report_on_their_street_and_its_centers_only(world):
    choices = selectors.scope_choices(user=world.user("street"))
    keys = {c.key for c in choices}

    assert f"street:{world.center_a.street_id}" in keys
    assert f"center:{world.center_a.pk}" in keys
    assert f"street:{world.center_b.street_id}" not in keys and f"center:{world.center_b.pk}" not in keys
    assert not any(k.startswith("district:") for k in keys)


def test_district_staff_may_report_on_the_district_and_every_street(world):
    keys = {c.key for c in selectors.scope_choices(user=world.user("district"))}

    assert f"district:{world.center_a.street.district_id}" in keys
    assert {f"street:{world.center_a.street_id}", f"street:{world.center_b.street_id}"} <= keys


def test_center_staff_and_residents_may_not_report(world):
    for role in ("worker", "manager", "resident", "volunteer"):
        assert selectors.scope_choices(user=world.user(role)) == []


def test_periods_are_local_calendar_months():
    period = Period.parse("2025-12")

    assert period.shift(1) == Period(2026, 1) and period.shift(-12) == Period(2024, 12)
    assert period.end == dt.date(2026, 1, 1)
    assert period.start_at.utcoffset() == dt.timedelta(hours=8)  # Asia/Shanghai
    assert [p.key for p in Period(2025, 2).months_back(3)] == ["2024-12", "2025-01", "2025-02"]
    with pytest.raises(ValueError):
        Period.parse("2025-13")

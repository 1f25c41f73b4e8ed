import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from orgs import services
from orgs.models import GrantProposal, Metric, Organization, Period, Stage, StageChange
from tests.factories import CenterFactory, CommunityFactory, StreetFactory, UserFactory

from .factories import GrantCallFactory, contract_for, filed_org, new_credit_code, registered_org

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


# ------------------------------------------------------------------ registry
def test_a_registered_organization_with_a_wrong_credit_code_is_refused_with_a_clear_message():
    with pytest.raises(ValidationError) as info:
        registered_org(credit_code="91350100M000100Y44")
    messages = info.value.message_dict["credit_code"]
    assert any("91350100M000100Y44" in m and "3" in m for m in messages)
    assert not Organization.objects.exists()


def test_a_registered_organization_needs_its_code_authority_and_date():
    with pytest.raises(ValidationError) as info:
        services.register_organization(
            actor=None,
            name="某协会",
            kind=Organization.Kind.ASSOCIATION,
            status=Organization.Status.REGISTERED,
        )
    assert {"credit_code", "registering_authority", "registered_on"} <= set(info.value.message_dict)


def test_a_filed_organization_needs_the_street_that_filed_it_and_has_no_code():
    with pytest.raises(ValidationError) as info:
        services.register_organization(
            actor=None,
            name="文体队",
            kind=Organization.Kind.COMMUNITY,
            status=Organization.Status.FILED,
            credit_code=new_credit_code(),
        )
    assert {"street", "credit_code"} <= set(info.value.message_dict)


def test_a_code_typed_in_lower_case_or_full_width_is_stored_normalized():
    org = registered_org(credit_code="９１３５０１００m000100y43")
    assert org.credit_code == "91350100M000100Y43"


def test_filing_with_a_community_takes_its_street_and_refuses_another_streets_community():
    community = CommunityFactory()
    org = filed_org(street=None, community=community)
    assert org.street == community.street
    with pytest.raises(ValidationError) as info:
        filed_org(street=StreetFactory(), community=community)
    assert "community" in info.value.message_dict


def test_the_same_name_in_the_same_street_is_one_organization():
    street = StreetFactory()
    filed_org(street=street, name="银龄互助团")
    with pytest.raises(ValidationError):
        filed_org(street=street, name="银龄互助团")
    assert filed_org(street=StreetFactory(), name="银龄互助团")


def test_a_grade_needs_its_evaluation_date():
    with pytest.raises(ValidationError) as info:
        registered_org(grade="4A")
    assert "graded_on" in info.value.message_dict


def test_unknown_roles_are_refused():
    with pytest.raises(ValidationError) as info:
        registered_org(roles=["advocate", "king"])
    assert "roles" in info.value.message_dict


def test_a_new_organization_starts_its_history_with_its_introduction():
    actor = UserFactory()
    org = filed_org(actor=actor)
    (entry,) = org.stage_changes.all()
    assert (entry.sequence, entry.from_stage, entry.to_stage, entry.moved_by) == (
        1,
        "",
        Stage.INTRODUCE,
        actor,
    )


def test_editing_an_organization_never_changes_its_stage():
    org = filed_org()
    org.stage = Stage.REGULATE
    org.description = "新简介"
    services.save_organization(organization=org, actor=None)
    org.refresh_from_db()
    assert (org.stage, org.description) == (Stage.INTRODUCE, "新简介")


# ------------------------------------------------------------------ lifecycle
def _hub():
    return filed_org(kind=Organization.Kind.HUB, name="社区发展联合会")


def test_moving_through_the_whole_lifecycle_records_who_when_and_why():
    staff, center, hub = UserFactory(), CenterFactory(), _hub()
    org = filed_org(street=center.street)
    services.move_stage(
        organization=org,
        to_stage=Stage.INCUBATE,
        actor=staff,
        reason="进入孵化",
        incubator=hub,
        incubation_center=center,
        incubation_room="社会组织孵化室",
    )
    for stage in (Stage.GUIDE, Stage.SUPPORT, Stage.REGULATE):
        services.move_stage(organization=org, to_stage=stage, actor=staff, reason=f"到{stage}")
    org.refresh_from_db()
    assert org.stage == Stage.REGULATE
    assert (org.incubator, org.incubation_center, org.incubation_room) == (hub, center, "社会组织孵化室")
    history = list(org.stage_changes.order_by("sequence"))
    assert [h.sequence for h in history] == [1, 2, 3, 4, 5]
    assert [(h.from_stage, h.to_stage) for h in history[1:]] == [
        ("introduce", "incubate"),
        ("incubate", "guide"),
        ("guide", "support"),
        ("support", "regulate"),
    ]
    assert all(h.moved_by == staff and h.reason for h in history[1:])
    assert history[1].incubation_center == center


@pytest.mark.parametrize("target", [Stage.GUIDE, Stage.REGULATE, Stage.INTRODUCE])
def test_a_move_that_is_not_allowed_is_refused_and_changes_nothing(target):
    org = filed_org()
    with pytest.raises(ValidationError) as info:
        services.move_stage(organization=org, to_stage=target, actor=UserFactory(), reason="跳级")
    assert "to_stage" in info.value.message_dict
    org.refresh_from_db()
    assert org.stage == Stage.INTRODUCE
    assert org.stage_changes.count() == 1


def test_an_established_organization_may_skip_incubation_and_an_organization_may_step_back():
    org = registered_org()
    services.move_stage(organization=org, to_stage=Stage.SUPPORT, actor=UserFactory(), reason="外部引入")
    services.move_stage(
        organization=org, to_stage=Stage.GUIDE, actor=UserFactory(), reason="评估不合格，回到引导"
    )
    assert org.stage == Stage.GUIDE


def test_a_move_needs_a_reason_and_incubation_needs_a_center():
    org = filed_org()
    with pytest.raises(ValidationError) as info:
        services.move_stage(organization=org, to_stage=Stage.INCUBATE, actor=UserFactory(), reason="  ")
    assert {"reason", "incubation_center"} <= set(info.value.message_dict)


def test_the_incubator_must_be_a_hub_organization():
    org, other = filed_org(), filed_org()
    with pytest.raises(ValidationError) as info:
        services.move_stage(
            organization=org,
            to_stage=Stage.INCUBATE,
            actor=UserFactory(),
            reason="孵化",
            incubation_center=CenterFactory(),
            incubator=other,
        )
    assert "incubator" in info.value.message_dict


def test_a_stale_form_cannot_move_an_organization_twice():
    org = filed_org()
    services.move_stage(
        organization=org,
        to_stage=Stage.SUPPORT,
        actor=UserFactory(),
        reason="引入",
        expected_stage=Stage.INTRODUCE,
    )
    with pytest.raises(ValidationError):
        services.move_stage(
            organization=Organization.objects.get(pk=org.pk),
            to_stage=Stage.INCUBATE,
            actor=UserFactory(),
            reason="孵化",
            incubation_center=CenterFactory(),
            expected_stage=Stage.INTRODUCE,
        )
    assert org.stage_changes.count() == 2


def test_the_database_refuses_to_rewrite_history():
    org = filed_org()
    with pytest.raises(DatabaseError), transaction.atomic():
        StageChange.objects.filter(organization=org).update(reason="改写")
    assert StageChange.objects.get(organization=org).reason == ""


def test_an_organization_with_history_cannot_be_deleted():
    org = filed_org()
    with pytest.raises(ProtectedError):
        org.delete()


def test_the_database_refuses_to_delete_history_on_postgresql():
    org = filed_org()
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic():
            StageChange.objects.filter(organization=org).delete()
    else:  # SQLite keeps DELETE for Django's test flush; the PROTECT key guards the ORM path
        with pytest.raises(ProtectedError):
            org.delete()
    assert StageChange.objects.filter(organization=org).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_staff_moving_one_organization_at_once_move_it_once():
    org = filed_org()
    outcomes = []

    def move(reason):
        try:
            services.move_stage(
                organization=Organization.objects.get(pk=org.pk),
                to_stage=Stage.SUPPORT,
                actor=None,
                reason=reason,
                expected_stage=Stage.INTRODUCE,
            )
            outcomes.append("moved")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    if connection.vendor == "postgresql":
        threads = [threading.Thread(target=move, args=(f"员工{i}",)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    else:  # SQLite serializes writers: the same scenario, one after the other
        move("员工0")
        move("员工1")
    assert sorted(outcomes) == ["moved", "refused"]
    assert StageChange.objects.filter(organization=org).count() == 2


# ------------------------------------------------------------------ contracts
def test_a_contract_makes_its_organization_the_centers_operator_with_its_targets():
    contract = contract_for(
        targets=[(Metric.ACTIVITIES, Period.MONTH, 8), (Metric.VOLUNTEER_HOURS, Period.QUARTER, 200)]
    )
    assert contract.is_active_on()
    assert sorted((t.metric, t.period, t.minimum) for t in contract.targets.all()) == [
        ("activities", "month", Decimal(8)),
        ("volunteer_hours", "quarter", Decimal(200)),
    ]


def test_a_center_has_one_operator_at_a_time():
    first = contract_for()
    center = first.centers.get()
    with pytest.raises(ValidationError) as info:
        contract_for(center=center)
    assert first.number in " ".join(info.value.message_dict["centers"])
    year = TODAY().year
    assert contract_for(
        center=center, starts_on=datetime.date(year + 1, 1, 1), ends_on=datetime.date(year + 1, 12, 31)
    )


def test_terminating_a_contract_frees_the_center_from_that_day():
    first = contract_for()
    center = first.centers.get()
    year = TODAY().year
    services.terminate_contract(contract=first, on=datetime.date(year, 7, 1), reason="服务不达标")
    first.refresh_from_db()
    assert first.last_day == datetime.date(year, 6, 30)
    assert "服务不达标" in first.notes
    assert contract_for(
        center=center, starts_on=datetime.date(year, 7, 1), ends_on=datetime.date(year, 12, 31)
    )


def test_a_contract_runs_centers_of_the_buyers_street_only():
    center = CenterFactory()
    with pytest.raises(ValidationError) as info:
        services.create_contract(
            number="HT-X",
            title="跨街道",
            buyer_street=StreetFactory(),
            operator=registered_org(),
            centers=[center],
            starts_on=datetime.date(2025, 1, 1),
            ends_on=datetime.date(2025, 12, 31),
            amount=Decimal(1),
        )
    assert "centers" in info.value.message_dict


@pytest.mark.parametrize(
    ("start", "end", "amount"),
    [
        (datetime.date(2025, 2, 1), datetime.date(2025, 1, 1), "1"),
        (datetime.date(2025, 1, 1), datetime.date(2025, 2, 1), "-5"),
    ],
)
def test_a_contract_ending_before_it_starts_or_with_a_negative_amount_is_refused(start, end, amount):
    center = CenterFactory()
    with pytest.raises(ValidationError):
        services.create_contract(
            number="HT-Y",
            title="错误",
            buyer_street=center.street,
            operator=registered_org(),
            centers=[center],
            starts_on=start,
            ends_on=end,
            amount=Decimal(amount),
        )


def test_setting_a_target_twice_changes_it_and_a_target_must_be_positive():
    contract = contract_for()
    services.set_target(contract=contract, metric=Metric.ACTIVITIES, period=Period.MONTH, minimum=Decimal(10))
    assert contract.targets.get().minimum == 10
    with pytest.raises(ValidationError):
        services.set_target(
            contract=contract, metric=Metric.HOME_VISITS, period=Period.MONTH, minimum=Decimal(0)
        )


# ------------------------------------------------------------------ venture grants
def test_a_proposal_is_reviewed_funded_and_completed():
    call = GrantCallFactory(budget=Decimal(60000))
    proposal = services.submit_proposal(
        call=call, organization=filed_org(), title="月月助老", requested_amount=Decimal(50000)
    )
    services.review_proposal(proposal=proposal, reviewer=UserFactory(), score=90)
    services.decide_proposal(proposal=proposal, fund=True, amount=Decimal(45000))
    services.record_progress(proposal=proposal, percent_done=100, note="全部完成", actor=None)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.granted_amount) == (GrantProposal.Status.COMPLETED, Decimal(45000))


def test_a_proposal_outside_the_calls_window_is_refused():
    call = GrantCallFactory(
        opens_on=TODAY() - datetime.timedelta(days=30), closes_on=TODAY() - datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError):
        services.submit_proposal(
            call=call, organization=filed_org(), title="迟到", requested_amount=Decimal(1000)
        )


def test_a_reviewer_scores_once_and_a_decision_needs_a_review():
    call = GrantCallFactory()
    proposal = services.submit_proposal(
        call=call, organization=filed_org(), title="环保", requested_amount=Decimal(1000)
    )
    with pytest.raises(ValidationError):
        services.decide_proposal(proposal=proposal, fund=True)
    reviewer = UserFactory()
    services.review_proposal(proposal=proposal, reviewer=reviewer, score=80)
    with pytest.raises(ValidationError):
        services.review_proposal(proposal=proposal, reviewer=reviewer, score=95)
    with pytest.raises(ValidationError):
        services.review_proposal(proposal=proposal, reviewer=UserFactory(), score=101)


def test_grants_never_exceed_the_calls_budget():
    call = GrantCallFactory(budget=Decimal(50000))
    proposals = []
    for title in ("甲", "乙"):
        p = services.submit_proposal(
            call=call, organization=filed_org(), title=title, requested_amount=Decimal(30000)
        )
        services.review_proposal(proposal=p, reviewer=UserFactory(), score=85)
        proposals.append(p)
    services.decide_proposal(proposal=proposals[0], fund=True)
    with pytest.raises(ValidationError) as info:
        services.decide_proposal(proposal=proposals[1], fund=True)
    assert "20000" in " ".join(info.value.message_dict["granted_amount"])
    services.decide_proposal(proposal=proposals[1], fund=True, amount=Decimal(20000))


def test_only_a_funded_project_reports_progress():
    call = GrantCallFactory()
    proposal = services.submit_proposal(
        call=call, organization=filed_org(), title="课堂", requested_amount=Decimal(1000)
    )
    with pytest.raises(ValidationError):
        services.record_progress(proposal=proposal, percent_done=10, note="开始", actor=None)

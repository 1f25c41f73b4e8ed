import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from orgs import services
from orgs.models import GrantProposal, Organization, ServiceContract, Stage
from tests.factories import CenterFactory, UserFactory

from .factories import GrantCallFactory, contract_for, filed_org, registered_org

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def test_street_staff_see_only_their_streets_organizations_in_the_admin(client_for, world):
    own = filed_org(street=world.center_a.street, name="本街道队伍")
    other = filed_org(street=world.center_b.street, name="外街道队伍")
    client = client_for(world.user("street"))
    page = text(client.get(reverse("admin:orgs_organization_changelist")))
    assert own.name in page and other.name not in page
    assert client.get(reverse("admin:orgs_organization_change", args=[other.pk])).status_code in (
        302,
        403,
        404,
    )
    assert client.get(reverse("admin:orgs_organization_change", args=[own.pk])).status_code == 200


def test_the_district_administrator_sees_every_organization(client_for, world):
    orgs = [
        filed_org(street=world.center_a.street),
        filed_org(street=world.center_b.street),
        registered_org(),
    ]
    page = text(client_for(world.user("district")).get(reverse("admin:orgs_organization_changelist")))
    assert all(o.name in page for o in orgs)


def test_social_workers_do_not_keep_the_registry_in_the_admin(client_for, world):
    client = client_for(world.user("worker"))
    assert client.get(reverse("admin:orgs_organization_changelist")).status_code == 403
    assert reverse("admin:orgs_organization_changelist") not in text(client.get(reverse("admin:index")))


def _org_form(street, **overrides):
    data = {
        "name": "新备案队伍",
        "kind": "volunteer_team",
        "status": "filed",
        "street": street.pk,
        "is_active": "on",
        "party_branch": "none",
        "party_members": "0",
        "filed_on": "2024-05-01",
        "staff-TOTAL_FORMS": "0",
        "staff-INITIAL_FORMS": "0",
        "stage_changes-TOTAL_FORMS": "0",
        "stage_changes-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_adding_an_organization_in_the_admin_starts_its_history(client_for, world):
    client = client_for(world.user("street"))
    response = client.post(reverse("admin:orgs_organization_add"), _org_form(world.center_a.street))
    assert response.status_code == 302, text(response)[:3000]
    org = Organization.objects.get(name="新备案队伍")
    assert org.stage_changes.get().moved_by == world.user("street")


def test_the_admin_refuses_a_registered_organization_with_a_wrong_credit_code(client_for, world):
    client = client_for(world.user("district"))
    response = client.post(
        reverse("admin:orgs_organization_add"),
        _org_form(
            world.center_a.street,
            status="registered",
            credit_code="91350100m000100y44",
            registering_authority="吴兴区民政局",
            registered_on="2020-01-01",
            filed_on="",
        ),
    )
    assert response.status_code == 200
    assert "91350100M000100Y44" in text(response) and "校验" in text(response)
    assert not Organization.objects.exists()


def test_the_admin_shows_the_history_read_only(client_for, world):
    org = filed_org(street=world.center_a.street)
    services.move_stage(
        organization=org, to_stage=Stage.SUPPORT, actor=world.user("street"), reason="承接运营"
    )
    page = text(
        client_for(world.user("street")).get(reverse("admin:orgs_organization_change", args=[org.pk]))
    )
    assert "承接运营" in page
    assert 'name="stage_changes-0-reason"' not in page


def test_contracts_in_the_admin_are_scoped_to_the_staff_members_centers_and_listed_once(client_for, world):
    second = CenterFactory(community__street=world.center_a.street)
    own = services.create_contract(
        number="HT-OWN",
        title="本街道两中心运营",
        buyer_street=world.center_a.street,
        operator=registered_org(),
        centers=[world.center_a, second],
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2025, 12, 31),
        amount=Decimal(100),
    )
    other = contract_for(center=world.center_b, number="HT-OTHER")
    page = text(client_for(world.user("street")).get(reverse("admin:orgs_servicecontract_changelist")))
    assert page.count(f"/admin/orgs/servicecontract/{own.pk}/change/") == 1
    assert "HT-OTHER" not in page
    manager_page = text(
        client_for(world.user("manager")).get(reverse("admin:orgs_servicecontract_changelist"))
    )
    assert "HT-OWN" in manager_page and other.number not in manager_page


def test_the_admin_refuses_a_second_operator_for_a_center(client_for, world):
    existing = contract_for(center=world.center_a, number="HT-FIRST")
    operator = registered_org()
    year = existing.starts_on.year
    response = client_for(world.user("street")).post(
        reverse("admin:orgs_servicecontract_add"),
        {
            "number": "HT-SECOND",
            "title": "重复运营",
            "buyer_street": world.center_a.street.pk,
            "operator": operator.pk,
            "centers": [world.center_a.pk],
            "starts_on": f"{year}-06-01",
            "ends_on": f"{year}-12-31",
            "amount": "1000",
            "targets-TOTAL_FORMS": "0",
            "targets-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "HT-FIRST" in text(response)
    assert not ServiceContract.objects.filter(number="HT-SECOND").exists()


def test_the_admin_saves_a_contract_with_its_targets(client_for, world):
    operator = registered_org()
    response = client_for(world.user("street")).post(
        reverse("admin:orgs_servicecontract_add"),
        {
            "number": "HT-NEW",
            "title": "新合同",
            "buyer_street": world.center_a.street.pk,
            "operator": operator.pk,
            "centers": [world.center_a.pk],
            "starts_on": "2025-01-01",
            "ends_on": "2025-12-31",
            "amount": "260000.00",
            "targets-TOTAL_FORMS": "1",
            "targets-INITIAL_FORMS": "0",
            "targets-0-metric": "home_visits",
            "targets-0-period": "month",
            "targets-0-minimum": "30",
        },
    )
    assert response.status_code == 302, text(response)[:2000]
    contract = ServiceContract.objects.get(number="HT-NEW")
    assert list(contract.centers.all()) == [world.center_a]
    assert contract.targets.get().minimum == 30


def test_street_staff_fund_a_reviewed_proposal_from_the_admin(client_for, world):
    call = GrantCallFactory(street=world.center_a.street)
    proposal = services.submit_proposal(
        call=call, organization=filed_org(), title="绿色会客厅", requested_amount=8000
    )
    services.review_proposal(proposal=proposal, reviewer=UserFactory(), score=88)
    response = client_for(world.user("street")).post(
        reverse("admin:orgs_grantproposal_changelist"),
        {"action": "fund_as_requested", "_selected_action": [proposal.pk]},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.granted_amount) == (GrantProposal.Status.FUNDED, Decimal(8000))


def test_another_streets_proposals_are_not_visible(client_for, world):
    call = GrantCallFactory(street=world.center_b.street)
    services.submit_proposal(call=call, organization=filed_org(), title="外街道项目", requested_amount=8000)
    page = text(client_for(world.user("street")).get(reverse("admin:orgs_grantproposal_changelist")))
    assert "外街道项目" not in page


@pytest.mark.parametrize("model", ["organization", "servicecontract", "grantcall", "grantproposal", "domain"])
def test_every_registry_admin_page_opens_for_the_district_administrator(client_for, world, model):
    org = registered_org()
    contract = contract_for(center=world.center_a, operator=org)
    call = GrantCallFactory()
    proposal = services.submit_proposal(call=call, organization=org, title="项目", requested_amount=1000)
    objects = {"organization": org, "servicecontract": contract, "grantcall": call, "grantproposal": proposal}
    client = client_for(world.user("district"))
    assert client.get(reverse(f"admin:orgs_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:orgs_{model}_add")).status_code == 200
    if model in objects:
        assert client.get(reverse(f"admin:orgs_{model}_change", args=[objects[model].pk])).status_code == 200

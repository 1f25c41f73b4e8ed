"""The resident timeline gathers what every capability knows about the resident (core.timeline)."""

from django.urls import reverse

from core.models import AuditEntry
from tests.centers.factories import ActivityFactory, SignupFactory
from tests.deliberation.factories import MediationCaseFactory, MediationPartyFactory, ParticipantFactory
from tests.dispatch.factories import make_request
from tests.volunteers.factories import TeamFactory, make_volunteer, verified_record

from .factories import RecipientFactory


def ren_nainai(world):
    resident = world.user("resident")
    resident.phone = "13911112222"
    resident.save(update_fields=["phone"])
    return resident, RecipientFactory(center=world.center_a, resident=resident, name="任奶奶")


def timeline_page(client, world, recipient, role="worker") -> str:
    client.force_login(world.user(role))
    response = client.get(reverse("care:timeline", args=[recipient.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_activities_requests_hours_points_meetings_and_mediation_appear(world, client):
    resident, recipient = ren_nainai(world)
    SignupFactory(resident=resident, activity=ActivityFactory(center=world.center_a, title="听力讲座"))
    request = make_request(world.center_a, requester=resident, description="想申请助听器")
    team = TeamFactory(center=world.center_a)
    volunteer = make_volunteer(user=resident, team=team)
    verified_record(volunteer=volunteer, team=team, hours="3")
    ParticipantFactory(user=resident, meeting__topic="加装电梯议事", meeting__center=world.center_a)
    MediationPartyFactory(
        phone=resident.phone, case=MediationCaseFactory(center=world.center_a, title="楼上漏水纠纷")
    )

    text = timeline_page(client, world, recipient)

    assert "听力讲座" in text
    assert request.number in text and "想申请助听器" in text
    assert "服务 3 小时" in text
    assert "+" in text  # the points earned for the verified hours
    assert "加装电梯议事" in text
    assert "楼上漏水纠纷" in text
    views = AuditEntry.objects.filter(
        object_type="care.Recipient", object_id=str(recipient.pk), action="view"
    )
    assert views.count() == 1 and views.get().reason == "timeline"


def test_what_the_viewer_may_not_open_elsewhere_stays_private(world, client):
    resident, recipient = ren_nainai(world)
    other_request = make_request(world.center_b, requester=resident, description="另一中心的私事")
    MediationPartyFactory(
        phone=resident.phone, case=MediationCaseFactory(center=world.center_b, title="他中心调解")
    )

    text = timeline_page(client, world, recipient)

    assert other_request.number in text  # that a request exists, and its status
    assert "另一中心的私事" not in text  # but not what it says
    assert reverse("dispatch:desk_detail", args=[other_request.pk]) not in text
    assert "他中心调解" not in text


def test_a_recipient_without_an_account_shows_care_entries_only(world, client):
    resident, _ = ren_nainai(world)
    SignupFactory(resident=resident, activity=ActivityFactory(center=world.center_a, title="听力讲座"))
    recipient = RecipientFactory(center=world.center_a, resident=None, name="王大爷")
    text = timeline_page(client, world, recipient)
    assert "未关联平台账号" in text
    assert "听力讲座" not in text

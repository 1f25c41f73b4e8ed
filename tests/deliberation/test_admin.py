"""The work desk: meetings and mediation cases scoped to the staff member's centers."""

import pytest
from django.urls import reverse

from deliberation.models import Meeting

from .factories import closed_case, draft_meeting, notice_meeting

pytestmark = pytest.mark.django_db


def test_a_social_worker_sees_only_the_meetings_of_their_center(world, client):
    own = draft_meeting(center=world.center_a, topic="本中心的会议")
    draft_meeting(center=world.center_b, topic="别的中心的会议")
    client.force_login(world.user("worker"))
    page = client.get(reverse("admin:deliberation_meeting_changelist"))
    assert page.status_code == 200
    text = page.content.decode()
    assert own.topic in text and "别的中心的会议" not in text


def test_a_meeting_of_another_center_cannot_be_opened_by_its_id(world, client):
    other = draft_meeting(center=world.center_b)
    client.force_login(world.user("worker"))
    response = client.get(reverse("admin:deliberation_meeting_change", args=[other.pk]))
    assert response.status_code in (302, 403, 404)
    assert other.topic not in response.content.decode()


def test_street_staff_read_their_streets_meetings_without_changing_them(world, client):
    meeting = draft_meeting(center=world.center_a)
    client.force_login(world.user("street"))
    assert client.get(reverse("admin:deliberation_meeting_changelist")).status_code == 200
    page = client.get(reverse("admin:deliberation_meeting_change", args=[meeting.pk]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()


def test_the_status_cannot_be_edited_in_the_admin(world, client):
    meeting = draft_meeting(center=world.center_a)
    client.force_login(world.user("worker"))
    page = client.get(reverse("admin:deliberation_meeting_change", args=[meeting.pk])).content.decode()
    assert 'name="status"' not in page
    assert (
        reverse("deliberation:manage", args=[meeting.pk])
        in client.get(reverse("admin:deliberation_meeting_changelist")).content.decode()
    )


def test_the_center_choice_offers_only_the_workers_centers(world, client):
    client.force_login(world.user("worker"))
    page = client.get(reverse("admin:deliberation_meeting_add")).content.decode()
    assert world.center_a.name in page and world.center_b.name not in page


def test_mediation_parties_are_in_the_admin_only_for_scoped_staff(world, client):
    case = closed_case(center=world.center_a, document=False)
    other = closed_case(center=world.center_b, document=False)
    client.force_login(world.user("worker"))
    page = client.get(reverse("admin:deliberation_mediationcase_change", args=[case.pk]))
    assert page.status_code == 200 and "何小兵" in page.content.decode()
    listing = client.get(reverse("admin:deliberation_mediationcase_changelist")).content.decode()
    assert case.title in listing and other.title not in listing
    assert "no-store" in client.get(reverse("admin:deliberation_mediationcase_changelist"))["Cache-Control"]


def test_the_admin_names_the_mediator_by_mobile_number(world):
    from deliberation.admin import MediationCaseAdminForm
    from tests.factories import UserFactory

    mediator = UserFactory(phone="13955550001")
    case = closed_case(center=world.center_a, document=False)
    data = {
        "center": case.center_id,
        "community": case.community_id,
        "dispute_type": case.dispute_type,
        "title": case.title,
        "mediator_phone": "139 5555 0001",
        "opened_on": case.opened_on.isoformat(),
        "status": case.status,
        "outcome": case.outcome,
        "closed_on": case.closed_on.isoformat(),
        "agreement_summary": case.agreement_summary,
    }
    form = MediationCaseAdminForm(data, instance=case)
    assert form.is_valid(), form.errors
    assert form.save().mediator == mediator
    unknown = MediationCaseAdminForm({**data, "mediator_phone": "13955559999"}, instance=case)
    assert not unknown.is_valid() and "13955559999" in str(unknown.errors["mediator_phone"])


def test_residents_and_volunteers_are_kept_out(world, client):
    notice_meeting(center=world.center_a)
    for role in ("resident", "volunteer"):
        client.force_login(world.user(role))
        response = client.get(reverse("admin:deliberation_meeting_changelist"))
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_notices_are_read_only_in_the_admin(world, client):
    meeting = notice_meeting(center=world.center_a)
    client.force_login(world.user("worker"))
    assert client.get(reverse("admin:deliberation_notice_add")).status_code == 403
    page = client.get(reverse("admin:deliberation_notice_change", args=[meeting.notice.pk])).content.decode()
    assert meeting.final_plan in page and 'name="text"' not in page
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.NOTICE

"""A resident's deliberation data in the personal-data download, and its erasure."""

import pytest

from core.privacy import erase_personal_data, export_personal_data
from deliberation import selectors, services
from deliberation.models import Objection, Participant
from tests.factories import UserFactory

from .factories import held_meeting, notice_meeting

pytestmark = pytest.mark.django_db


def test_the_download_holds_my_objections_and_meetings():
    resident = UserFactory()
    meeting = notice_meeting()
    Participant.objects.filter(pk=meeting.participants.first().pk).update(user=resident)
    services.file_objection(notice=meeting.notice, author=resident, text="驿站离幼儿园太近")
    data = export_personal_data(user=resident)
    assert data["对公示提出的异议"][0]["objection"] == "驿站离幼儿园太近"
    assert data["参加的3+1四方会谈"][0]["meeting"] == meeting.topic


def test_erasure_removes_what_identifies_me_and_keeps_the_counts():
    resident = UserFactory()
    meeting = held_meeting()
    me = meeting.participants.get(party="principal")
    Participant.objects.filter(pk=me.pk).update(user=resident)
    services.add_opinion(meeting=meeting, speaker=me, text="我家在3幢，不要放在楼下", by=None)
    notice = notice_meeting().notice
    services.file_objection(notice=notice, author=resident, text="我是3幢的王秀英，反对")
    erase_personal_data(user=resident)
    me.refresh_from_db()
    assert me.user is None and me.name == "—" and me.phone == "" and me.attended
    assert "王秀英" not in Objection.objects.get(notice=notice).text
    tally = selectors.opinion_tally(meeting)
    assert tally.total == 1 and "3幢" not in tally.groups[0][1][0].text
    assert selectors.party_presence(meeting).is_three_plus_one

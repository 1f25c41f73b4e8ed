"""The demo data (make run) and the district-scale seed."""

import random
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from deliberation import seed
from deliberation.models import MediationCase, Meeting, Notice
from tests.factories import CenterFactory


@pytest.mark.django_db
def test_the_demo_shows_the_garbage_station_on_public_notice_and_is_idempotent(client, settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())
    meeting = Meeting.objects.get(topic="关于垃圾投放驿站选点")
    assert meeting.community.name == "余家漾社区" and meeting.status == Meeting.Status.NOTICE
    assert meeting.organizer.name == "仁与公益组织发展中心"
    assert meeting.participants.filter(party="principal").count() >= 20
    assert meeting.participants.filter(name="吴静华", party="leading").exists()
    assert meeting.notice.status == Notice.Status.OPEN and meeting.notice.accepts_objections
    assert Meeting.objects.filter(status=Meeting.Status.CLOSED).count() == 2
    assert MediationCase.objects.filter(mediator__email="mediator@example.com").count() == 3

    listing = client.get(reverse("deliberation:list")).content.decode()
    assert "公示" in listing and "关于垃圾投放驿站选点" in listing
    assert "非3+1：缺少资源方" in listing
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "沈阿林" not in page  # residents who spoke are not named on the public page
    assert "表决通过：北门绿化带旁" in page and "四方均已出席" in page


@pytest.mark.django_db
def test_the_seed_builds_meetings_notices_and_cases_per_community_in_bulk(
    client, django_assert_max_num_queries
):
    for i in range(3):
        CenterFactory(slug=f"bench-c{i}")
    with django_assert_max_num_queries(40):
        seed.seed(scale=1, rng=random.Random(1), stdout=StringIO())
    assert Meeting.objects.count() == 9
    assert Notice.objects.filter(status=Notice.Status.OPEN).count() == 3
    assert MediationCase.objects.count() == 3
    assert client.get(reverse("deliberation:list")).status_code == 200
    meeting = Meeting.objects.filter(status=Meeting.Status.CLOSED).first()
    assert client.get(meeting.get_absolute_url()).status_code == 200

"""My page (/me/): every app's section for one user with many rows of every kind, in at most 8
queries (the benchmark's budget), whatever the number of rows."""

from django.urls import reverse

from centers import services as center_services
from deliberation import services as deliberation_services
from dispatch import services as dispatch_services
from dispatch.models import Assignment, CallAnswer
from tests.centers.factories import ActivityFactory, ChildFactory
from tests.deliberation.factories import MediationCaseFactory, notice_meeting
from tests.dispatch.factories import CollectionSiteFactory, TeamFactory, make_request
from tests.factories import CenterFactory, UserFactory
from tests.query_budget import assert_flat_queries, count_data_queries
from tests.volunteers.factories import ShopItemFactory, make_volunteer, verified_record
from tests.volunteers.factories import TeamFactory as VolunteerTeamFactory
from volunteers import services as volunteer_services


def test_my_page_stays_within_eight_queries_with_many_rows_of_every_kind(db, client):
    center = CenterFactory()
    me = UserFactory()
    team = VolunteerTeamFactory(center=center)
    volunteer = make_volunteer(user=me, team=team, points=10_000)
    led = TeamFactory(center=center, leader=me)
    item = ShopItemFactory(point_price=1, stock=1000)
    staff = UserFactory()
    client.force_login(me)
    client.get(reverse("core:me"))  # the first visit creates the calendar address

    def add(n):
        for i in range(n):
            center_services.sign_up(activity=ActivityFactory(center=center), resident=me)
            ChildFactory(guardian=me)
            make_request(center, requester=me)
            for kwargs in ({"volunteer": volunteer}, {"team": led}):
                request = make_request(center, requester=UserFactory())
                dispatch_services.assign_request(request=request, by=staff, **kwargs)
            call = dispatch_services.start_mobilisation(
                center=center,
                title=f"防汛{i}",
                message="值守",
                created_by=staff,
                needed=5,
                answer_within_minutes=30,
            )
            CallAnswer.objects.get_or_create(mobilisation=call, volunteer=volunteer, defaults={"wave": 1})
            meeting = notice_meeting()
            deliberation_services.file_objection(
                notice=meeting.notice, author=me, text=f"驿站离幼儿园太近{i}"
            )
            MediationCaseFactory(center=center, mediator=me)
            verified_record(volunteer=volunteer, team=team, hours="1")
            volunteer_services.redeem_item(volunteer=volunteer, item=item, notify=False)

    assert_flat_queries(client, reverse("core:me"), add, large=12)
    assert count_data_queries(client, reverse("core:me"))[0] <= 8
    page = client.get(reverse("core:me")).content.decode()
    tasks = Assignment.objects.filter(response__in=Assignment.ACTIVE).count()
    assert f"进行中任务 {tasks} 个" in page and reverse("dispatch:task_list") in page
    assert "12 件兑换待领取" in page and reverse("volunteers:me") in page
    assert "我对公示提出的异议" in page and "12 个进行中的应急动员" in page


def test_a_resident_without_anything_yet_gets_the_invitations(db, client):
    client.force_login(UserFactory())
    page = client.get(reverse("core:me")).content.decode()
    assert reverse("volunteers:register") in page and reverse("dispatch:create") in page
    assert reverse("centers:activity_list") in page
    assert count_data_queries(client, reverse("core:me"))[0] <= 6


def test_figures_count_only_open_tasks_and_calls(db, client):
    me = UserFactory()
    volunteer = make_volunteer(user=me)
    staff = UserFactory()
    request = make_request(CenterFactory(), requester=UserFactory())
    dispatch_services.assign_request(
        request=request, by=staff, site=CollectionSiteFactory(center=request.center)
    )
    client.force_login(me)
    assert "我的服务任务" not in client.get(reverse("core:me")).content.decode()
    request = make_request(CenterFactory(), requester=UserFactory())
    dispatch_services.assign_request(request=request, by=staff, volunteer=volunteer)
    page = client.get(reverse("core:me")).content.decode()
    assert "我的服务任务" in page and "进行中任务 1 个" in page


def test_each_user_gets_their_own_figures_from_the_compiled_statement(db, client):
    first, second = make_volunteer(points=30), make_volunteer(points=70)
    for volunteer, balance in ((first, 30), (second, 70), (first, 30)):
        client.force_login(volunteer.user)
        page = client.get(reverse("core:me")).content.decode()
        assert f'<span class="stat-value points-balance">{balance}</span>' in page

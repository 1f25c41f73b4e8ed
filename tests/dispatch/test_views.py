import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from core.models import Role
from core.services import grant_role
from dispatch.models import (
    Assignment,
    CallAnswer,
    Feedback,
    PendingRequest,
    ServiceRequest,
    Status,
    SupplyEntry,
)
from tests.factories import CenterFactory, UserFactory
from tests.query_budget import assert_flat_queries

from .factories import CollectionSiteFactory, VolunteerFactory, code_sent_to, make_request, request_in_state

NEW = reverse("dispatch:create")


def _form(center, **extra):
    return {
        "category": "repairs",
        "community": center.community_id,
        "description": "厨房水龙头漏水，自己修不好。",
        "address": "3幢201",
        "contact_name": "王秀英",
        "contact_phone": "13700000021",
        "consent": "on",
        **extra,
    }


# ------------------------------------------------------------------ the public form
def test_form_page_offers_a_textarea_in_chinese(db, client):
    CenterFactory()
    page = client.get(NEW)
    text = page.content.decode()
    assert page.status_code == 200
    assert "<textarea" in text and 'method="post"' in text
    assert "我要服务" in text or "求助" in text


def test_invalid_submission_keeps_everything_typed_and_says_why_in_chinese(db, client):
    center = CenterFactory()
    typed = "求助测试-保留输入-7731 <b>粗体</b>"
    response = client.post(NEW, {"description": typed, "contact_name": "王秀英", "address": "5幢"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "求助测试-保留输入-7731 &lt;b&gt;粗体&lt;/b&gt;" in text  # kept, and escaped
    assert 'value="王秀英"' in text and 'value="5幢"' in text
    assert "请选择" in text or "选择" in text  # the category error, in Chinese
    assert "errorlist" in text
    assert center.community.name in text
    assert not ServiceRequest.objects.exists() and not PendingRequest.objects.exists()


def test_signed_in_resident_files_directly_and_sees_the_status(db, client):
    center = CenterFactory()
    resident = UserFactory()
    client.force_login(resident)
    response = client.post(NEW, _form(center, contact_phone=""), follow=True)
    request = ServiceRequest.objects.get()
    assert request.requester == resident and request.contact_phone == resident.phone
    text = response.content.decode()
    assert request.display_number in text and "厨房水龙头漏水" in text
    me = client.get(reverse("core:me")).content.decode()
    assert request.display_number in me and request.get_absolute_url() in me


def test_anonymous_resident_confirms_the_number_with_the_texted_code(
    db, client, django_capture_on_commit_callbacks
):
    center = CenterFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(NEW, _form(center))
    pending = PendingRequest.objects.get()
    assert response.status_code == 302 and str(pending.token) in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "137****0021" in page
    wrong = client.post(response["Location"], {"code": "12345"})
    assert wrong.status_code == 200 and "errorlist" in wrong.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(response["Location"], {"code": code_sent_to("13700000021")}, follow=True)
    request = ServiceRequest.objects.get()
    assert request.phone_confirmed and request.requester is None
    assert request.display_number in done.content.decode()


def test_a_draft_cannot_be_confirmed_from_another_browser(db, client):
    center = CenterFactory()
    client.post(NEW, _form(center))
    pending = PendingRequest.objects.get()
    client.cookies.clear()
    assert client.get(reverse("dispatch:confirm", args=[pending.token])).status_code == 404


def test_anonymous_submissions_hit_429_even_when_x_forwarded_for_changes(db, client):
    CenterFactory()
    statuses = []
    for i in range(15):
        response = client.post(NEW, {"description": f"垃圾提交{i}"}, HTTP_X_FORWARDED_FOR=f"10.9.{i}.{i}")
        statuses.append(response.status_code)
    assert statuses[:10] == [200] * 10
    assert set(statuses[10:]) == {429}
    last = response.content.decode()
    assert "垃圾提交14" in last  # still keeps what was typed
    assert "400-1155-866" in last and "太多" in last


def test_behind_a_trusted_proxy_the_client_address_comes_from_x_forwarded_for(db, client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    CenterFactory()
    for i in range(12):
        response = client.post(NEW, {"description": "x"}, HTTP_X_FORWARDED_FOR=f"spoof, 10.0.0.{i}")
        assert response.status_code == 200  # each is a different client
    for _ in range(10):
        client.post(NEW, {"description": "x"}, HTTP_X_FORWARDED_FOR="spoof, 10.0.0.99")
    assert client.post(NEW, {"description": "x"}, HTTP_X_FORWARDED_FOR="other, 10.0.0.99").status_code == 429


def test_one_mobile_number_gets_a_limited_number_of_codes(db, client, settings):
    settings.DISPATCH_LIMITS = {"ip": (100, 3600), "phone": (2, 3600)}
    center = CenterFactory()
    codes = [client.post(NEW, _form(center)).status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    assert PendingRequest.objects.count() == 2


def test_too_many_page_loads_from_one_address_answer_429(db, client, settings):
    settings.DISPATCH_LIMITS = {"view": (3, 600)}
    CenterFactory()
    assert [client.get(NEW).status_code for _ in range(4)] == [200, 200, 200, 429]


def test_uploaded_photo_is_stored_cleaned_and_shown_only_to_the_requester_and_staff(db, client, world):
    center = world.center_a
    resident = world.user("resident")
    client.force_login(resident)
    image = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(image, "PNG")
    upload = SimpleUploadedFile("我家.png", image.getvalue(), content_type="image/png")
    client.post(NEW, {**_form(center, contact_phone=""), "photo": upload})
    request = ServiceRequest.objects.get()
    assert request.photo.name.endswith(".jpg") and "我家" not in request.photo.name
    photo_url = reverse("dispatch:photo", args=[request.public_id])
    assert client.get(photo_url).status_code == 200
    client.force_login(world.user("worker"))
    assert client.get(photo_url).status_code == 200
    client.logout()
    assert client.get(photo_url).status_code == 404


# ------------------------------------------------------------------ the status page and rating
def test_link_holder_sees_the_status_but_not_what_was_written(db, client):
    request = make_request(description="我家住在3幢，老人行动不便")
    response = client.get(request.get_absolute_url())
    page = response.content.decode()
    assert request.display_number in page and "待派单" in page
    assert "老人行动不便" not in page and "13700000001" not in page
    assert "no-store" in response["Cache-Control"]


def test_requester_follows_each_change_to_done_and_rates_it(db, client, world):
    resident = world.user("resident")
    worker = world.user("worker")
    request = make_request(world.center_a, requester=resident)
    site = CollectionSiteFactory(center=world.center_a, name="白鱼潭小蚂蚁共享学堂")
    client.force_login(worker)
    client.post(reverse("dispatch:desk_assign", args=[request.pk]), {"pick": f"site:{site.pk}"})
    client.post(reverse("dispatch:desk_status", args=[request.pk]), {"action": "start"})
    done = client.post(
        reverse("dispatch:desk_status", args=[request.pk]),
        {"action": "complete", "note": "已修好"},
        follow=True,
    )
    assert "已标记为完成" in done.content.decode()  # the desk speaks Chinese too
    client.force_login(resident)
    page = client.get(request.get_absolute_url()).content.decode()
    for label in ("已指派", "处理中", "已完成"):
        assert label in page
    assert "白鱼潭小蚂蚁共享学堂" in page and 'name="rating"' in page
    response = client.post(
        reverse("dispatch:rate", args=[request.public_id]), {"rating": "5", "comment": "很及时"}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.feedback.rating == 5 and request.feedback.source == "online"
    assert "5 / 5" in client.get(request.get_absolute_url()).content.decode()


def test_someone_else_cannot_rate_a_residents_request(db, client):
    request = request_in_state(Status.DONE, requester=UserFactory())
    client.force_login(UserFactory())
    response = client.post(reverse("dispatch:rate", args=[request.public_id]), {"rating": "1"})
    assert response.status_code == 403
    assert not Feedback.objects.filter(request=request).exists()


def test_an_invalid_rating_keeps_the_comment(db, client):
    resident = UserFactory()
    request = request_in_state(Status.DONE, requester=resident)
    client.force_login(resident)
    response = client.post(reverse("dispatch:rate", args=[request.public_id]), {"comment": "还不错-4321"})
    assert response.status_code == 200 and "还不错-4321" in response.content.decode()


# ------------------------------------------------------------------ the desk
def test_worker_sees_only_own_centers_requests_on_the_desk(db, client, world):
    mine = make_request(world.center_a, description="本中心的求助")
    theirs = make_request(world.center_b, description="别的中心的求助")
    client.force_login(world.user("worker"))
    page = client.get(reverse("dispatch:desk")).content.decode()
    assert mine.display_number in page and theirs.display_number not in page
    assert client.get(reverse("dispatch:desk_detail", args=[theirs.pk])).status_code == 404


def test_the_desk_sends_a_new_request_to_its_assign_page(db, client, world):
    request = make_request(world.center_a)
    client.force_login(world.user("worker"))
    page = client.get(reverse("dispatch:desk_detail", args=[request.pk])).content.decode()
    assert reverse("dispatch:desk_assign", args=[request.pk]) in page and "选择接单人" in page


def test_assign_page_suggests_volunteers_serving_the_community_and_assigns_the_one_picked(db, client, world):
    from .factories import SkillFactory

    request = make_request(world.center_a, category="repairs")
    fixer = VolunteerFactory(center=world.center_a, skills=[SkillFactory(name="家电维修")])
    client.force_login(world.user("worker"))
    url = reverse("dispatch:desk_assign", args=[request.pk])
    page = client.get(url).content.decode()
    assert str(fixer) in page and "家电维修" in page and f'value="volunteer:{fixer.pk}"' in page
    response = client.post(url, {"pick": f"volunteer:{fixer.pk}", "note": "下午两点前"})
    assert response.status_code == 302 and response["Location"] == request.get_desk_url()
    assignment = Assignment.objects.get(request=request)
    assert assignment.volunteer == fixer and assignment.note == "下午两点前"


def test_assign_page_finds_a_volunteer_by_name(db, client, world):
    request = make_request(world.center_a)
    named = VolunteerFactory(center=world.center_a, user=UserFactory(real_name="钱阿姨"))
    VolunteerFactory(center=world.center_a, user=UserFactory(real_name="孙叔叔"))
    client.force_login(world.user("worker"))
    page = client.get(reverse("dispatch:desk_assign", args=[request.pk]), {"q": "钱阿"}).content.decode()
    assert f'value="volunteer:{named.pk}"' in page and "孙叔叔" not in page
    assert 'value="钱阿"' in page  # the search box keeps what was typed


@pytest.mark.parametrize(
    "pick", ["volunteer:²", "volunteer:abc", "x:1", "volunteer:", "", "site:99999999999999999999"]
)
def test_a_malformed_choice_is_refused_with_a_message(db, client, world, pick):
    request = make_request(world.center_a)
    client.force_login(world.user("worker"))
    response = client.post(reverse("dispatch:desk_assign", args=[request.pk]), {"pick": pick, "note": "n-1"})
    assert response.status_code == 200
    assert "请选择把求助派给谁" in response.content.decode() and "n-1" in response.content.decode()
    assert not Assignment.objects.filter(request=request).exists()


def test_part_of_a_phone_number_finds_no_volunteer_and_the_whole_number_does(db, client, world):
    request = make_request(world.center_a)
    volunteer = VolunteerFactory(center=world.center_a, user=UserFactory(phone="13912345678"))
    client.force_login(world.user("worker"))
    url = reverse("dispatch:desk_assign", args=[request.pk])
    assert f'value="volunteer:{volunteer.pk}"' not in client.get(url, {"q": "1391234"}).content.decode()
    assert f'value="volunteer:{volunteer.pk}"' in client.get(url, {"q": "13912345678"}).content.decode()


def test_a_volunteer_whose_account_is_disabled_cannot_be_assigned(db, client, world):
    request = make_request(world.center_a)
    volunteer = VolunteerFactory(center=world.center_a, user=UserFactory(is_active=False))
    client.force_login(world.user("worker"))
    response = client.post(
        reverse("dispatch:desk_assign", args=[request.pk]), {"pick": f"volunteer:{volunteer.pk}"}
    )
    assert response.status_code == 200 and "这个选项已不可用" in response.content.decode()
    assert not Assignment.objects.filter(request=request).exists()


def test_assigning_without_choosing_says_what_is_missing(db, client, world):
    request = make_request(world.center_a)
    client.force_login(world.user("worker"))
    response = client.post(reverse("dispatch:desk_assign", args=[request.pk]), {"note": "尽快-99"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "尽快-99" in page and "请选择把求助派给谁" in page
    assert ServiceRequest.objects.get(pk=request.pk).status == Status.NEW


def test_a_pick_outside_the_workers_centers_is_refused_and_keeps_the_note(db, client, world):
    request = make_request(world.center_a)
    elsewhere = CollectionSiteFactory(center=world.center_b)
    client.force_login(world.user("worker"))
    response = client.post(
        reverse("dispatch:desk_assign", args=[request.pk]), {"pick": f"site:{elsewhere.pk}", "note": "备注-7"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "备注-7" in page and "这个选项已不可用" in page
    assert not Assignment.objects.filter(request=request).exists()


def test_an_assigned_request_goes_back_to_the_desk_with_a_message(db, client, world):
    request = request_in_state(Status.ASSIGNED, world.center_a)
    client.force_login(world.user("worker"))
    response = client.get(reverse("dispatch:desk_assign", args=[request.pk]), follow=True)
    assert response.redirect_chain[-1][0] == request.get_desk_url()
    assert "已经派单或已关闭" in response.content.decode()


def test_assign_page_query_count_does_not_grow_with_candidates(db, client, world):
    from tests.query_budget import count_data_queries

    from .factories import ServiceVehicleFactory, TeamFactory

    request = make_request(world.center_a, category="repairs")
    client.force_login(world.user("worker"))
    url = reverse("dispatch:desk_assign", args=[request.pk])

    def add(n):
        for _ in range(n):
            VolunteerFactory(center=world.center_a)
            TeamFactory(center=world.center_a)
            CollectionSiteFactory(center=world.center_a)
            ServiceVehicleFactory(center=world.center_a)

    add(1)
    few, _ = count_data_queries(client, url)
    add(10)
    many, response = count_data_queries(client, url)
    assert few == many <= 8
    assert response.content.decode().count('name="pick"') == 4 * 6


def test_staff_record_a_hotline_request_for_a_resident(db, client, world):
    client.force_login(world.user("worker"))
    response = client.post(
        reverse("dispatch:desk_create"),
        {
            "channel": "hotline",
            "category": "elderly_help",
            "community": world.center_a.community_id,
            "description": "独居老人需要代买菜",
            "contact_name": "李奶奶",
            "contact_phone": "13700000031",
        },
    )
    request = ServiceRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == request.get_desk_url()
    assert request.channel == "hotline" and request.recorded_by == world.user("worker")


def test_a_request_recorded_at_a_site_needs_the_site(db, client, world):
    client.force_login(world.user("worker"))
    response = client.post(
        reverse("dispatch:desk_create"),
        {
            "channel": "site",
            "category": "repairs",
            "community": world.center_a.community_id,
            "description": "楼道灯坏了很久",
            "contact_name": "陆阿婆",
            "contact_phone": "13700000032",
        },
    )
    assert response.status_code == 200 and "楼道灯坏了很久" in response.content.decode()
    assert not ServiceRequest.objects.exists()


def test_desk_list_query_count_does_not_grow_with_requests(db, client, world):
    client.force_login(world.user("worker"))

    def add(n):
        for _ in range(n):
            request_in_state(Status.ASSIGNED, world.center_a)

    assert_flat_queries(client, reverse("dispatch:desk"), add, large=20)


def test_status_and_me_pages_query_counts_do_not_grow_with_history(db, client):
    resident = UserFactory()
    client.force_login(resident)
    first = make_request(requester=resident)

    def add(n):
        for _ in range(n):
            request_in_state(Status.DONE, first.center, requester=resident)

    client.get(reverse("core:me"))  # warm up: other apps' sections load once per process
    assert_flat_queries(client, reverse("core:me"), add, large=15)
    assert_flat_queries(client, first.get_absolute_url(), lambda n: None)


def test_site_list_query_count_does_not_grow(db, client):
    assert_flat_queries(
        client, reverse("dispatch:site_list"), lambda n: CollectionSiteFactory.create_batch(n), large=20
    )


# ------------------------------------------------------------------ volunteers and team leaders
def test_volunteer_accepts_a_task_and_reports_it_done(db, client, world):
    volunteer = VolunteerFactory(user=world.user("volunteer"), center=world.center_a)
    request = make_request(world.center_a, requester=world.user("resident"))
    from dispatch import services

    assignment = services.assign_request(request=request, by=world.user("worker"), volunteer=volunteer)
    client.force_login(world.user("volunteer"))
    page = client.get(reverse("dispatch:task_list")).content.decode()
    assert request.display_number in page and request.description in page
    me = client.get(reverse("core:me")).content.decode()  # a count with a link to the task list
    assert "进行中任务 1 个" in me and "1 个等待您答复" in me and reverse("dispatch:task_list") in me
    client.post(reverse("dispatch:task_answer", args=[assignment.pk]), {"answer": "accept"})
    client.post(reverse("dispatch:task_status", args=[assignment.pk]), {"action": "start"})
    client.post(reverse("dispatch:task_status", args=[assignment.pk]), {"action": "complete"})
    request.refresh_from_db()
    assert request.status == Status.DONE


def test_task_list_query_count_does_not_grow(db, client, world):
    from dispatch import services

    volunteer = VolunteerFactory(user=world.user("volunteer"), center=world.center_a)

    def add(n):
        for _ in range(n):
            services.assign_request(
                request=make_request(world.center_a), by=world.user("worker"), volunteer=volunteer
            )

    client.force_login(world.user("volunteer"))
    assert_flat_queries(client, reverse("dispatch:task_list"), add, large=15)


def test_a_volunteer_cannot_answer_someone_elses_task(db, client, world):
    from dispatch import services

    other = VolunteerFactory(center=world.center_a)
    assignment = services.assign_request(
        request=make_request(world.center_a), by=world.user("worker"), volunteer=other
    )
    VolunteerFactory(user=world.user("volunteer"), center=world.center_a)
    client.force_login(world.user("volunteer"))
    assert (
        client.post(reverse("dispatch:task_answer", args=[assignment.pk]), {"answer": "accept"}).status_code
        == 404
    )


# ------------------------------------------------------------------ mobilisation and supplies
def test_staff_broadcast_a_call_and_volunteers_answer_on_the_roster(db, client, world):
    volunteer = VolunteerFactory(user=world.user("volunteer"), center=world.center_a)
    client.force_login(world.user("worker"))
    response = client.post(
        reverse("dispatch:mobilisation_list"),
        {
            "center": world.center_a.pk,
            "title": "防疫卡口值守",
            "message": "今晚18:00东门卡口",
            "needed": "2",
            "answer_within_minutes": "30",
        },
    )
    assert response.status_code == 302
    call_url = response["Location"]
    client.force_login(world.user("volunteer"))
    answer_url = reverse("dispatch:call_answer", args=[call_url.rstrip("/").split("/")[-1]])
    assert "防疫卡口值守" in client.get(answer_url).content.decode()
    client.post(answer_url, {"answer": "coming"})
    assert CallAnswer.objects.get(volunteer=volunteer).answer == "coming"
    client.force_login(world.user("worker"))
    roster = client.get(call_url).content.decode()
    assert str(volunteer) in roster and "1" in roster


def test_mobilisation_roster_query_count_does_not_grow(db, client, world):
    from dispatch import services

    VolunteerFactory(center=world.center_a)
    call = services.start_mobilisation(
        center=world.center_a,
        title="防疫",
        message="值守",
        created_by=world.user("worker"),
        needed=5,
        answer_within_minutes=30,
    )

    def add(n):
        for _ in range(n):
            CallAnswer.objects.create(
                mobilisation=call, volunteer=VolunteerFactory(center=world.center_a), wave=1
            )

    client.force_login(world.user("worker"))
    assert_flat_queries(client, call.get_absolute_url(), add, large=15)


def test_supplies_page_records_donations_and_refuses_handing_out_more_than_stock(db, client, world):
    client.force_login(world.user("worker"))
    url = reverse("dispatch:supply_list")
    base = {"center": world.center_a.pk, "item": "口罩", "unit": "个", "party": "慈善总会"}
    assert client.post(url, {**base, "direction": "received", "quantity": "100"}).status_code == 302
    response = client.post(url, {**base, "direction": "distributed", "quantity": "150"})
    assert response.status_code == 200 and "100" in response.content.decode()
    assert SupplyEntry.objects.count() == 1
    assert "口罩" in client.get(url).content.decode()


@pytest.mark.parametrize("role", ["resident", "volunteer"])
def test_residents_and_volunteers_are_kept_off_the_desk(db, client, world, role):
    client.force_login(world.user(role))
    assert client.get(reverse("dispatch:desk")).status_code == 403


def test_street_staff_see_the_requests_of_every_center_in_their_street(db, client, world):
    sibling = CenterFactory(community__street=world.center_a.street)
    request = make_request(sibling)
    client.force_login(world.user("street"))
    assert request.display_number in client.get(reverse("dispatch:desk")).content.decode()
    grant_role(user=UserFactory(), role=Role.SOCIAL_WORKER, center=sibling)


def test_desk_detail_stays_within_eight_queries_however_many_assignments(db, client, world):
    """Feedback in the request's own query; the active assignment taken from all of them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dispatch import services

    request = make_request(world.center_a, description="水管漏水")
    worker = world.user("worker")
    client.force_login(worker)
    url = reverse("dispatch:desk_detail", args=[request.pk])
    control = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")

    def reassign(n):
        for _ in range(n):
            assignment = services.assign_request(
                request=request, by=worker, volunteer=VolunteerFactory(center=world.center_a)
            )
            services.answer_assignment(assignment=assignment, accept=False, by=worker, note="没空")

    counts = []
    for n in (1, 12):
        reassign(n)
        active = services.assign_request(
            request=request, by=worker, volunteer=VolunteerFactory(center=world.center_a)
        )
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(url)
        counts.append(
            sum(1 for q in ctx.captured_queries if not q["sql"].lstrip().upper().startswith(control))
        )
        assert page.context["active"] == active
        assert len(page.context["assignments"]) == Assignment.objects.filter(request=request).count()
        services.answer_assignment(assignment=active, accept=False, by=worker, note="")
    assert counts[0] == counts[1] <= 8, counts

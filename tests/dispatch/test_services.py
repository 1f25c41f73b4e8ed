import datetime as dt
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from PIL import Image

from core.models import Center, Role
from core.services import grant_role
from dispatch import services
from dispatch.models import (
    Assignment,
    Category,
    Channel,
    DispatchReminder,
    Feedback,
    PendingRequest,
    ServiceRequest,
    Status,
    StatusChange,
    SupplyEntry,
)
from dispatch.photos import clean_photo
from tests.factories import CenterFactory, CommunityFactory, UserFactory

from .factories import (
    CollectionSiteFactory,
    ServiceVehicleFactory,
    code_sent_to,
    make_pending,
    make_request,
    request_in_state,
)


# ------------------------------------------------------------------ filing
def test_filed_request_is_new_waiting_and_handled_by_the_communitys_center(db):
    center = CenterFactory()
    resident = UserFactory()
    request = make_request(center, requester=resident)
    assert request.status == Status.NEW
    assert request.center == center and request.community == center.community
    assert request.waiting_since is not None
    assert request.contact_phone == resident.phone
    assert len(request.number) == 12
    assert [(c.from_status, c.to_status) for c in request.history.all()] == [("", Status.NEW)]


def test_community_without_its_own_center_goes_to_its_streets_center(db):
    street_center = Center.objects.create(
        name="测试街道中心", slug="street-c", level=Center.Level.STREET, street=CommunityFactory().street
    )
    lonely = CommunityFactory(street=street_center.street)
    request = services.submit_request(
        category=Category.OTHER, description="需要帮助一下", community=lonely, contact_phone="13700000002"
    )
    assert request.center == street_center


def test_community_no_center_serves_is_refused_with_a_reason(db):
    with pytest.raises(ValidationError) as exc:
        services.submit_request(
            category=Category.OTHER,
            description="需要帮助一下",
            community=CommunityFactory(),
            contact_phone="13700000002",
        )
    assert "community" in exc.value.message_dict


def test_residents_hear_that_their_request_was_received(db, on_commit, outbox):
    with on_commit():
        request = make_request(phone="13700000003")
    assert any(to == "13700000003" and request.display_number in body for to, body in outbox)
    assert StatusChange.objects.get(request=request).notified_at is not None


def test_staff_recording_a_hotline_call_links_the_callers_account(db):
    caller = UserFactory(phone="13700000004")
    worker = UserFactory()
    center = CenterFactory()
    request = services.submit_request(
        category=Category.ELDERLY_HELP,
        description="老人需要上门量血压",
        community=center.community,
        contact_name="王大爷",
        contact_phone="13700000004",
        channel=Channel.HOTLINE,
        recorded_by=worker,
    )
    assert request.requester == caller
    assert request.recorded_by == worker
    assert request.channel == Channel.HOTLINE


def test_collection_site_channel_needs_the_site(db):
    center = CenterFactory()
    with pytest.raises(ValidationError):
        make_request(center, channel=Channel.COLLECTION_SITE, recorded_by=UserFactory())
    site = CollectionSiteFactory(center=center)
    request = make_request(
        center, channel=Channel.COLLECTION_SITE, collection_site=site, recorded_by=UserFactory()
    )
    assert request.collection_site == site


# ------------------------------------------------------------------ SMS code
def test_code_is_texted_and_only_its_hash_is_kept(db):
    pending, code = make_pending()
    assert len(code) == 6
    assert code not in pending.code_hash
    assert not ServiceRequest.objects.exists()


def test_right_code_turns_the_draft_into_a_confirmed_request(db):
    pending, code = make_pending()
    request = services.confirm_pending_request(pending=pending, code=code)
    assert request.phone_confirmed and request.contact_phone == pending.phone
    assert request.category == Category.ELDERLY_HELP and request.contact_name == "李阿姨"
    assert services.confirm_pending_request(pending=pending, code=code) == request  # twice: same request


def test_wrong_codes_are_counted_and_lock_the_draft_after_five(db):
    pending, code = make_pending()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(ValidationError):
            services.confirm_pending_request(pending=pending, code=wrong)
    pending.refresh_from_db()
    assert pending.attempts == 5
    with pytest.raises(ValidationError) as exc:
        services.confirm_pending_request(pending=pending, code=code)
    assert exc.value.code == "attempts"
    assert not ServiceRequest.objects.exists()


def test_expired_code_is_refused(db):
    pending, code = make_pending()
    PendingRequest.objects.filter(pk=pending.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(ValidationError) as exc:
        services.confirm_pending_request(pending=pending, code=code)
    assert exc.value.code == "expired"


def test_new_code_only_after_a_minute_and_replaces_the_old(db, on_commit):
    pending, old = make_pending()
    with pytest.raises(ValidationError):
        services.resend_code(pending=pending)
    PendingRequest.objects.filter(pk=pending.pk).update(code_sent_at=timezone.now() - dt.timedelta(minutes=2))
    with on_commit():
        services.resend_code(pending=pending)
    new = code_sent_to(pending.phone)
    if new != old:
        with pytest.raises(ValidationError):
            services.confirm_pending_request(pending=pending, code=old)
    assert services.confirm_pending_request(pending=pending, code=new).phone_confirmed


def test_unconfirmed_drafts_are_purged_after_a_day(db):
    pending, _code = make_pending()
    PendingRequest.objects.filter(pk=pending.pk).update(created_at=timezone.now() - dt.timedelta(days=2))
    assert services.purge_pending_requests() == 1
    assert not PendingRequest.objects.exists()


# ------------------------------------------------------------------ dispatching
def test_assigning_a_new_request_waits_for_the_assignees_answer(db):
    request = make_request()
    site = CollectionSiteFactory(center=request.center)
    assignment = services.assign_request(request=request, by=UserFactory(), site=site)
    request.refresh_from_db()
    assert request.status == Status.ASSIGNED and request.assigned_at and request.waiting_since is None
    assert assignment.response == Assignment.Response.PENDING and assignment.assignee == site


def test_a_request_is_assigned_once_until_taken_back(db):
    request = make_request()
    staff = UserFactory()
    services.assign_request(request=request, by=staff, vehicle=ServiceVehicleFactory())
    with pytest.raises(ValidationError) as exc:
        services.assign_request(request=request, by=staff, vehicle=ServiceVehicleFactory())
    assert exc.value.code == "not_new"
    services.withdraw_assignment(request=request, by=staff)
    services.assign_request(request=request, by=staff, vehicle=ServiceVehicleFactory())
    assert Assignment.objects.filter(request=request, response__in=Assignment.ACTIVE).count() == 1


def test_assigning_needs_exactly_one_active_assignee(db):
    request = make_request()
    with pytest.raises(ValidationError):
        services.assign_request(request=request, by=UserFactory())
    with pytest.raises(ValidationError):
        services.assign_request(
            request=request, by=UserFactory(), site=CollectionSiteFactory(), vehicle=ServiceVehicleFactory()
        )
    with pytest.raises(ValidationError) as exc:
        services.assign_request(
            request=request, by=UserFactory(), site=CollectionSiteFactory(is_active=False)
        )
    assert exc.value.code == "inactive"


def test_declining_puts_the_request_back_in_the_queue(db):
    request = make_request()
    assignment = services.assign_request(request=request, by=UserFactory(), site=CollectionSiteFactory())
    services.answer_assignment(assignment=assignment, accept=False, by=UserFactory(), note="人手不够")
    request.refresh_from_db()
    assignment.refresh_from_db()
    assert request.status == Status.NEW and request.waiting_since is not None
    assert assignment.response == Assignment.Response.DECLINED and assignment.responded_at
    with pytest.raises(ValidationError):
        services.answer_assignment(assignment=assignment, accept=True, by=UserFactory())


def test_each_step_to_done_is_time_stamped(db):
    request = request_in_state(Status.DONE)
    assert request.status == Status.DONE and request.closed_at and request.started_at and request.assigned_at
    steps = [c.to_status for c in request.history.all()]
    assert steps == [Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS, Status.DONE]
    times = [c.at for c in request.history.all()]
    assert times == sorted(times)
    assert Assignment.objects.get(request=request).response == Assignment.Response.ACCEPTED


def test_moves_outside_the_state_machine_are_refused(db):
    request = make_request()
    with pytest.raises(ValidationError):
        services.complete_request(request=request, by=UserFactory())
    with pytest.raises(ValidationError):
        services.start_request(request=request, by=UserFactory())
    done = request_in_state(Status.DONE)
    with pytest.raises(ValidationError):
        services.close_request_as_impossible(request=done, by=UserFactory(), note="x")


def test_cannot_be_done_needs_a_reason_for_the_resident(db):
    request = make_request()
    with pytest.raises(ValidationError):
        services.close_request_as_impossible(request=request, by=UserFactory(), note=" ")
    closed = services.close_request_as_impossible(
        request=request, by=UserFactory(), note="需本人到派出所办理"
    )
    assert closed.status == Status.CANNOT_BE_DONE and closed.closing_note == "需本人到派出所办理"


def test_database_refuses_a_closed_request_without_its_time(db):
    request = make_request()
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceRequest.objects.filter(pk=request.pk).update(status=Status.DONE)


def test_database_refuses_two_active_assignments(db):
    request = request_in_state(Status.ASSIGNED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(
            request=request, kind=Assignment.Kind.VEHICLE, vehicle=ServiceVehicleFactory()
        )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_assigning_at_once_give_the_request_to_one():
    """On PostgreSQL the row lock serialises them; SQLite's BEGIN IMMEDIATE does the same."""
    import threading

    from django.db import connection

    request = make_request()
    sites = [CollectionSiteFactory(center=request.center), CollectionSiteFactory(center=request.center)]
    staff = UserFactory()
    outcomes = []

    def assign(site):
        try:
            services.assign_request(request=request, by=staff, site=site)
            outcomes.append("assigned")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=assign, args=(site,)) for site in sites]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["assigned", "refused"]
    assert Assignment.objects.filter(request=request).count() == 1


# ------------------------------------------------------------------ feedback
def test_done_request_is_rated_once(db):
    request = request_in_state(Status.DONE)
    feedback = services.record_feedback(
        request=request, rating=5, comment="很满意", source=Feedback.Source.ONLINE
    )
    assert feedback.rating == 5
    with pytest.raises(ValidationError) as exc:
        services.record_feedback(request=request, rating=4, source=Feedback.Source.STAFF)
    assert exc.value.code == "rated"


def test_only_done_requests_are_rated_and_only_from_1_to_5(db):
    with pytest.raises(ValidationError):
        services.record_feedback(request=make_request(), rating=5, source=Feedback.Source.ONLINE)
    with pytest.raises(ValidationError):
        services.record_feedback(
            request=request_in_state(Status.DONE), rating=6, source=Feedback.Source.ONLINE
        )


# ------------------------------------------------------------------ reminders
def _age(request, hours):
    ServiceRequest.objects.filter(pk=request.pk).update(
        waiting_since=timezone.now() - dt.timedelta(hours=hours)
    )


def test_unassigned_requests_remind_then_escalate_once(db, settings, on_commit):
    settings.DISPATCH_REMIND_AFTER_HOURS = 2
    settings.DISPATCH_ESCALATE_AFTER_HOURS = 8
    center = CenterFactory()
    worker = UserFactory(email="w@example.com")
    manager = UserFactory(email="m@example.com", phone="13700000011")
    street = UserFactory(email="s@example.com", phone="13700000012")
    grant_role(user=worker, role=Role.SOCIAL_WORKER, center=center)
    grant_role(user=manager, role=Role.CENTER_MANAGER, center=center)
    grant_role(user=street, role=Role.STREET_STAFF, street=center.street)
    fresh, waiting, late = make_request(center), make_request(center), make_request(center)
    _age(waiting, 3)
    _age(late, 9)
    request_in_state(Status.ASSIGNED, center)  # assigned ones are never reminded
    mail.outbox.clear()
    with on_commit():
        assert services.queue_dispatch_reminders() == 2
    with on_commit():
        assert services.queue_dispatch_reminders() == 0  # idempotent
    levels = dict(DispatchReminder.objects.values_list("request_id", "level"))
    assert levels == {waiting.pk: "remind", late.pk: "escalate"}
    assert fresh.pk not in levels
    recipients = {address for message in mail.outbox for address in message.to}
    assert {"w@example.com", "m@example.com", "s@example.com"} <= recipients
    assert DispatchReminder.objects.filter(sent_at__isnull=True).count() == 0


def test_a_declined_request_starts_a_new_waiting_spell(db, settings):
    settings.DISPATCH_REMIND_AFTER_HOURS = 2
    request = make_request()
    _age(request, 3)
    services.queue_dispatch_reminders()
    assignment = services.assign_request(request=request, by=UserFactory(), site=CollectionSiteFactory())
    services.answer_assignment(assignment=assignment, accept=False, by=UserFactory())
    _age(request, 4)
    assert services.queue_dispatch_reminders() == 1
    assert DispatchReminder.objects.filter(request=request, level="remind").count() == 2


# ------------------------------------------------------------------ supplies
def test_supplies_cannot_be_distributed_beyond_stock(db):
    from decimal import Decimal

    center = CenterFactory()
    worker = UserFactory()
    services.record_supplies(
        center=center, direction="received", item="口罩", unit="个", quantity=Decimal(100), recorded_by=worker
    )
    services.record_supplies(
        center=center,
        direction="distributed",
        item="口罩",
        unit="个",
        quantity=Decimal(60),
        recorded_by=worker,
    )
    with pytest.raises(ValidationError, match="40"):
        services.record_supplies(
            center=center,
            direction="distributed",
            item="口罩",
            unit="个",
            quantity=Decimal(41),
            recorded_by=worker,
        )
    assert SupplyEntry.objects.count() == 2


# ------------------------------------------------------------------ photos
def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), "blue")
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # camera maker
    exif[0x8825] = {2: (30.0, 52.0, 0.0)}  # GPS latitude
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_photos_are_re_encoded_without_exif(db):
    raw = _jpeg_with_gps()
    assert b"SecretCam" in raw
    cleaned = clean_photo(SimpleUploadedFile("我家地址.jpg", raw, content_type="image/jpeg"))
    data = cleaned.read()
    assert b"SecretCam" not in data
    assert not Image.open(io.BytesIO(data)).getexif()


@pytest.mark.parametrize(
    ("name", "content"),
    [("a.jpg", b"not an image at all"), ("a.html", b"<script>alert(1)</script>")],
)
def test_non_images_are_refused(db, name, content):
    with pytest.raises(ValidationError):
        clean_photo(SimpleUploadedFile(name, content))


def test_formats_outside_the_allow_list_and_huge_images_are_refused(db):
    gif = io.BytesIO()
    Image.new("RGB", (4, 4)).save(gif, "GIF")
    with pytest.raises(ValidationError) as exc:
        clean_photo(SimpleUploadedFile("a.gif", gif.getvalue()))
    assert exc.value.code == "format"
    big = io.BytesIO()
    Image.new("1", (6000, 5000)).save(big, "PNG")  # 30 megapixels, a small file
    with pytest.raises(ValidationError) as exc:
        clean_photo(SimpleUploadedFile("a.png", big.getvalue()))
    assert exc.value.code == "pixels"


def test_stored_photo_gets_a_server_generated_name(db):
    cleaned = clean_photo(SimpleUploadedFile("王秀英家.jpg", _jpeg_with_gps()))
    request = make_request(photo=cleaned)
    assert request.photo.name.startswith("requests/") and request.photo.name.endswith(".jpg")
    assert "王秀英" not in request.photo.name


# ------------------------------------------------------------------ emergency mobilisation
@pytest.fixture
def district(db):
    """Two centers in one street and one in another; volunteers with and without the skill."""
    from .factories import SkillFactory, TeamFactory, VolunteerFactory, join

    home = CenterFactory()
    sibling = CenterFactory(community__street=home.street)
    elsewhere = CenterFactory()
    medic = SkillFactory(name="医疗健康")
    team = TeamFactory(center=home)
    people = {
        "team_medic": VolunteerFactory(center=home, skills=[medic]),
        "home_plain": VolunteerFactory(center=home),
        "street_medic": VolunteerFactory(center=sibling, skills=[medic]),
        "street_plain": VolunteerFactory(center=sibling),
        "far": VolunteerFactory(center=elsewhere),
        "inactive": VolunteerFactory(center=home, skills=[medic], is_active=False),
    }
    join(people["team_medic"], team)
    return {"home": home, "team": team, "skill": medic, **people}


def _call(district, **kwargs):
    defaults = {
        "center": district["home"],
        "title": "疫情防控志愿者招募",
        "message": "卡口值守，今晚18:00",
        "created_by": UserFactory(),
        "needed": 2,
        "answer_within_minutes": 30,
        "team": district["team"],
        "skill": district["skill"],
    }
    return services.start_mobilisation(**{**defaults, **kwargs})


def _roster(call):
    return set(call.answers.values_list("volunteer_id", flat=True))


def test_call_goes_first_to_volunteers_matching_community_team_and_skill(district, on_commit, outbox):
    with on_commit():
        call = _call(district)
    assert _roster(call) == {district["team_medic"].pk}
    assert call.waves.get().group == "matching"
    assert any(to == district["team_medic"].user.phone and "疫情防控" in body for to, body in outbox)


def _overdue(call, minutes=31):
    from dispatch.models import Wave

    Wave.objects.filter(mobilisation=call).update(sent_at=timezone.now() - dt.timedelta(minutes=minutes))


def test_too_few_answers_in_time_widen_the_call_group_by_group(district):
    call = _call(district)
    assert services.escalate_mobilisation(call_id=call.pk, wave_number=1) is None  # not yet due
    _overdue(call)
    wave = services.escalate_mobilisation(call_id=call.pk, wave_number=1)
    assert wave.number == 2 and wave.group == "street_skill"
    assert _roster(call) == {district["team_medic"].pk, district["street_medic"].pk}
    assert services.escalate_mobilisation(call_id=call.pk, wave_number=1) is None  # that wave is past
    _overdue(call)
    assert services.escalate_mobilisation(call_id=call.pk, wave_number=2).group == "street"
    assert district["home_plain"].pk in _roster(call) and district["far"].pk not in _roster(call)
    _overdue(call)
    assert services.escalate_mobilisation(call_id=call.pk, wave_number=3).group == "district"
    assert district["far"].pk in _roster(call) and district["inactive"].pk not in _roster(call)
    _overdue(call)
    assert services.escalate_mobilisation(call_id=call.pk, wave_number=4) is None
    call.refresh_from_db()
    assert call.exhausted and call.wave == 4


def test_enough_coming_keeps_the_call_where_it_is(district):
    call = _call(district, needed=1)
    services.answer_call(call=call, volunteer=district["team_medic"], answer="coming")
    _overdue(call)
    assert services.escalate_due_mobilisations() == 0
    assert call.waves.count() == 1


def test_the_periodic_sweep_widens_overdue_calls_once(district):
    call = _call(district)
    _overdue(call)
    assert services.escalate_due_mobilisations() == 1
    assert services.escalate_due_mobilisations() == 0
    assert call.waves.count() == 2


def test_volunteers_answer_received_coming_or_cannot_and_only_on_their_calls(district):
    call = _call(district)
    row = services.answer_call(call=call, volunteer=district["team_medic"], answer="received")
    assert row.answer == "received" and row.answered_at
    assert (
        services.answer_call(call=call, volunteer=district["team_medic"], answer="coming").answer == "coming"
    )
    with pytest.raises(ValidationError):
        services.answer_call(call=call, volunteer=district["far"], answer="coming")
    services.close_mobilisation(call=call, by=UserFactory())
    with pytest.raises(ValidationError) as exc:
        services.answer_call(call=call, volunteer=district["team_medic"], answer="cannot")
    assert exc.value.code == "closed"

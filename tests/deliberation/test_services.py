"""The state machine, the vote rules and the public notice, against the database."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from centers.models import Booking, Space
from core.sms import MemorySmsBackend
from deliberation import services
from deliberation.models import (
    Ballot,
    FollowUp,
    MediationCase,
    Meeting,
    Notice,
    Objection,
    Party,
    Reminder,
    Transition,
    Vote,
)
from tests.factories import UserFactory

from .factories import (
    PDF_BYTES,
    MediationCaseFactory,
    decided_meeting,
    draft_meeting,
    final_meeting,
    held_meeting,
    notice_meeting,
    voting_meeting,
)

pytestmark = pytest.mark.django_db


def _png(size=(64, 48), fmt="PNG", exif=False) -> SimpleUploadedFile:
    out = io.BytesIO()
    image = Image.new("RGB", size, (30, 160, 80))
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "CameraMaker"  # Make
        kwargs["exif"] = data.tobytes()
    image.save(out, fmt, **kwargs)
    name = "site." + ("jpg" if fmt == "JPEG" else fmt.lower())
    return SimpleUploadedFile(name, out.getvalue(), content_type=f"image/{fmt.lower()}")


# ------------------------------------------------------------------ illegal moves
def test_an_illegal_move_is_refused_with_a_chinese_message_naming_both_statuses():
    meeting = draft_meeting()
    with pytest.raises(ValidationError) as refused:
        services.publish_notice(meeting=meeting, by=None)
    message = refused.value.messages[0]
    assert "草稿" in message and "最终方案" in message
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DRAFT
    assert not Transition.objects.filter(meeting=meeting).exists()


def test_votes_cannot_open_before_opinions_are_recorded():
    meeting = held_meeting()
    with pytest.raises(ValidationError):
        services.open_ballot(meeting=meeting, by=None)


def test_each_transition_is_logged_with_time_and_user_in_order():
    worker = UserFactory()
    meeting = notice_meeting(by=worker)
    steps = list(Transition.objects.filter(meeting=meeting).values_list("to_status", "by"))
    assert [s for s, _by in steps] == [
        "held",
        "opinions",
        "voting",
        "preliminary",
        "inspection",
        "final",
        "notice",
    ]
    assert {by for _s, by in steps} == {worker.pk}
    times = list(Transition.objects.filter(meeting=meeting).values_list("at", flat=True))
    assert times == sorted(times)


# ------------------------------------------------------------------ draft -> scheduled
def test_scheduling_needs_participants_and_a_chair():
    meeting = draft_meeting(parties=[])
    with pytest.raises(ValidationError, match="参会"):
        services.schedule_meeting(meeting=meeting, by=None)
    services.add_participant(meeting=meeting, party=Party.PRINCIPAL, name="沈阿林", by=None)
    with pytest.raises(ValidationError, match="主持"):
        services.schedule_meeting(meeting=meeting, by=None)


def test_scheduling_a_meeting_whose_start_has_passed_is_refused():
    meeting = draft_meeting(starts_at=timezone.now() - dt.timedelta(hours=1))
    with pytest.raises(ValidationError, match="开始时间已过"):
        services.schedule_meeting(meeting=meeting, by=None)


def test_scheduling_invites_every_participant_by_text_once(django_capture_on_commit_callbacks):
    meeting = draft_meeting(per_party=2)
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_meeting(meeting=meeting, by=None)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED
    assert len(MemorySmsBackend.outbox) == 8
    assert all(meeting.topic in body for _phone, body in MemorySmsBackend.outbox)
    assert Reminder.objects.filter(participant__meeting=meeting, kind=Reminder.Kind.INVITATION).count() == 8
    assert not meeting.participants.filter(invited_at__isnull=True).exists()


def test_scheduling_books_the_space_through_centers_and_refuses_an_overlap():
    meeting = draft_meeting()
    hall = Space.objects.create(center=meeting.center, name="议事厅", kind=Space.Kind.DELIBERATION_HALL)
    meeting.space = hall
    meeting.save()
    services.schedule_meeting(meeting=meeting, by=None)
    booking = Booking.objects.get(space=hall)
    assert booking.starts_at == meeting.starts_at and meeting.booking == booking

    clash = draft_meeting(center=meeting.center, starts_at=meeting.starts_at + dt.timedelta(minutes=30))
    clash.space = hall
    clash.save()
    with pytest.raises(ValidationError):
        services.schedule_meeting(meeting=clash, by=None)
    clash.refresh_from_db()
    assert clash.status == Meeting.Status.DRAFT


def test_cancelling_a_scheduled_meeting_frees_its_space():
    meeting = draft_meeting()
    meeting.space = Space.objects.create(center=meeting.center, name="议事厅")
    meeting.save()
    services.schedule_meeting(meeting=meeting, by=None)
    services.cancel_meeting(meeting=meeting, reason="台风", by=None)
    assert Booking.objects.get().cancelled_at is not None
    assert Meeting.objects.get().status == Meeting.Status.CANCELLED


def test_a_space_of_another_center_is_refused():
    meeting = draft_meeting()
    other = draft_meeting()
    meeting.space = Space.objects.create(center=other.center, name="议事厅")
    with pytest.raises(ValidationError):
        meeting.full_clean()


def test_a_participant_added_after_scheduling_is_invited_at_once(django_capture_on_commit_callbacks):
    meeting = draft_meeting()
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_meeting(meeting=meeting, by=None)
    MemorySmsBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.add_participant(
            meeting=meeting, party=Party.RESOURCE, name="陆海峰", phone="13855556666", by=None
        )
    assert [phone for phone, _body in MemorySmsBackend.outbox] == ["13855556666"]


# ------------------------------------------------------------------ held
def test_attendance_cannot_be_recorded_before_the_meeting_starts():
    meeting = draft_meeting()
    services.schedule_meeting(meeting=meeting, by=None)
    with pytest.raises(ValidationError, match="还没有开始"):
        services.record_attendance(meeting=meeting, present=[meeting.participants.first().pk], by=None)


def test_attendance_marks_who_came_and_who_did_not():
    meeting = held_meeting(absent=[Party.RESOURCE])
    assert meeting.status == Meeting.Status.HELD
    assert set(meeting.participants.filter(attended=False).values_list("party", flat=True)) == {
        Party.RESOURCE
    }


def test_only_an_attending_participant_may_speak():
    meeting = held_meeting(absent=[Party.RESOURCE])
    absent = meeting.participants.get(party=Party.RESOURCE)
    with pytest.raises(ValidationError):
        services.add_opinion(meeting=meeting, speaker=absent, text="我没来", by=None)


def test_an_opinion_takes_its_speakers_party_and_categories():
    meeting = held_meeting()
    speaker = meeting.participants.get(party=Party.RESOURCE)
    opinion = services.add_opinion(
        meeting=meeting, speaker=speaker, text="北门有现成管线", categories=["选址，设施、选址"], by=None
    )
    assert opinion.party == Party.RESOURCE
    assert sorted(c.name for c in opinion.categories.all()) == ["设施", "选址"]


def test_finishing_opinions_needs_at_least_one():
    meeting = held_meeting()
    with pytest.raises(ValidationError):
        services.finish_opinions(meeting=meeting, by=None)


# ------------------------------------------------------------------ the vote
def test_the_option_with_most_votes_becomes_the_preliminary_plan():
    meeting = decided_meeting(per_party=2)
    ballot = meeting.ballots.get()
    assert ballot.outcome == Ballot.Outcome.DECIDED
    assert meeting.status == Meeting.Status.PRELIMINARY
    assert meeting.chosen_option == ballot.winner
    assert ballot.winner.title in meeting.preliminary_plan


def test_a_participant_votes_once_and_a_repeated_identical_vote_changes_nothing():
    meeting = voting_meeting()
    ballot = meeting.ballots.get()
    voter = meeting.participants.first()
    first, second = ballot.options.order_by("id")
    vote, created = services.cast_vote(ballot=ballot, participant=voter, option=first, by=None)
    again, created_again = services.cast_vote(ballot=ballot, participant=voter, option=first, by=None)
    assert created and not created_again and vote == again
    with pytest.raises(ValidationError, match="每人一票"):
        services.cast_vote(ballot=ballot, participant=voter, option=second, by=None)
    assert Vote.objects.filter(ballot=ballot, participant=voter).count() == 1


def test_the_database_refuses_a_second_vote_by_the_same_participant():
    from django.db import IntegrityError, transaction

    meeting = voting_meeting()
    ballot = meeting.ballots.get()
    voter = meeting.participants.first()
    Vote.objects.create(ballot=ballot, participant=voter, option=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(ballot=ballot, participant=voter, option=ballot.options.first())


def test_an_absent_participant_cannot_vote():
    meeting = voting_meeting(absent=[Party.RESOURCE])
    ballot = meeting.ballots.get()
    absent = meeting.participants.get(party=Party.RESOURCE)
    with pytest.raises(ValidationError, match="出席"):
        services.cast_vote(ballot=ballot, participant=absent, option=None, by=None)


def test_a_vote_for_an_option_outside_the_round_is_refused():
    meeting = voting_meeting()
    other = voting_meeting()
    ballot = meeting.ballots.get()
    with pytest.raises(ValidationError):
        services.cast_vote(
            ballot=ballot, participant=meeting.participants.first(), option=other.options.first(), by=None
        )


def test_a_tie_decides_nothing_and_the_run_off_has_only_the_tied_options():
    meeting = voting_meeting(options=("北门", "南门", "东门"), per_party=1)
    ballot = meeting.ballots.get()
    north, south, east = ballot.options.order_by("id")
    voters = list(meeting.participants.order_by("id"))
    for voter, option in zip(voters, [north, south, north, south], strict=True):
        services.cast_vote(ballot=ballot, participant=voter, option=option, by=None)
    ballot = services.close_ballot(ballot=ballot, by=None)
    meeting.refresh_from_db()
    assert ballot.outcome == Ballot.Outcome.TIE and ballot.winner is None
    assert meeting.status == Meeting.Status.VOTING and meeting.chosen_option is None

    runoff = services.open_ballot(meeting=meeting, by=None)
    assert runoff.number == 2
    assert set(runoff.options.all()) == {north, south}
    with pytest.raises(ValidationError):
        services.cast_vote(ballot=runoff, participant=voters[0], option=east, by=None)


def test_abstentions_count_for_the_quorum_but_not_for_the_majority():
    meeting = voting_meeting(per_party=1)  # 4 attend, quorum 50% = 2 ballots
    ballot = meeting.ballots.get()
    first = ballot.options.order_by("id").first()
    voters = list(meeting.participants.order_by("id"))
    services.cast_vote(ballot=ballot, participant=voters[0], option=first, by=None)
    services.cast_vote(ballot=ballot, participant=voters[1], option=None, by=None)
    ballot = services.close_ballot(ballot=ballot, by=None)
    assert ballot.outcome == Ballot.Outcome.DECIDED and ballot.winner == first


def test_a_round_below_the_quorum_decides_nothing_and_is_repeated_with_the_same_options():
    meeting = voting_meeting(per_party=2)  # 8 attend: 4 ballots needed
    ballot = meeting.ballots.get()
    first = ballot.options.order_by("id").first()
    for voter in meeting.participants.order_by("id")[:3]:
        services.cast_vote(ballot=ballot, participant=voter, option=first, by=None)
    ballot = services.close_ballot(ballot=ballot, by=None)
    assert ballot.quorum == 4 and ballot.outcome == Ballot.Outcome.NO_QUORUM
    again = services.open_ballot(meeting=meeting, by=None)
    assert set(again.options.all()) == set(ballot.options.all())


def test_nobody_voting_for_any_option_is_no_decision():
    meeting = voting_meeting(per_party=1)
    ballot = meeting.ballots.get()
    for voter in meeting.participants.all():
        services.cast_vote(ballot=ballot, participant=voter, option=None, by=None)
    assert services.close_ballot(ballot=ballot, by=None).outcome == Ballot.Outcome.TIE


def test_a_closed_round_takes_no_more_votes_and_cannot_be_closed_twice():
    meeting = decided_meeting()
    ballot = meeting.ballots.get()
    with pytest.raises(ValidationError):
        services.cast_vote(ballot=ballot, participant=meeting.participants.first(), option=None, by=None)
    with pytest.raises(ValidationError):
        services.close_ballot(ballot=ballot, by=None)


def test_a_vote_needs_two_options():
    meeting = held_meeting()
    services.add_opinion(meeting=meeting, speaker=meeting.participants.first(), text="放在北门", by=None)
    services.finish_opinions(meeting=meeting, by=None)
    services.add_option(meeting=meeting, title="北门", by=None)
    with pytest.raises(ValidationError, match="两个"):
        services.open_ballot(meeting=meeting, by=None)


@pytest.mark.django_db(transaction=True)
def test_a_hundred_duplicate_vote_posts_make_one_vote():
    """Concurrent on both databases: threads post the same vote; the row lock (PostgreSQL) or
    the immediate transaction (SQLite) and the unique constraint leave exactly one."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    meeting = voting_meeting()
    ballot = meeting.ballots.get()
    voter = meeting.participants.first()
    option = ballot.options.first()

    def post(_i):
        try:
            return services.cast_vote(ballot=ballot, participant=voter, option=option, by=None)[1]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=10) as pool:
        created = list(pool.map(post, range(100)))
    assert created.count(True) == 1
    assert Vote.objects.filter(ballot=ballot, participant=voter).count() == 1


# ------------------------------------------------------------------ site inspection
def test_an_inspection_due_in_the_past_is_refused():
    meeting = decided_meeting()
    with pytest.raises(ValidationError, match="过去"):
        services.plan_site_inspection(
            meeting=meeting,
            task="看现场",
            responsible="社工",
            due_on=timezone.localdate() - dt.timedelta(days=1),
            by=None,
        )


def test_the_final_plan_needs_a_recorded_inspection():
    meeting = decided_meeting()
    services.plan_site_inspection(
        meeting=meeting, task="看现场", responsible="社工", due_on=timezone.localdate(), by=None
    )
    with pytest.raises(ValidationError, match="实地考察"):
        services.adopt_final_plan(meeting=meeting, text="北门", by=None)


def test_inspection_photos_are_reencoded_without_exif():
    meeting = decided_meeting()
    services.plan_site_inspection(
        meeting=meeting, task="看现场", responsible="社工", due_on=timezone.localdate(), by=None
    )
    inspection = services.record_site_inspection(
        meeting=meeting,
        findings="离住户远",
        inspected_on=timezone.localdate(),
        photos=[_png(fmt="JPEG", exif=True), _png()],
        caption="北门",
        by=None,
    )
    photos = list(inspection.photos.all())
    assert len(photos) == 2 and photos[0].width == 64
    with Image.open(photos[0].image.path) as stored:
        assert stored.format == "JPEG"
        assert not stored.getexif()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("x.jpg", b"not an image at all", content_type="image/jpeg"), "无法"),
        ("gif", "JPEG、PNG"),
        ("huge", "像素"),
    ],
)
def test_bad_inspection_photos_are_refused_and_nothing_is_stored(upload, message):
    if upload == "gif":
        upload = _png(fmt="GIF")
    elif upload == "huge":
        upload = _png(size=(10_001, 10))
    meeting = decided_meeting()
    services.plan_site_inspection(
        meeting=meeting, task="看现场", responsible="社工", due_on=timezone.localdate(), by=None
    )
    with pytest.raises(ValidationError, match=message):
        services.record_site_inspection(
            meeting=meeting,
            findings="离住户远",
            inspected_on=timezone.localdate(),
            photos=[_png(), upload],
            by=None,
        )
    assert not meeting.inspection.photos.exists()
    meeting.inspection.refresh_from_db()
    assert not meeting.inspection.is_done


# ------------------------------------------------------------------ public notice and objections
def test_publishing_posts_the_final_plan_for_n_days():
    meeting = final_meeting()
    notice = services.publish_notice(meeting=meeting, days=10, by=None)
    assert notice.status == Notice.Status.OPEN and notice.text == meeting.final_plan
    assert abs((notice.ends_at - notice.published_at) - dt.timedelta(days=10)) < dt.timedelta(seconds=1)


def test_an_objection_pauses_the_notice_until_it_is_answered_and_the_end_moves_by_the_pause():
    meeting = notice_meeting()
    notice = meeting.notice
    original_end = notice.ends_at
    resident = UserFactory()
    objection = services.file_objection(notice=notice, author=resident, text="驿站离幼儿园太近了")
    notice.refresh_from_db()
    assert notice.status == Notice.Status.PAUSED and notice.paused_at is not None

    Notice.objects.filter(pk=notice.pk).update(paused_at=timezone.now() - dt.timedelta(days=2))
    services.answer_objection(objection=objection, answer="驿站距幼儿园门口约80米，已加装围挡。", by=None)
    notice.refresh_from_db()
    assert notice.status == Notice.Status.OPEN and notice.paused_at is None
    assert notice.ends_at - original_end >= dt.timedelta(days=2)


def test_the_notice_stays_paused_while_any_objection_waits():
    notice = notice_meeting().notice
    first = services.file_objection(notice=notice, author=UserFactory(), text="离幼儿园太近")
    services.file_objection(notice=notice, author=UserFactory(), text="会有异味影响住户")
    services.answer_objection(objection=first, answer="已调整位置", by=None)
    notice.refresh_from_db()
    assert notice.status == Notice.Status.PAUSED


def test_a_resident_has_one_waiting_objection_per_notice_and_a_double_post_files_one():
    notice = notice_meeting().notice
    resident = UserFactory()
    first = services.file_objection(notice=notice, author=resident, text="离幼儿园太近")
    assert services.file_objection(notice=notice, author=resident, text="离幼儿园太近") == first
    with pytest.raises(ValidationError, match="等待答复"):
        services.file_objection(notice=notice, author=resident, text="还有别的意见")
    assert Objection.objects.filter(notice=notice).count() == 1


def test_no_objection_after_the_notice_period():
    notice = notice_meeting().notice
    Notice.objects.filter(pk=notice.pk).update(
        published_at=timezone.now() - dt.timedelta(days=10), ends_at=timezone.now() - dt.timedelta(minutes=1)
    )
    with pytest.raises(ValidationError, match="公示期已结束"):
        services.file_objection(notice=notice, author=UserFactory(), text="来晚了的意见")
    assert not Objection.objects.filter(notice=notice).exists()
    notice.refresh_from_db()
    assert notice.display_status == "公示期已满"


def test_an_objection_is_answered_once():
    notice = notice_meeting().notice
    objection = services.file_objection(notice=notice, author=UserFactory(), text="离幼儿园太近")
    services.answer_objection(objection=objection, answer="已调整", by=None)
    with pytest.raises(ValidationError):
        services.answer_objection(objection=objection, answer="再答一次", by=None)


def test_the_meeting_closes_only_after_the_notice_period_and_with_every_objection_answered():
    meeting = notice_meeting()
    with pytest.raises(ValidationError, match="公示"):
        services.close_meeting(meeting=meeting, by=None)
    objection = services.file_objection(notice=meeting.notice, author=UserFactory(), text="离幼儿园太近")
    Notice.objects.filter(pk=meeting.notice.pk).update(
        published_at=timezone.now() - dt.timedelta(days=10), ends_at=timezone.now() - dt.timedelta(days=1)
    )
    with pytest.raises(ValidationError, match="异议"):
        services.close_meeting(meeting=meeting, by=None)
    services.answer_objection(objection=objection, answer="已调整", by=None)
    Notice.objects.filter(pk=meeting.notice.pk).update(
        published_at=timezone.now() - dt.timedelta(days=10), ends_at=timezone.now() - dt.timedelta(minutes=1)
    )
    services.close_meeting(meeting=meeting, by=None)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CLOSED
    assert meeting.notice.status == Notice.Status.ENDED


def test_expired_notices_end_and_paused_ones_do_not():
    open_notice = notice_meeting().notice
    paused_notice = notice_meeting().notice
    services.file_objection(notice=paused_notice, author=UserFactory(), text="离幼儿园太近")
    Notice.objects.update(
        published_at=timezone.now() - dt.timedelta(days=10), ends_at=timezone.now() - dt.timedelta(minutes=1)
    )
    assert services.end_expired_notices() == 1
    open_notice.refresh_from_db()
    paused_notice.refresh_from_db()
    assert open_notice.status == Notice.Status.ENDED and paused_notice.status == Notice.Status.PAUSED


# ------------------------------------------------------------------ follow-up
def test_follow_up_items_are_tracked_to_implementation():
    meeting = final_meeting()
    item = services.add_follow_up(meeting=meeting, title="驿站施工", responsible="物业", by=None)
    item = services.update_follow_up(item=item, status=FollowUp.Status.DONE, note="已完工", by=None)
    assert item.done_on == timezone.localdate()
    item = services.update_follow_up(item=item, status=FollowUp.Status.IN_PROGRESS, by=None)
    assert item.done_on is None and item.note == "已完工"


def test_follow_up_items_wait_for_the_final_plan():
    with pytest.raises(ValidationError):
        services.add_follow_up(meeting=decided_meeting(), title="施工", responsible="物业", by=None)


# ------------------------------------------------------------------ mediation
def test_a_case_closes_with_an_agreement_only_after_a_session_and_with_what_was_agreed():
    case = MediationCaseFactory()
    with pytest.raises(ValidationError, match="调解"):
        services.close_mediation_case(
            case=case, outcome=MediationCase.Outcome.AGREEMENT, agreement_summary="付清", by=None
        )
    services.record_mediation_session(case=case, held_at=timezone.now(), notes="面对面调解", by=None)
    with pytest.raises(ValidationError, match="协议"):
        services.close_mediation_case(case=case, outcome=MediationCase.Outcome.AGREEMENT, by=None)
    document = SimpleUploadedFile("agreement.pdf", PDF_BYTES, content_type="application/pdf")
    case = services.close_mediation_case(
        case=case,
        outcome=MediationCase.Outcome.AGREEMENT,
        agreement_summary="分两期付清",
        agreement_document=document,
        by=None,
    )
    assert case.status == MediationCase.Status.CLOSED and case.closed_on == timezone.localdate()
    assert case.agreement_document.open("rb").read().startswith(b"%PDF")


def test_an_agreement_document_that_is_not_a_pdf_or_photo_is_refused():
    case = MediationCaseFactory()
    services.record_mediation_session(case=case, held_at=timezone.now(), notes="调解", by=None)
    bad = SimpleUploadedFile("agreement.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    with pytest.raises(ValidationError):
        services.close_mediation_case(
            case=case,
            outcome=MediationCase.Outcome.AGREEMENT,
            agreement_summary="付清",
            agreement_document=bad,
            by=None,
        )


def test_agreement_documents_are_stored_outside_the_public_media_folder(settings):
    from pathlib import Path

    case = MediationCaseFactory()
    services.record_mediation_session(case=case, held_at=timezone.now(), notes="调解", by=None)
    document = SimpleUploadedFile("agreement.pdf", PDF_BYTES, content_type="application/pdf")
    case = services.close_mediation_case(
        case=case,
        outcome=MediationCase.Outcome.PARTIAL,
        agreement_summary="部分达成",
        agreement_document=document,
        by=None,
    )
    stored = Path(case.agreement_document.path).resolve()
    assert Path(settings.MEDIA_ROOT).resolve() not in stored.parents
    with pytest.raises(ValueError):
        _ = case.agreement_document.url


def test_follow_up_calls_come_after_an_agreement_and_sessions_before_closing():
    case = MediationCaseFactory()
    with pytest.raises(ValidationError):
        services.record_follow_up_call(case=case, kept="kept", by=None)
    services.record_mediation_session(case=case, held_at=timezone.now(), notes="调解", by=None)
    services.close_mediation_case(
        case=case, outcome=MediationCase.Outcome.AGREEMENT, agreement_summary="付清", by=None
    )
    call = services.record_follow_up_call(case=case, kept="kept", note="已付清", by=None)
    assert call.get_kept_display()
    with pytest.raises(ValidationError):
        services.record_mediation_session(case=case, held_at=timezone.now(), notes="再谈", by=None)


def test_a_referred_case_gets_no_follow_up_call():
    case = MediationCaseFactory()
    services.record_mediation_session(case=case, held_at=timezone.now(), notes="分歧大", by=None)
    services.close_mediation_case(case=case, outcome=MediationCase.Outcome.ARBITRATION, by=None)
    with pytest.raises(ValidationError):
        services.record_follow_up_call(case=case, kept="kept", by=None)

"""Writes for a meeting from draft to final plan (voting is in ``voting.py``, the public notice
in ``notices.py``). Each service owns its transaction and logs status moves."""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from centers.models import Space
from centers.services import book_space, cancel_booking
from core.models import Center, Community, User
from orgs.models import Organization

from ..models import FollowUp, InspectionPhoto, Meeting, Opinion, OpinionCategory, Participant, SiteInspection
from ..photos import MAX_PHOTOS, clean_photo
from .transitions import lock, move

MAX_CATEGORIES = 5


@transaction.atomic
def create_meeting(
    *,
    topic: str,
    community: Community,
    center: Center,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    by: User | None,
    location: str = "",
    background: str = "",
    quorum_percent: int = 50,
    notice_days: int = 7,
    space: Space | None = None,
    organizer: Organization | None = None,
) -> Meeting:
    """A draft meeting hosted by ``center`` for ``community`` (same street), in one of the
    center's spaces (booked when the meeting is scheduled) and organized by ``organizer``."""
    meeting = Meeting(
        topic=topic.strip(),
        community=community,
        center=center,
        space=space,
        organizer=organizer,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location.strip(),
        background=background.strip(),
        quorum_percent=quorum_percent,
        notice_days=notice_days,
        created_by=by,
    )
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def add_participant(
    *,
    meeting: Meeting,
    party: str,
    name: str,
    by: User | None,
    affiliation: str = "",
    phone: str = "",
    user: User | None = None,
    chair: bool = False,
) -> Participant:
    """Invite someone in one of the four parties. Once the meeting is scheduled the invitation
    goes out at once (by text message, when there is a mobile number)."""
    from ..tasks import send_meeting_reminders_task

    locked = lock(meeting, "add_participant")
    participant = Participant(
        meeting=locked,
        party=party,
        name=name.strip(),
        affiliation=affiliation.strip(),
        phone=phone.strip(),
        user=user,
        invited_at=timezone.now() if locked.status == Meeting.Status.SCHEDULED else None,
    )
    participant.full_clean()
    participant.save()
    if chair:
        locked.chair = participant
        locked.save(update_fields=["chair", "updated_at"])
        meeting.chair = participant
    if locked.status == Meeting.Status.SCHEDULED:
        send_meeting_reminders_task.delay_on_commit(locked.pk, "invitation")
    return participant


@transaction.atomic
def set_chair(*, meeting: Meeting, participant: Participant, by: User | None) -> Meeting:
    locked = lock(meeting, "add_participant")
    if participant.meeting_id != locked.pk:
        raise ValidationError(_("The chair must be a participant of this meeting."))
    locked.chair = participant
    locked.save(update_fields=["chair", "updated_at"])
    meeting.chair = participant
    return locked


@transaction.atomic
def schedule_meeting(*, meeting: Meeting, by: User | None) -> Meeting:
    """Draft → scheduled: needs a future start, participants and a chair. The space is booked
    through centers (refused when the hall is taken). Everyone invited is sent an invitation
    (once, whatever happens to the task) and a reminder the day before."""
    from ..tasks import send_meeting_reminders_task

    locked = lock(meeting, "schedule")
    if locked.starts_at <= timezone.now():
        raise ValidationError(_("The meeting's start time has passed: change the time before scheduling it."))
    participants = Participant.objects.filter(meeting=locked)
    if not participants.exists():
        raise ValidationError(_("Invite the participants before scheduling the meeting."))
    if locked.chair_id is None:
        raise ValidationError(_("Choose who chairs the meeting before scheduling it."))
    if locked.space_id:
        locked.booking = book_space(
            space=locked.space,
            starts_at=locked.starts_at,
            ends_at=locked.ends_at,
            purpose=_("3+1 meeting: %(topic)s") % {"topic": locked.topic},
            booked_by=by,
        )
        locked.save(update_fields=["booking", "updated_at"])
        meeting.booking = locked.booking
    participants.filter(invited_at__isnull=True).update(invited_at=timezone.now())
    move(locked, "schedule", by=by, caller=meeting)
    send_meeting_reminders_task.delay_on_commit(locked.pk, "invitation")
    return locked


@transaction.atomic
def cancel_meeting(*, meeting: Meeting, by: User | None, reason: str = "") -> Meeting:
    locked = lock(meeting, "cancel")
    if locked.booking_id:
        cancel_booking(booking=locked.booking)  # the hall is free again
    return move(locked, "cancel", by=by, note=reason, caller=meeting)


@transaction.atomic
def record_attendance(*, meeting: Meeting, present: Iterable[int], by: User | None) -> Meeting:
    """Scheduled → held: who came. ``present`` are participant ids of this meeting."""
    locked = lock(meeting, "record_attendance")
    if locked.starts_at > timezone.now():
        raise ValidationError(_("The meeting has not started yet: record attendance once it is held."))
    present = {int(pk) for pk in present}
    ids = set(Participant.objects.filter(meeting=locked).values_list("id", flat=True))
    if not present:
        raise ValidationError(_("Tick at least one participant who attended."))
    if not present <= ids:
        raise ValidationError(_("Only participants of this meeting can attend it."))
    Participant.objects.filter(meeting=locked, id__in=present).update(attended=True)
    Participant.objects.filter(meeting=locked).exclude(id__in=present).update(attended=False)
    return move(locked, "record_attendance", by=by, caller=meeting)


def _category_names(categories: Iterable[str]) -> list[str]:
    names = []
    for raw in categories:
        for name in raw.replace("，", ",").replace("、", ",").split(","):
            name = name.strip()[:30]
            if name and name not in names:
                names.append(name)
    if len(names) > MAX_CATEGORIES:
        raise ValidationError(_("Give at most %(n)d categories for one opinion.") % {"n": MAX_CATEGORIES})
    return names


@transaction.atomic
def add_opinion(
    *, meeting: Meeting, speaker: Participant, text: str, by: User | None, categories: Iterable[str] = ()
) -> Opinion:
    """Record what an attending participant said, under the speaker's party and some categories."""
    locked = lock(meeting, "add_opinion")
    if speaker.meeting_id != locked.pk or not speaker.attended:
        raise ValidationError(_("The speaker must be a participant who attended this meeting."))
    if not text.strip():
        raise ValidationError(_("Write down what was said."))
    opinion = Opinion(meeting=locked, speaker=speaker, party=speaker.party, text=text.strip(), recorded_by=by)
    opinion.full_clean()
    opinion.save()
    names = _category_names(categories)
    if names:
        existing = {c.name: c for c in OpinionCategory.objects.filter(meeting=locked, name__in=names)}
        missing = [OpinionCategory(meeting=locked, name=n) for n in names if n not in existing]
        OpinionCategory.objects.bulk_create(missing, ignore_conflicts=True)
        opinion.categories.set(OpinionCategory.objects.filter(meeting=locked, name__in=names))
    return opinion


@transaction.atomic
def finish_opinions(*, meeting: Meeting, by: User | None) -> Meeting:
    """Held → opinions recorded: the round of speaking is over; options can be drawn up."""
    locked = lock(meeting, "finish_opinions")
    if not Opinion.objects.filter(meeting=locked).exists():
        raise ValidationError(_("Record at least one opinion first."))
    return move(locked, "finish_opinions", by=by, caller=meeting)


@transaction.atomic
def revise_preliminary_plan(*, meeting: Meeting, text: str, by: User | None) -> Meeting:
    locked = lock(meeting, "revise_preliminary_plan")
    if not text.strip():
        raise ValidationError(_("The preliminary plan cannot be empty."))
    locked.preliminary_plan = text.strip()
    locked.save(update_fields=["preliminary_plan", "updated_at"])
    meeting.preliminary_plan = locked.preliminary_plan
    return locked


@transaction.atomic
def plan_site_inspection(
    *, meeting: Meeting, task: str, responsible: str, due_on: dt.date, by: User | None
) -> SiteInspection:
    """Preliminary plan → site inspection: a task for someone, with a due date."""
    locked = lock(meeting, "plan_inspection")
    if due_on < timezone.localdate():
        raise ValidationError(_("The due date cannot be in the past."))
    inspection = SiteInspection(
        meeting=locked, task=task.strip(), responsible=responsible.strip(), due_on=due_on
    )
    inspection.full_clean()
    inspection.save()
    move(locked, "plan_inspection", by=by, caller=meeting)
    return inspection


@transaction.atomic
def record_site_inspection(
    *,
    meeting: Meeting,
    findings: str,
    inspected_on: dt.date,
    by: User | None,
    photos: Iterable = (),
    caption: str = "",
) -> SiteInspection:
    """What the inspection found, with photos (checked and re-encoded). May be recorded again
    to add photos or correct the findings until the final plan is adopted."""
    locked = lock(meeting, "record_inspection")
    inspection = SiteInspection.objects.select_for_update().get(meeting=locked)
    if not findings.strip():
        raise ValidationError(_("Write down what the inspection found."))
    if inspected_on > timezone.localdate():
        raise ValidationError(_("The inspection date cannot be in the future."))
    photos = list(photos)
    if inspection.photos.count() + len(photos) > MAX_PHOTOS:
        raise ValidationError(_("At most %(n)d photos per inspection.") % {"n": MAX_PHOTOS})
    cleaned = [clean_photo(upload) for upload in photos]  # all checked before any is stored
    inspection.findings = findings.strip()
    inspection.inspected_on = inspected_on
    inspection.recorded_by = by
    inspection.full_clean()
    inspection.save()
    for content in cleaned:
        photo = InspectionPhoto(inspection=inspection, caption=caption.strip()[:100])
        photo.image.save(content.name, content, save=False)
        photo.save()
    return inspection


@transaction.atomic
def adopt_final_plan(*, meeting: Meeting, text: str, by: User | None) -> Meeting:
    """Site inspection → final plan; the inspection must have been recorded."""
    locked = lock(meeting, "adopt_final_plan")
    inspection = SiteInspection.objects.filter(meeting=locked).first()
    if inspection is None or not inspection.is_done:
        raise ValidationError(_("Record what the site inspection found before adopting the final plan."))
    if not text.strip():
        raise ValidationError(_("The final plan cannot be empty."))
    locked.final_plan = text.strip()
    locked.save(update_fields=["final_plan", "updated_at"])
    meeting.final_plan = locked.final_plan
    return move(locked, "adopt_final_plan", by=by, caller=meeting)


@transaction.atomic
def add_follow_up(
    *, meeting: Meeting, title: str, responsible: str, by: User | None, due_on: dt.date | None = None
) -> FollowUp:
    """Something to implement after the decision; tracked until done."""
    locked = lock(meeting, "add_follow_up")
    item = FollowUp(meeting=locked, title=title.strip(), responsible=responsible.strip(), due_on=due_on)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def update_follow_up(*, item: FollowUp, status: str, by: User | None, note: str = "") -> FollowUp:
    item = FollowUp.objects.select_for_update().get(pk=item.pk)
    if status not in FollowUp.Status.values:
        raise ValidationError(_("Choose a valid progress status."))
    item.status = status
    item.note = note.strip()[:255] or item.note
    if status == FollowUp.Status.DONE:
        item.done_on = item.done_on or timezone.localdate()
    else:
        item.done_on = None
    item.full_clean()
    item.save()
    return item

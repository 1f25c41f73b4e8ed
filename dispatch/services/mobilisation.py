"""Emergency mobilisation: call volunteers out, collect their answers, widen the call in waves.

A call first goes to the volunteers matching its filters (communities, team, skill). When
``answer_within_minutes`` pass with fewer than ``needed`` coming, it goes to the next group
that adds someone new: the street's volunteers with the skill, all the street's, the district.
Each wave is a row with a unique (call, number), written under a lock on the call, so a timer
task and the periodic sweep racing each other widen the call once.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Center, User
from volunteers.models import Membership, Skill, Team, Volunteer

from ..models import CallAnswer, Mobilisation, Wave


def _tasks():
    from .. import tasks

    return tasks


def volunteers_in_group(call: Mobilisation, group: str) -> QuerySet[Volunteer]:
    """Active volunteers a group of the call reaches (each volunteer once)."""
    qs = Volunteer.objects.filter(is_active=True, user__is_active=True)
    street = Q(center__street_id=call.center.street_id) | Q(communities__street_id=call.center.street_id)
    if group == Wave.Group.MATCHING:
        communities = list(call.communities.values_list("pk", flat=True))
        if communities:
            qs = qs.filter(communities__in=communities)
        elif call.center.community_id:
            qs = qs.filter(Q(center=call.center) | Q(communities=call.center.community_id))
        else:
            qs = qs.filter(street)
        if call.team_id:
            qs = qs.filter(memberships__team_id=call.team_id, memberships__status=Membership.Status.APPROVED)
        if call.skill_id:
            qs = qs.filter(skills=call.skill_id)
    elif group == Wave.Group.STREET_SKILL:
        qs = qs.filter(street)
        if call.skill_id:
            qs = qs.filter(skills=call.skill_id)
    elif group == Wave.Group.STREET:
        qs = qs.filter(street)
    return Volunteer.objects.filter(pk__in=qs.values("pk"))


def _schedule_escalation(call: Mobilisation, number: int) -> None:
    countdown = call.answer_within_minutes * 60 + 5
    escalate = _tasks().escalate_mobilisation_task
    transaction.on_commit(lambda: escalate.apply_async((call.pk, number), countdown=countdown))


def _send_wave(call: Mobilisation, *, number: int, first_group: int, now: dt.datetime) -> Wave | None:
    """Open wave ``number`` with the first group from ``first_group`` on that reaches someone new."""
    already = set(CallAnswer.objects.filter(mobilisation=call).values_list("volunteer_id", flat=True))
    for group in Wave.ORDER[first_group:]:
        new = [
            pk for pk in volunteers_in_group(call, group).values_list("pk", flat=True) if pk not in already
        ]
        if not new:
            continue
        wave = Wave.objects.create(
            mobilisation=call, number=number, group=group, sent_at=now, recipients=len(new)
        )
        CallAnswer.objects.bulk_create(
            [CallAnswer(mobilisation=call, volunteer_id=pk, wave=number) for pk in new],
            ignore_conflicts=True,
            batch_size=5000,
        )
        _tasks().notify_call_wave_task.delay_on_commit(call.pk, number)
        _schedule_escalation(call, number)
        return wave
    return None


@transaction.atomic
def start_mobilisation(
    *,
    center: Center,
    title: str,
    message: str,
    created_by: User,
    needed: int,
    answer_within_minutes: int,
    communities=(),
    team: Team | None = None,
    skill: Skill | None = None,
) -> Mobilisation:
    """Broadcast a call to the first group of volunteers that has anyone in it."""
    call = Mobilisation(
        center=center,
        title=title.strip(),
        message=message.strip(),
        created_by=created_by,
        needed=needed,
        answer_within_minutes=answer_within_minutes,
        team=team,
        skill=skill,
    )
    call.full_clean()
    call.save()
    call.communities.set(communities)
    if _send_wave(call, number=1, first_group=0, now=call.created_at) is None:
        call.exhausted = True
        call.save(update_fields=["exhausted"])
    return call


def coming_count(call: Mobilisation) -> int:
    return CallAnswer.objects.filter(mobilisation=call, answer=CallAnswer.Answer.COMING).count()


def escalate_mobilisation(*, call_id: int, wave_number: int, now: dt.datetime | None = None) -> Wave | None:
    """Widen the call if wave ``wave_number`` is still the latest, its time is up and too few
    are coming. Returns the new wave, or None when nothing was (or needed to be) done."""
    now = now or timezone.now()
    with transaction.atomic():
        call = Mobilisation.objects.select_for_update().filter(pk=call_id).first()
        if (
            call is None
            or call.status != Mobilisation.Status.OPEN
            or call.exhausted
            or call.wave != wave_number
        ):
            return None
        wave = Wave.objects.filter(mobilisation=call, number=wave_number).first()
        if wave is None or now < wave.sent_at + dt.timedelta(minutes=call.answer_within_minutes):
            return None
        if coming_count(call) >= call.needed:
            return None
        new = _send_wave(call, number=wave_number + 1, first_group=Wave.ORDER.index(wave.group) + 1, now=now)
        if new is None:
            call.exhausted = True
            call.save(update_fields=["exhausted"])
            return None
        call.wave = new.number
        call.save(update_fields=["wave"])
        return new


def escalate_due_mobilisations(*, now: dt.datetime | None = None) -> int:
    """The periodic sweep: widen every open call whose latest wave is overdue."""
    widened = 0
    for call_id, wave in Mobilisation.objects.filter(
        status=Mobilisation.Status.OPEN, exhausted=False
    ).values_list("pk", "wave"):
        widened += escalate_mobilisation(call_id=call_id, wave_number=wave, now=now) is not None
    return widened


@transaction.atomic
def answer_call(*, call: Mobilisation, volunteer: Volunteer, answer: str) -> CallAnswer:
    """A volunteer on the roster answers received, coming or cannot (and may change their mind)."""
    if answer not in (CallAnswer.Answer.RECEIVED, CallAnswer.Answer.COMING, CallAnswer.Answer.CANNOT):
        raise ValidationError(_("Choose received, coming or cannot."), code="answer")
    row = CallAnswer.objects.select_for_update().filter(mobilisation=call, volunteer=volunteer).first()
    if row is None:
        raise ValidationError(_("This call was not sent to you."), code="not_called")
    if Mobilisation.objects.filter(pk=call.pk, status=Mobilisation.Status.OPEN).first() is None:
        raise ValidationError(_("This call is closed. Thank you all the same."), code="closed")
    row.answer = answer
    row.answered_at = timezone.now()
    row.save(update_fields=["answer", "answered_at"])
    return row


@transaction.atomic
def close_mobilisation(*, call: Mobilisation, by: User) -> Mobilisation:
    call = Mobilisation.objects.select_for_update().get(pk=call.pk)
    if call.status == Mobilisation.Status.CLOSED:
        return call
    call.status = Mobilisation.Status.CLOSED
    call.closed_at = timezone.now()
    call.save(update_fields=["status", "closed_at"])
    return call

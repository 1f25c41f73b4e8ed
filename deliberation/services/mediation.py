"""Writes for mediation cases. Who may call them is decided by the views (core.access): staff
of the case's center, and the case's mediator for sessions, outcome and follow-up calls."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Center, Community, User
from orgs.models import Organization

from ..models import FollowUpCall, MediationCase, MediationParty, MediationSession
from ..photos import clean_document


@transaction.atomic
def open_mediation_case(
    *,
    center: Center,
    dispute_type: str,
    title: str,
    by: User | None,
    community: Community | None = None,
    description: str = "",
    mediator: User | None = None,
    mediator_org: Organization | None = None,
    opened_on: dt.date | None = None,
) -> MediationCase:
    case = MediationCase(
        center=center,
        community=community,
        dispute_type=dispute_type,
        title=title.strip(),
        description=description.strip(),
        mediator=mediator,
        mediator_org=mediator_org,
        opened_on=opened_on or timezone.localdate(),
        created_by=by,
    )
    case.full_clean()
    case.save()
    return case


@transaction.atomic
def add_mediation_party(
    *, case: MediationCase, side: str, name: str, phone: str = "", note: str = ""
) -> MediationParty:
    party = MediationParty(case=case, side=side, name=name.strip(), phone=phone.strip(), note=note.strip())
    party.full_clean()
    party.save()
    return party


@transaction.atomic
def record_mediation_session(
    *, case: MediationCase, held_at: dt.datetime, notes: str, by: User | None, place: str = ""
) -> MediationSession:
    case = MediationCase.objects.select_for_update().get(pk=case.pk)
    if case.status != MediationCase.Status.OPEN:
        raise ValidationError(_("This case is closed: no more sessions can be recorded."))
    if held_at > timezone.now():
        raise ValidationError(_("Record a session after it has been held."))
    session = MediationSession(
        case=case, held_at=held_at, notes=notes.strip(), place=place.strip(), recorded_by=by
    )
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def close_mediation_case(
    *,
    case: MediationCase,
    outcome: str,
    by: User | None,
    agreement_summary: str = "",
    agreement_document=None,
    closed_on: dt.date | None = None,
) -> MediationCase:
    """Record the outcome. An agreement (full or partial) needs a summary of what was agreed."""
    case = MediationCase.objects.select_for_update().get(pk=case.pk)
    if case.status != MediationCase.Status.OPEN:
        raise ValidationError(_("This case is already closed."))
    if outcome not in MediationCase.Outcome.values:
        raise ValidationError(_("Choose the outcome of the mediation."))
    if (
        outcome in (MediationCase.Outcome.AGREEMENT, MediationCase.Outcome.PARTIAL)
        and not agreement_summary.strip()
    ):
        raise ValidationError(_("Write down what the parties agreed."))
    if not MediationSession.objects.filter(case=case).exists():
        raise ValidationError(_("Record at least one mediation session before closing the case."))
    case.status = MediationCase.Status.CLOSED
    case.outcome = outcome
    case.closed_on = closed_on or timezone.localdate()
    case.agreement_summary = agreement_summary.strip()
    if agreement_document is not None:
        stored = clean_document(agreement_document)
        case.agreement_document.save(stored.name.rsplit("/", 1)[-1], stored, save=False)
    case.full_clean()
    case.save()
    return case


@transaction.atomic
def record_follow_up_call(
    *, case: MediationCase, kept: str, by: User | None, note: str = "", called_on: dt.date | None = None
) -> FollowUpCall:
    """After an agreement: a call to ask whether it is being kept."""
    case = MediationCase.objects.get(pk=case.pk)
    if not case.agreement_reached:
        raise ValidationError(_("Follow-up calls are made after an agreement has been reached."))
    called_on = called_on or timezone.localdate()
    if called_on > timezone.localdate():
        raise ValidationError(_("The call date cannot be in the future."))
    call = FollowUpCall(case=case, called_on=called_on, kept=kept, note=note.strip(), called_by=by)
    call.full_clean()
    call.save()
    return call

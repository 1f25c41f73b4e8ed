"""Writes for the registry, the lifecycle, service contracts and venture grants.

Every function here is keyword-only, owns its transaction and validates with ``full_clean()``;
views, the admin, the import and the demo loaders call these and nothing else.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Center, Community, Street, User

from .credit_code import normalize_credit_code
from .models import (
    ALLOWED_TRANSITIONS,
    ContractTarget,
    Domain,
    GrantCall,
    GrantProposal,
    Organization,
    ProjectProgress,
    ProposalReview,
    ServiceContract,
    Stage,
    StageChange,
)


# ------------------------------------------------------------------ organizations
@transaction.atomic
def save_organization(
    *,
    organization: Organization,
    actor: User | None,
    domains: Iterable[Domain] | None = None,
) -> Organization:
    """Validate and save a new or changed organization. A new one starts its lifecycle history
    with an entry for its introduction; its stage is changed only by ``move_stage``."""
    organization.credit_code = normalize_credit_code(organization.credit_code) or None
    is_new = organization.pk is None
    if is_new:
        organization.stage = Stage.INTRODUCE
        organization.stage_changed_at = timezone.now()
    else:
        # The stage and its date are the lifecycle's: never overwritten by an edit form.
        current = Organization.objects.values("stage", "stage_changed_at").get(pk=organization.pk)
        organization.stage = current["stage"]
        organization.stage_changed_at = current["stage_changed_at"]
    organization.full_clean()
    organization.save()
    if domains is not None:
        organization.domains.set(domains)
    if is_new:
        StageChange.objects.create(
            organization=organization,
            sequence=1,
            from_stage="",
            to_stage=Stage.INTRODUCE,
            moved_by=actor if actor is not None and actor.is_authenticated else None,
            moved_at=organization.stage_changed_at,
            reason="",  # the page says "entered in the registry" in the reader's language
        )
    return organization


def register_organization(*, actor: User | None, domains: Iterable[Domain] = (), **fields) -> Organization:
    """Create an organization from its fields (see ``Organization``); returns it saved."""
    return save_organization(organization=Organization(**fields), actor=actor, domains=list(domains))


@transaction.atomic
def move_stage(
    *,
    organization: Organization,
    to_stage: str,
    actor: User,
    reason: str,
    incubator: Organization | None = None,
    incubation_center: Center | None = None,
    incubation_room: str = "",
    expected_stage: str | None = None,
) -> StageChange:
    """Move an organization along introduce → incubate → guide → support → regulate.

    Only the transitions in ALLOWED_TRANSITIONS are accepted; each move is appended to the
    history with who, when and why. Entering incubation names the center (and room) that
    incubates it, and optionally its hub organization. The row is locked, so two staff moving
    the same organization at once cannot both succeed from the same stage; ``expected_stage``
    (the stage the user saw) makes a stale form fail instead of moving twice.
    """
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    if expected_stage is not None and org.stage != expected_stage:
        raise ValidationError(
            _("This organization has meanwhile moved to “%(stage)s”; reload the page and try again.")
            % {"stage": org.get_stage_display()}
        )
    if to_stage not in ALLOWED_TRANSITIONS.get(org.stage, frozenset()):
        labels = dict(Stage.choices)
        raise ValidationError(
            {
                "to_stage": _("An organization in “%(from)s” cannot move to “%(to)s”.")
                % {"from": labels.get(org.stage, org.stage), "to": labels.get(to_stage, to_stage)}
            }
        )
    if not reason:
        errors["reason"] = _("Say why the organization moves to this stage.")
    if to_stage == Stage.INCUBATE:
        if incubation_center is None:
            errors["incubation_center"] = _(
                "Name the center whose incubation room takes the organization in."
            )
        if incubator is not None and (incubator.kind != Organization.Kind.HUB or incubator.pk == org.pk):
            errors["incubator"] = _("The incubator must be a hub organization other than this one.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    last = org.stage_changes.aggregate(last=Max("sequence"))["last"] or 0
    change = StageChange(
        organization=org,
        sequence=last + 1,
        from_stage=org.stage,
        to_stage=to_stage,
        moved_by=actor,
        moved_at=now,
        reason=reason,
    )
    if to_stage == Stage.INCUBATE:
        change.incubator = incubator
        change.incubation_center = incubation_center
        change.incubation_room = incubation_room.strip()
        org.incubator = incubator
        org.incubation_center = incubation_center
        org.incubation_room = change.incubation_room
    change.full_clean()
    change.save()
    org.stage = to_stage
    org.stage_changed_at = now
    org.save(update_fields=["stage", "stage_changed_at", "incubator", "incubation_center", "incubation_room"])
    organization.stage, organization.stage_changed_at = org.stage, org.stage_changed_at
    return change


def domains_by_name(names: Iterable[str]) -> list[Domain]:
    """The domains with these names, creating the ones the district has not listed yet."""
    result = []
    for name in names:
        name = name.strip()
        if name:
            domain, _created = Domain.objects.get_or_create(name=name[:50])
            result.append(domain)
    return result


# ------------------------------------------------------------------ service contracts
def _overlapping_contracts(*, centers: Iterable[Center], starts_on, last_day, exclude_pk=None):
    return (
        ServiceContract.objects.filter(
            centers__in=list(centers), starts_on__lte=last_day, ends_on__gte=starts_on
        )
        .filter(Q(terminated_on__isnull=True) | Q(terminated_on__gt=starts_on))
        .exclude(pk=exclude_pk)
        .distinct()
    )


def check_contract_centers(*, contract: ServiceContract, centers: Iterable[Center]) -> None:
    """A center has one operator at a time: refuse centers already under another contract
    for an overlapping period, and centers outside the buyer's street."""
    centers = list(centers)
    if not centers:
        raise ValidationError({"centers": _("A contract runs at least one center.")})
    foreign = [c.name for c in centers if c.street_id != contract.buyer_street_id]
    if foreign:
        raise ValidationError(
            {
                "centers": _("These centers are not in the buyer's street: %(names)s")
                % {"names": "、".join(foreign)}
            }
        )
    if contract.starts_on and contract.ends_on:
        clash = _overlapping_contracts(
            centers=centers, starts_on=contract.starts_on, last_day=contract.last_day, exclude_pk=contract.pk
        ).first()
        if clash is not None:
            raise ValidationError(
                {
                    "centers": _(
                        "A center here is already run under contract %(number)s (%(start)s – %(end)s) "
                        "by %(operator)s; a center has one operator at a time."
                    )
                    % {
                        "number": clash.number,
                        "start": clash.starts_on,
                        "end": clash.last_day,
                        "operator": clash.operator,
                    }
                }
            )


@transaction.atomic
def save_contract(*, contract: ServiceContract, centers: Iterable[Center]) -> ServiceContract:
    """Validate and save a contract with the centers it runs. The centers' rows are locked so
    that two contracts for one center cannot be saved for overlapping periods at the same time."""
    centers = list(Center.objects.select_for_update().filter(pk__in=[c.pk for c in centers]).order_by("pk"))
    if contract.buyer_community_id and contract.buyer_community.street_id != contract.buyer_street_id:
        raise ValidationError({"buyer_community": _("This community belongs to another street.")})
    if contract.operator_id and not contract.operator.is_active:
        raise ValidationError({"operator": _("A dissolved organization cannot take a contract.")})
    contract.full_clean()
    check_contract_centers(contract=contract, centers=centers)
    contract.save()
    contract.centers.set(centers)
    return contract


@transaction.atomic
def create_contract(
    *,
    number: str,
    title: str,
    buyer_street: Street,
    operator: Organization,
    centers: Iterable[Center],
    starts_on: datetime.date,
    ends_on: datetime.date,
    amount: Decimal,
    targets: Iterable[tuple[str, str, Decimal | int]] = (),
    buyer_community: Community | None = None,
    notes: str = "",
) -> ServiceContract:
    """A new contract with its targets given as (metric, period, minimum)."""
    contract = save_contract(
        contract=ServiceContract(
            number=number,
            title=title,
            buyer_street=buyer_street,
            buyer_community=buyer_community,
            operator=operator,
            starts_on=starts_on,
            ends_on=ends_on,
            amount=Decimal(amount),
            notes=notes,
        ),
        centers=centers,
    )
    for metric, period, minimum in targets:
        set_target(contract=contract, metric=metric, period=period, minimum=Decimal(minimum))
    return contract


@transaction.atomic
def set_target(
    *, contract: ServiceContract, metric: str, period: str, minimum: Decimal, note: str = ""
) -> ContractTarget:
    """Add or change the minimum for (metric, period) of a contract."""
    target = ContractTarget.objects.filter(contract=contract, metric=metric, period=period).first()
    target = target or ContractTarget(contract=contract, metric=metric, period=period)
    target.minimum = Decimal(minimum)
    target.note = note
    target.full_clean()
    target.save()
    return target


@transaction.atomic
def terminate_contract(*, contract: ServiceContract, on: datetime.date, reason: str) -> ServiceContract:
    """End a contract early: from ``on`` it no longer makes its organization the operator."""
    contract = ServiceContract.objects.select_for_update().get(pk=contract.pk)
    if not reason.strip():
        raise ValidationError({"notes": _("Say why the contract ends early.")})
    contract.terminated_on = on
    contract.notes = (contract.notes + "\n" if contract.notes else "") + _(
        "Terminated on %(day)s: %(reason)s"
    ) % {
        "day": on,
        "reason": reason.strip(),
    }
    contract.full_clean()
    contract.save(update_fields=["terminated_on", "notes"])
    return contract


# ------------------------------------------------------------------ venture grants
@transaction.atomic
def submit_proposal(
    *,
    call: GrantCall,
    organization: Organization,
    title: str,
    requested_amount: Decimal,
    summary: str = "",
    on: datetime.date | None = None,
) -> GrantProposal:
    """An organization proposes a project to a call that is open on ``on`` (today by default)."""
    day = on or timezone.localdate()
    if not (call.opens_on <= day <= call.closes_on):
        raise ValidationError(
            _("This call takes proposals from %(start)s to %(end)s.")
            % {"start": call.opens_on, "end": call.closes_on}
        )
    if not organization.is_active:
        raise ValidationError({"organization": _("A dissolved organization cannot propose a project.")})
    proposal = GrantProposal(
        call=call,
        organization=organization,
        title=title,
        summary=summary,
        requested_amount=Decimal(requested_amount),
    )
    proposal.full_clean()
    proposal.save()
    return proposal


@transaction.atomic
def review_proposal(
    *, proposal: GrantProposal, reviewer: User, score: int, comment: str = ""
) -> ProposalReview:
    """Record one reviewer's score (0–100). A reviewer scores a proposal once, before the decision."""
    proposal = GrantProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != GrantProposal.Status.SUBMITTED:
        raise ValidationError(_("The decision on this proposal is made; it takes no more reviews."))
    if ProposalReview.objects.filter(proposal=proposal, reviewer=reviewer).exists():
        raise ValidationError(_("You have already reviewed this proposal."))
    review = ProposalReview(proposal=proposal, reviewer=reviewer, score=score, comment=comment)
    review.full_clean()
    review.save()
    return review


@transaction.atomic
def decide_proposal(*, proposal: GrantProposal, fund: bool, amount: Decimal | None = None) -> GrantProposal:
    """Fund a proposal (with an amount no larger than requested and within the call's remaining
    budget) or decline it. Locks the call so that concurrent grants never exceed its budget."""
    proposal = GrantProposal.objects.select_related("call").select_for_update().get(pk=proposal.pk)
    call = GrantCall.objects.select_for_update().get(pk=proposal.call_id)
    if proposal.status != GrantProposal.Status.SUBMITTED:
        raise ValidationError(_("This proposal has already been decided."))
    if not proposal.reviews.exists():
        raise ValidationError(_("A proposal is decided after at least one review."))
    proposal.decided_at = timezone.now()
    if not fund:
        proposal.status = GrantProposal.Status.DECLINED
        proposal.granted_amount = None
    else:
        amount = Decimal(amount if amount is not None else proposal.requested_amount)
        if amount <= 0 or amount > proposal.requested_amount:
            raise ValidationError(
                {"granted_amount": _("Grant more than zero and no more than was requested.")}
            )
        granted = call.proposals.exclude(pk=proposal.pk).aggregate(s=Sum("granted_amount"))["s"] or Decimal(0)
        if granted + amount > call.budget:
            raise ValidationError(
                {
                    "granted_amount": _("Only %(left)s yuan of the call's budget is left.")
                    % {"left": call.budget - granted}
                }
            )
        proposal.status = GrantProposal.Status.FUNDED
        proposal.granted_amount = amount
    proposal.full_clean()
    proposal.save(update_fields=["status", "granted_amount", "decided_at"])
    return proposal


@transaction.atomic
def record_progress(
    *,
    proposal: GrantProposal,
    percent_done: int,
    note: str,
    actor: User | None,
    on: datetime.date | None = None,
) -> ProjectProgress:
    """Log the progress of a funded project; at 100 % the project is completed."""
    proposal = GrantProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status not in (GrantProposal.Status.FUNDED, GrantProposal.Status.COMPLETED):
        raise ValidationError(_("Only a funded project reports progress."))
    progress = ProjectProgress(
        proposal=proposal,
        reported_on=on or timezone.localdate(),
        percent_done=percent_done,
        note=note,
        recorded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    progress.full_clean()
    progress.save()
    if percent_done >= 100 and proposal.status == GrantProposal.Status.FUNDED:
        proposal.status = GrantProposal.Status.COMPLETED
        proposal.save(update_fields=["status"])
    return progress

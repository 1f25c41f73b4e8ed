"""Registering volunteers, team membership and honours."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import access
from core.models import Center, Community, Role, User
from core.services import grant_role

from ..models import Availability, Honour, Membership, PointAccount, Skill, Team, Volunteer


@transaction.atomic
def register_volunteer(
    *,
    user: User,
    center: Center,
    real_name: str,
    consent: bool,
    communities: Iterable[Community] = (),
    skills: Iterable[Skill] = (),
    availability: Iterable[str] = (),
) -> Volunteer:
    """Make ``user`` a volunteer (or update their profile): real-name consent is required.

    Also opens the points account and grants the volunteer role. Idempotent.
    """
    if not consent:
        raise ValidationError(
            {"consent": _("Volunteering needs your real name: please agree to its use to register.")}
        )
    real_name = (real_name or "").strip()
    if not real_name:
        raise ValidationError({"real_name": _("Enter your real name.")})
    codes = [code for code in availability if code in Availability.values]
    if user.real_name != real_name:
        user.real_name = real_name
        user.save(update_fields=["real_name"])
    volunteer = Volunteer.objects.filter(user=user).first()
    if volunteer is None:
        volunteer = Volunteer(user=user, center=center, consented_at=timezone.now())
    volunteer.center = center
    volunteer.availability = ",".join(codes)
    volunteer.is_active = True
    volunteer.full_clean()
    volunteer.save()
    volunteer.communities.set(communities)
    volunteer.skills.set(skills)
    PointAccount.objects.get_or_create(volunteer=volunteer)
    grant_role(user=user, role=Role.VOLUNTEER)
    return volunteer


def _require(user: User, action: str, obj) -> None:
    if not access.can(user, action, obj):
        raise PermissionDenied(_("This belongs to another center."))


@transaction.atomic
def request_membership(*, volunteer: Volunteer, team: Team, message: str = "") -> Membership:
    """Ask to join ``team``; the leader approves. Asking again while waiting or as a member changes nothing."""
    if not team.is_open:
        raise ValidationError(_("This team is not taking new members at the moment."))
    membership = Membership.objects.select_for_update().filter(team=team, volunteer=volunteer).first()
    if membership is None:
        membership = Membership(team=team, volunteer=volunteer, message=message[:200])
        membership.full_clean()
        membership.save()
    elif membership.status in (Membership.Status.DECLINED, Membership.Status.LEFT):
        membership.status = Membership.Status.PENDING
        membership.message = message[:200]
        membership.decided_at = membership.decided_by = None
        membership.save(update_fields=["status", "message", "decided_at", "decided_by"])
    return membership


@transaction.atomic
def decide_membership(*, membership: Membership, approve: bool, by: User) -> Membership:
    """The leader (or staff of the team's center) approves or declines a pending request."""
    _require(by, "change", membership)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != Membership.Status.PENDING:
        return membership
    membership.status = Membership.Status.APPROVED if approve else Membership.Status.DECLINED
    membership.decided_at = timezone.now()
    membership.decided_by = by
    membership.save(update_fields=["status", "decided_at", "decided_by"])
    return membership


@transaction.atomic
def leave_team(*, membership: Membership) -> Membership:
    if membership.status in (Membership.Status.PENDING, Membership.Status.APPROVED):
        membership.status = Membership.Status.LEFT
        membership.decided_at = timezone.now()
        membership.save(update_fields=["status", "decided_at"])
    return membership


@transaction.atomic
def create_team(
    *, center: Center, name: str, leader: User, description: str = "", is_open: bool = True
) -> Team:
    """A team of ``center`` led by ``leader``, who must be a social worker of that center."""
    if not leader.roles.filter(role=Role.SOCIAL_WORKER, center=center).exists():
        raise ValidationError({"leader": _("The leader must be a social worker of the team's center.")})
    team = Team(center=center, name=name, leader=leader, description=description, is_open=is_open)
    team.full_clean()
    team.save()
    return team


@transaction.atomic
def award_honour(
    *,
    center: Center,
    title: str,
    awarded_on: date,
    volunteer: Volunteer | None = None,
    team: Team | None = None,
    citation: str = "",
) -> Honour:
    honour = Honour(
        center=center, title=title, awarded_on=awarded_on, volunteer=volunteer, team=team, citation=citation
    )
    honour.full_clean()
    honour.save()
    return honour

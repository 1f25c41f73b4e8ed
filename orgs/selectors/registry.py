"""Reads for organizations and venture grants: the public directory and pages, and what staff may see."""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from core import access
from core.models import Center, Role

from ..models import GrantCall, GrantProposal, Organization, ServiceContract, StageChange

# ------------------------------------------------------------------ the public directory


def list_public_organizations() -> QuerySet[Organization]:
    """Active organizations with what a directory row shows: three queries for any page size
    (count, rows with their street and community, their domains)."""
    return (
        Organization.objects.filter(is_active=True)
        .select_related("street", "community")
        .prefetch_related("domains")
        .only(
            "id",
            "name",
            "kind",
            "status",
            "stage",
            "grade",
            "credit_code",
            "street__name",
            "community__name",
        )
    )


def get_public_organization(pk: int) -> Organization:
    """One active organization with its public facts: domains, the centers it runs today, its
    incubator, and its funded venture-grant projects."""
    today = timezone.localdate()
    active = ServiceContract.objects.filter(ServiceContract.active_on_q(today)).prefetch_related(
        Prefetch("centers", queryset=Center.objects.only("id", "name", "slug"))
    )
    funded = GrantProposal.objects.filter(
        status__in=[GrantProposal.Status.FUNDED, GrantProposal.Status.COMPLETED]
    ).select_related("call")
    return (
        Organization.objects.filter(is_active=True)
        .select_related("street", "community", "incubator", "incubation_center")
        .prefetch_related(
            "domains",
            Prefetch("contracts", queryset=active, to_attr="active_contracts"),
            Prefetch("grant_proposals", queryset=funded, to_attr="funded_projects"),
        )
        .get(pk=pk)
    )


# ------------------------------------------------------------------ what staff may see
def scope_organizations(user, action: str = "view") -> QuerySet[Organization]:
    """Organizations ``user`` may ``action``, without duplicates.

    core.access gives street staff the organizations of their street and district
    administrators all of them. For "view", staff also see the operators of their centers:
    managers and social workers those of their own centers, street staff those of every center
    in their street (core's Rule applies one role set to all of a model's paths, so that
    widening lives here, for viewing only)."""
    allowed = access.scope(user, Organization.objects.all(), action)
    if action == "view" and getattr(user, "is_authenticated", False) and user.is_active:
        center_ids = access.center_ids(user, access.ALL_STAFF)
        if center_ids:
            operators = ServiceContract.objects.filter(centers__in=center_ids).values("operator_id")
            allowed = Organization.objects.filter(Q(pk__in=allowed.values("pk")) | Q(pk__in=operators))
    return Organization.objects.filter(pk__in=allowed.values("pk"))


def can_see_staff_data(user, organization: Organization) -> bool:
    """May ``user`` see the staff-only part of an organization's page (contacts, staff, history)?"""
    if not access.is_staff_member(user):
        return False
    return scope_organizations(user, "view").filter(pk=organization.pk).exists()


def can_change_organization(user, organization: Organization) -> bool:
    return access.scope(user, Organization.objects.filter(pk=organization.pk), "change").exists()


def get_staff_view(organization: Organization) -> dict:
    """The staff-only facts of an organization: contacts are on the row; here its staff, its
    lifecycle history and its contracts, each in one query."""
    history = list(
        StageChange.objects.filter(organization=organization)
        .select_related("moved_by", "incubator", "incubation_center")
        .order_by("-sequence")
    )
    contracts = list(
        ServiceContract.objects.filter(operator=organization)
        .select_related("buyer_street", "buyer_community")
        .prefetch_related(Prefetch("centers", queryset=Center.objects.only("id", "name")))
        .order_by("-starts_on")
    )
    return {"history": history, "staff": list(organization.staff.all()), "contracts": contracts}


def list_hub_organizations() -> QuerySet[Organization]:
    return Organization.objects.filter(kind=Organization.Kind.HUB, is_active=True).only("id", "name")


def count_organizations(*, street_ids: Collection[int] | None = None) -> list[dict]:
    """Active organizations by status and lifecycle stage (for the monthly report), one query."""
    qs = Organization.objects.filter(is_active=True)
    if street_ids is not None:
        qs = qs.filter(street_id__in=street_ids)
    return list(qs.values("status", "stage").annotate(count=Count("id")).order_by("status", "stage"))


# ------------------------------------------------------------------ venture grants
def list_public_grant_calls() -> QuerySet[GrantCall]:
    """Calls with the number of proposals and the total granted, in one query."""
    return GrantCall.objects.select_related("street").annotate(
        proposal_count=Count("proposals"),
        funded_count=Count("proposals", filter=Q(proposals__status__in=["funded", "completed"])),
        granted_total=Sum("proposals__granted_amount"),
    )


def get_public_grant_call(pk: int) -> GrantCall:
    """A call with its funded projects (organization, amount, latest progress); public facts only."""
    funded = (
        GrantProposal.objects.filter(status__in=[GrantProposal.Status.FUNDED, GrantProposal.Status.COMPLETED])
        .select_related("organization")
        .prefetch_related("progress")
        .order_by("title")
    )
    return (
        GrantCall.objects.select_related("street")
        .prefetch_related(Prefetch("proposals", queryset=funded, to_attr="funded_projects"))
        .get(pk=pk)
    )


def scope_proposals(user, action: str = "view") -> QuerySet[GrantProposal]:
    return access.scope(user, GrantProposal.objects.all(), action)


def is_street_or_district_staff(user) -> bool:
    return access.is_district_wide(user) or access.has_role(user, Role.STREET_STAFF)

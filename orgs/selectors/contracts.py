"""Reads for service contracts: which a staff member may see, and which organization runs a center."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from core import access
from core.models import Center

from ..models import Organization, ServiceContract


def scope_contracts(user, action: str = "view") -> QuerySet[ServiceContract]:
    """Contracts of the centers ``user`` works in or oversees, without duplicates."""
    allowed = access.scope(user, ServiceContract.objects.all(), action)
    return ServiceContract.objects.filter(pk__in=allowed.values("pk"))


def list_contracts(user) -> QuerySet[ServiceContract]:
    return (
        scope_contracts(user)
        .select_related("operator", "buyer_street", "buyer_community")
        .prefetch_related(Prefetch("centers", queryset=Center.objects.only("id", "name")))
        .order_by("-starts_on", "number")
    )


def get_contract(user, pk: int) -> ServiceContract:
    """A contract ``user`` may see, with what its page shows (DoesNotExist otherwise)."""
    return (
        scope_contracts(user)
        .select_related("operator", "buyer_street", "buyer_community")
        .prefetch_related("centers", "targets")
        .get(pk=pk)
    )


def operators_by_center(
    center_ids: Iterable[int], *, on: datetime.date | None = None
) -> dict[int, Organization]:
    """The operator of each center on ``on`` (today): the organization holding its active contract."""
    day = on or timezone.localdate()
    through = ServiceContract.centers.through
    rows = (
        through.objects.filter(center_id__in=list(center_ids))
        .filter(ServiceContract.active_on_q(day, prefix="servicecontract__"))
        .select_related("servicecontract__operator")
    )
    return {row.center_id: row.servicecontract.operator for row in rows}


def get_active_contract(center: Center, *, on: datetime.date | None = None) -> ServiceContract | None:
    """The contract under which ``center`` is run on ``on`` (today), with its operator."""
    day = on or timezone.localdate()
    return (
        ServiceContract.objects.filter(ServiceContract.active_on_q(day), centers=center)
        .select_related("operator", "buyer_street")
        .first()
    )


def get_operator(center: Center, *, on: datetime.date | None = None) -> Organization | None:
    return operators_by_center([center.pk], on=on).get(center.pk)


def reporting_day(contract: ServiceContract, requested: datetime.date | None = None) -> datetime.date:
    """The day a contract page reports on: the requested (or today's) date, kept within the term."""
    day = requested or timezone.localdate()
    return min(max(day, contract.starts_on), contract.last_day)

"""The audit trail of personal data (PIPL): who, in which role, when, what, why and from where.

Every read, change or export of a sensitive record appends one ``AuditEntry`` row through
:func:`audit` (or :func:`audit_many` for an export of many records). Views build an
:class:`AuditContext` from the request (purpose and client address); tasks pass none.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

from . import access, client_address
from .models import AuditEntry, Role

# The order in which a staff role is named when a user holds several for the same record.
_ROLE_PRECEDENCE = (Role.CENTER_MANAGER, Role.SOCIAL_WORKER, Role.STREET_STAFF, Role.DISTRICT_ADMIN)


@dataclass(frozen=True)
class AuditContext:
    """Why and from where a record is touched."""

    why: str = ""
    ip: str | None = None

    @classmethod
    def from_request(cls, request, why: str) -> AuditContext:
        return cls(why=why, ip=client_ip(request))


def client_ip(request) -> str | None:
    """The client's address as the rate limits see it (core.client_address); None if it has none."""
    address = client_address.client_ip(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def role_of(user, center_id: int | None = None) -> str:
    """The role under which ``user`` acts on a record of ``center_id``."""
    if user is None or not getattr(user, "is_authenticated", False):
        return "system"
    if user.is_superuser:
        return "superuser"
    held = {a.role for a in access.assignments(user) if center_id is None or a.center_id in (None, center_id)}
    for role in _ROLE_PRECEDENCE:
        if role in held:
            return str(role)
    return "resident"


def _entry(*, actor, action: str, obj, center_id, context: AuditContext | None, detail: str) -> AuditEntry:
    context = context or AuditContext()
    return AuditEntry(
        actor=actor if actor is not None and actor.is_authenticated else None,
        role=role_of(actor, center_id),
        action=action,
        object_type=obj._meta.label if hasattr(obj, "_meta") else str(obj),
        object_id=str(getattr(obj, "pk", "") or ""),
        reason=context.why[:200],
        ip=context.ip or None,
        detail=detail[:255],
    )


def audit(
    *,
    actor,
    action: str,
    obj,
    center_id: int | None = None,
    context: AuditContext | None = None,
    detail: str = "",
) -> AuditEntry:
    """Append one row: ``actor`` did ``action`` to ``obj`` (never updated, never deleted)."""
    entry = _entry(actor=actor, action=action, obj=obj, center_id=center_id, context=context, detail=detail)
    entry.save(force_insert=True)
    return entry


def audit_request(
    request, *, action: str, obj, why: str, center_id: int | None = None, detail: str = ""
) -> AuditEntry:
    """``audit`` for a view: the request's user did ``action`` to ``obj`` for ``why``, from its address."""
    return audit(
        actor=request.user,
        action=action,
        obj=obj,
        center_id=center_id,
        context=AuditContext.from_request(request, why),
        detail=detail,
    )


def audit_many(
    *, actor, action: str, objects: Iterable, context: AuditContext | None = None, detail: str = ""
) -> int:
    """One row per object, inserted in batches (an export of a few hundred records)."""
    rows = [
        _entry(
            actor=actor,
            action=action,
            obj=obj,
            center_id=getattr(obj, "center_id", None),
            context=context,
            detail=detail,
        )
        for obj in objects
    ]
    AuditEntry.objects.bulk_create(rows, batch_size=1000)
    return len(rows)

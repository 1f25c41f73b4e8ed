"""One audit row per view, change or export of a care record (PIPL), in core's audit log.

core.AuditEntry holds who, what and when; the role, the purpose ("why") and the IP address
go into its ``detail`` as ``role=...; why=...; ip=...`` until core gives them columns.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings

from core import access
from core.models import AuditEntry, Role
from core.services import record_audit


@dataclass(frozen=True)
class AuditContext:
    """Why and from where a record is touched; built from the request by callers."""

    why: str = ""
    ip: str = ""

    @classmethod
    def from_request(cls, request, why: str) -> AuditContext:
        return cls(why=why, ip=client_ip(request))


def client_ip(request) -> str:
    """The client's address; X-Forwarded-For is trusted only for the configured proxy count."""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def role_of(user, center_id: int | None = None) -> str:
    """The role under which ``user`` acts on a record of ``center_id`` (for the audit line)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return "system"
    if user.is_superuser:
        return "superuser"
    roles = [
        a.role for a in access.assignments(user) if center_id is None or a.center_id in (None, center_id)
    ]
    for role in (Role.CENTER_MANAGER, Role.SOCIAL_WORKER, Role.STREET_STAFF, Role.DISTRICT_ADMIN):
        if role in roles:
            return str(role)
    return "resident"


def _detail(user, center_id, context: AuditContext | None, extra: str) -> str:
    context = context or AuditContext()
    parts = [f"role={role_of(user, center_id)}", f"why={context.why or '-'}", f"ip={context.ip or '-'}"]
    if extra:
        parts.append(extra)
    return "; ".join(parts)[:255]


def audit(*, actor, action: str, obj, center_id: int | None, context: AuditContext | None, extra: str = ""):
    return record_audit(actor=actor, action=action, obj=obj, detail=_detail(actor, center_id, context, extra))


def audit_many(
    *, actor, action: str, objects: Iterable, context: AuditContext | None, extra: str = ""
) -> int:
    """One row per object in one INSERT (an export of a few hundred recipients)."""
    rows = [
        AuditEntry(
            actor=actor if actor is not None and actor.is_authenticated else None,
            action=action,
            object_type=obj._meta.label,
            object_id=str(obj.pk),
            detail=_detail(actor, getattr(obj, "center_id", None), context, extra),
        )
        for obj in objects
    ]
    AuditEntry.objects.bulk_create(rows, batch_size=1000)
    return len(rows)

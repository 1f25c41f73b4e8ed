"""Writes for places, people and roles."""

from contextlib import contextmanager

from django.db import connection, transaction

from .models import STAFF_ROLES, Center, RoleAssignment, Street, User


@transaction.atomic
def grant_role(
    *, user: User, role: str, center: Center | None = None, street: Street | None = None
) -> RoleAssignment:
    """Give ``user`` ``role`` in a scope; staff roles also open the administration. Idempotent."""
    assignment = RoleAssignment.objects.filter(user=user, role=role, center=center, street=street).first()
    if assignment is None:
        assignment = RoleAssignment(user=user, role=role, center=center, street=street)
        assignment.full_clean()
        assignment.save()
    if role in STAFF_ROLES and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.__dict__.pop("_role_assignments", None)
    return assignment


@transaction.atomic
def revoke_role(*, assignment: RoleAssignment) -> None:
    user = assignment.user
    assignment.delete()
    if not user.is_superuser and not RoleAssignment.objects.filter(user=user, role__in=STAFF_ROLES).exists():
        user.is_staff = False
        user.save(update_fields=["is_staff"])


@contextmanager
def audit_maintenance():
    """Allow emptying the audit log inside this block (restoring a backup); never for a single row."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM core_audit_unlock")
        already_unlocked = cursor.fetchone()[0] > 0
        if not already_unlocked:
            cursor.execute("INSERT INTO core_audit_unlock (id) VALUES (1)")
        try:
            yield
        finally:
            if not already_unlocked:
                cursor.execute("DELETE FROM core_audit_unlock")

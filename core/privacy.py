"""A resident's own data: download (JSON, Excel) and erasure (PIPL).

Each app that holds personal data adds ``<app>/privacy.py`` with

    def export(user) -> dict[str, list[dict]]   # section title -> rows of plain values
    def erase(user) -> None                      # anonymise the app's personal fields of ``user``

Core discovers those modules by name (it imports no app). Erasure keeps rows that aggregates
count (sign-ups, hours, visits) and removes what identifies the person.
"""

from importlib import import_module

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.module_loading import module_has_submodule

from .audit import AuditContext, audit
from .models import RoleAssignment, User


def _hooks():
    for config in apps.get_app_configs():
        if config.name != "core" and module_has_submodule(config.module, "privacy"):
            yield import_module(f"{config.name}.privacy")


def export_personal_data(*, user: User, context: AuditContext | None = None) -> dict[str, list[dict]]:
    """Everything the portal holds about ``user``, by section; the export itself is audited."""
    data = {
        "account": [
            {
                "real_name": user.real_name,
                "phone": user.phone or "",
                "email": user.email or "",
                "date_joined": user.date_joined.isoformat(),
                "last_login": user.last_login.isoformat() if user.last_login else "",
            }
        ],
        "roles": [
            {"role": a.role, "center": str(a.center or ""), "street": str(a.street or "")}
            for a in RoleAssignment.objects.filter(user=user).select_related("center", "street")
        ],
    }
    for hook in _hooks():
        data.update(hook.export(user))
    audit(actor=user, action="export", obj=user, context=context, detail="personal data download")
    return data


@transaction.atomic
def erase_personal_data(*, user: User, context: AuditContext | None = None) -> None:
    """Anonymise ``user`` everywhere and deactivate the account; counts and aggregates stay right."""
    for hook in _hooks():
        hook.erase(user)
    audit(actor=user, action="erase", obj=user, context=context, detail="erasure at the person's request")
    RoleAssignment.objects.filter(user=user).delete()
    user.real_name = ""
    user.phone = None
    user.phone_verified = False
    user.email = f"erased-{user.pk}@erased.invalid"
    user.password = make_password(None)
    user.is_active = False
    user.is_staff = False
    user.save()  # an inactive user's sessions no longer authenticate (ModelBackend.get_user)

"""The care work desk in the admin: fast (no N+1), scoped (404 outside one's centers), audited."""

from .base import CareAdmin
from .notices import AlertAdmin, CadencePolicyAdmin
from .recipients import RecipientAdmin
from .visits import ConsentAdmin, ReferralAdmin, VisitAdmin

__all__ = [
    "AlertAdmin",
    "CadencePolicyAdmin",
    "CareAdmin",
    "ConsentAdmin",
    "RecipientAdmin",
    "ReferralAdmin",
    "VisitAdmin",
]

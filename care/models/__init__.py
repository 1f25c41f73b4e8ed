"""Care of vulnerable residents: recipients, consent, visits, follow-ups, referrals, alerts.

This is the most sensitive data the portal holds (PIPL: health, disability, whereabouts).
Access rules (core.access): social workers and center managers of the recipient's center only.
Street staff see aggregates (care.selectors), never rows. The district administrator is kept
out of personal rows as well (need-to-know); they configure the cadence and read the audit log.
"""

from .alerts import Alert
from .recipients import (
    DEFAULT_CADENCE,
    MANAGERS,
    NO_DISTRICT,
    SENSITIVE_FIELDS,
    CadencePolicy,
    Consent,
    DisabilityType,
    Recipient,
    RiskTier,
)
from .visits import VISIT_RULE, FollowUp, Referral, Visit

__all__ = [
    "DEFAULT_CADENCE",
    "MANAGERS",
    "NO_DISTRICT",
    "SENSITIVE_FIELDS",
    "VISIT_RULE",
    "Alert",
    "CadencePolicy",
    "Consent",
    "DisabilityType",
    "FollowUp",
    "Recipient",
    "Referral",
    "RiskTier",
    "Visit",
]

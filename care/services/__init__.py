"""Writes for care: recipients and their consent, visits, referrals, reminders and retention.

Every write of a care record appends one row to the audit log (core.audit). Sensitive fields
are stored only under an active consent of scope "sensitive"; notes of a visit only under an
active consent of any scope, except for a crisis intervention (PIPL art. 13(4): protecting
life and health in an emergency).
"""

from .notices import (
    ReminderRun,
    center_staff,
    mark_alerts_read,
    notify_crisis,
    send_due_reminders,
    street_staff,
)
from .recipients import (
    CONSENT_TEXT_VERSION,
    NO_CONSENT_FOR_SENSITIVE,
    Cadence,
    cadence_for,
    cadences,
    has_consent,
    record_consent,
    refresh_cadence,
    save_cadence_policy,
    save_recipient,
    withdraw_consent,
)
from .retention import anonymise_expired_recipients, anonymise_recipients, retention_days
from .visits import (
    NO_CONSENT_FOR_NOTES,
    VISIT_NOTE_FIELDS,
    check_visit_notes_allowed,
    delete_visit,
    record_visit,
    save_follow_up,
    save_referral,
    save_visit,
)

__all__ = [
    "CONSENT_TEXT_VERSION",
    "NO_CONSENT_FOR_NOTES",
    "NO_CONSENT_FOR_SENSITIVE",
    "VISIT_NOTE_FIELDS",
    "Cadence",
    "ReminderRun",
    "anonymise_expired_recipients",
    "anonymise_recipients",
    "cadence_for",
    "cadences",
    "center_staff",
    "check_visit_notes_allowed",
    "delete_visit",
    "has_consent",
    "mark_alerts_read",
    "notify_crisis",
    "record_consent",
    "record_visit",
    "refresh_cadence",
    "retention_days",
    "save_cadence_policy",
    "save_follow_up",
    "save_recipient",
    "save_referral",
    "save_visit",
    "send_due_reminders",
    "street_staff",
    "withdraw_consent",
]

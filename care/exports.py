"""The recipients export: restricted to center managers, minimal fields, masked, audited per row."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import AuditContext, audit_many
from core.models import User
from core.spreadsheets import workbook_bytes

from . import selectors


@transaction.atomic
def export_recipients(*, actor: User, reason: str, context: AuditContext) -> tuple[bytes, int]:
    """An XLSX of the actor's recipients. No health notes, ID and phone masked, formula-safe
    cells; one audit row per exported recipient, with the stated purpose."""
    recipients = list(selectors.recipients_for_export(actor))
    yes, no = _("yes"), _("no")
    rows = [
        {
            _("center"): r.center.name,
            _("full name"): r.name,
            _("gender"): r.get_gender_display() if r.gender else "",
            _("year of birth"): r.birth_year,
            _("telephone"): r.masked_phone,
            _("ID number"): r.masked_id_number,
            _("lives alone"): yes if r.lives_alone else no,
            _("very old (80+)"): yes if r.very_old else no,
            _("risk tier"): r.get_risk_tier_display(),
            _("last visited on"): r.last_visited_on,
            _("next visit due"): r.next_visit_due,
            _("social worker"): str(r.social_worker) if r.social_worker else "",
            _("consent"): yes if r.consent_scope else no,
            _("status"): r.get_status_display(),
        }
        for r in recipients
    ]
    data = workbook_bytes({_("Care recipients"): rows})
    audit_many(
        actor=actor,
        action="export",
        objects=recipients,
        context=AuditContext(why=f"export: {reason}"[:120], ip=context.ip),
    )
    return data, len(recipients)

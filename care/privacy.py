"""A resident's own care record in their data download, and its erasure (core.privacy hooks)."""

from django.db import transaction
from django.utils.translation import gettext as _

from . import services
from .models import Recipient


def export(user) -> dict[str, list[dict]]:
    """The care records linked to ``user``'s account: their own data, sensitive fields included."""
    records = list(
        Recipient.objects.filter(resident=user, anonymised_at__isnull=True)
        .select_related("center", "social_worker")
        .prefetch_related("visits", "referrals", "consents")
    )
    if not records:
        return {}
    return {
        _("Care record"): [
            {
                "center": r.center.name,
                "name": r.name,
                "found_on": r.found_on.isoformat(),
                "risk_tier": r.risk_tier,
                "lives_alone": r.lives_alone,
                "very_old": r.very_old,
                "disability": r.disability_type,
                "health_notes": r.health_notes,
                "registered_but_absent": r.registered_but_absent,
                "family_contacts": r.family_contacts,
                "guardian": r.guardian_name,
                "social_worker": str(r.social_worker or ""),
                "next_visit_due": r.next_visit_due.isoformat() if r.next_visit_due else "",
            }
            for r in records
        ],
        _("Care visits"): [
            {
                "date": v.visited_on.isoformat(),
                "type": v.kind,
                "minutes": v.duration_minutes,
                "mood": v.mood,
                "observations": v.observations,
                "needs_found": v.needs_found,
            }
            for r in records
            for v in r.visits.all()
        ],
        _("Care referrals"): [
            {
                "resource": f.resource,
                "status": f.status,
                "referred_on": f.referred_on.isoformat(),
                "outcome": f.outcome,
            }
            for r in records
            for f in r.referrals.all()
        ],
        _("Care consents"): [
            {
                "scope": c.scope,
                "given_on": c.given_on.isoformat(),
                "channel": c.channel,
                "withdrawn_on": c.withdrawn_on.isoformat() if c.withdrawn_on else "",
            }
            for r in records
            for c in r.consents.all()
        ],
    }


@transaction.atomic
def erase(user) -> None:
    """Anonymise the care records of ``user`` (closing them) and end their volunteer pairings."""
    ids = list(
        Recipient.objects.filter(resident=user, anonymised_at__isnull=True).values_list("pk", flat=True)
    )
    services.anonymise_recipients(ids=ids, why="erasure at the person's request")
    Recipient.objects.filter(volunteer=user).update(volunteer=None)

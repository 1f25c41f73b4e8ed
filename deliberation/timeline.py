"""The resident timeline: 3+1 meetings the resident took part in, and mediation cases where
they are a party (core.timeline). Mediation is private: only cases the viewer may open."""

from django.utils.translation import gettext as _

from core import access
from core.timeline import TimelineEntry, timeline_source

from .models import MediationCase, Participant


@timeline_source
def meetings_and_mediation(*, resident, viewer, limit: int = 50) -> list[TimelineEntry]:
    participations = (
        Participant.objects.filter(user=resident)
        .select_related("meeting")
        .order_by("-meeting__starts_at")[:limit]
    )
    entries = [
        TimelineEntry(
            when=p.meeting.starts_at,
            kind=_("3+1 meeting"),
            title=p.meeting.topic,
            detail=" · ".join(
                filter(
                    None,
                    [p.get_party_display(), _("attended") if p.attended else ""],
                )
            ),
        )
        for p in participations
    ]
    if resident.phone:
        cases = access.scope(
            viewer, MediationCase.objects.filter(parties__phone=resident.phone).distinct()
        ).order_by("-opened_on")[:limit]
        entries += [
            TimelineEntry(
                when=case.opened_on,
                kind=_("Mediation"),
                title=f"{case.title} · {case.get_status_display()}",
                detail=case.get_outcome_display() if case.outcome else "",
            )
            for case in cases
        ]
    return entries

"""A resident's deliberation data in their download, and its erasure (core.privacy hooks).

Erasure keeps the rows that tallies count (a participant's party and attendance, an objection
and its public answer) and removes what identifies the person: names, numbers, their words.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import MediationCase, Objection, Opinion, Participant

REMOVED = "—"


def export(user) -> dict[str, list[dict]]:
    objections = list(Objection.objects.filter(author=user).select_related("notice__meeting"))
    participations = list(Participant.objects.filter(user=user).select_related("meeting"))
    cases = list(MediationCase.objects.filter(mediator=user).select_related("center"))
    data = {}
    if objections:
        data[_("Objections to public notices")] = [
            {
                "meeting": o.notice.meeting.topic,
                "objection": o.text,
                "filed_at": timezone.localtime(o.created_at).isoformat(),
                "answer": o.answer,
                "answered_at": timezone.localtime(o.answered_at).isoformat() if o.answered_at else "",
            }
            for o in objections
        ]
    if participations:
        data[_("3+1 meetings attended")] = [
            {
                "meeting": p.meeting.topic,
                "date": timezone.localtime(p.meeting.starts_at).date().isoformat(),
                "party": p.party,
                "name": p.name,
                "affiliation": p.affiliation,
                "phone": p.phone,
                "attended": p.attended,
                "opinions": " / ".join(Opinion.objects.filter(speaker=p).values_list("text", flat=True)),
            }
            for p in participations
        ]
    if cases:
        data[_("Mediation cases I mediate")] = [
            {
                "case": c.title,
                "center": c.center.name,
                "opened_on": c.opened_on.isoformat(),
                "status": c.status,
            }
            for c in cases
        ]
    return data


@transaction.atomic
def erase(user) -> None:
    Objection.objects.filter(author=user).update(text=_("(removed at the resident's request)"))
    participants = Participant.objects.filter(user=user)
    Opinion.objects.filter(speaker__in=participants).update(text=_("(removed at the resident's request)"))
    participants.update(name=REMOVED, affiliation="", phone="", user=None)
    MediationCase.objects.filter(mediator=user).update(mediator=None)

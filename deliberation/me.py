"""My page (/me/): my objections to public notices, and the cases I mediate (listed only when there
are some: the page's figures query counts them first)."""

from django.db.models import OuterRef

from core.expressions import count_of
from core.profile import figures, me_figures, me_section

from . import selectors
from .models import MediationCase, Objection


@me_figures
def deliberation_figures():
    return {
        "objection_count": count_of(Objection.objects.filter(author=OuterRef("pk"))),
        "mediation_count": count_of(MediationCase.objects.filter(mediator=OuterRef("pk"))),
    }


@me_section(order=60)
def my_deliberation(request):
    mine = figures(request)
    objections = list(selectors.my_objections(request.user)) if mine["objection_count"] else []
    cases = list(selectors.my_mediation_cases(request.user)) if mine["mediation_count"] else []
    if not objections and not cases:
        return None
    return "deliberation/me_deliberation.html", {"objections": objections, "cases": cases}

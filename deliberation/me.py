"""My page (/me/): my objections to public notices, and the cases I mediate."""

from core.profile import me_section

from . import selectors


@me_section(order=60)
def my_deliberation(request):
    objections = list(selectors.my_objections(request.user))
    cases = list(selectors.my_mediation_cases(request.user))
    if not objections and not cases:
        return None
    return "deliberation/me_deliberation.html", {"objections": objections, "cases": cases}

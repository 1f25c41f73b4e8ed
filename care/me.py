"""The care section of "my page": a staff member's unread care notices."""

from core import access
from core.profile import me_section

from . import selectors

SHOWN = 5


@me_section(order=40)
def care_notices(request):
    if not access.is_staff_member(request.user):
        return None
    alerts = selectors.unread_alerts(request.user)
    shown = list(alerts[: SHOWN + 1])
    more = max(alerts.count() - SHOWN, 0) if len(shown) > SHOWN else 0
    return "care/me_alerts.html", {"alerts": shown[:SHOWN], "more": more}

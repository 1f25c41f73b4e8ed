"""My page (/me/): "your report is ready" notices for street and district staff."""

from core import access
from core.profile import me_section

from .models import Report, ReportNotice


@me_section(order=90)
def my_report_notices(request):
    user = request.user
    if not access.can(user, "view", Report):
        return None
    notices = (
        access.scope(user, ReportNotice.objects.filter(user=user), "view")
        .select_related("report__district", "report__street", "report__center")
        .order_by("-created_at")[:5]
    )
    return "reports/me_notices.html", {"notices": list(notices)}

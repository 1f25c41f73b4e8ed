"""My page (/me/): the resident's requests for help, and a volunteer's tasks and emergency calls."""

from core.profile import me_section

from . import selectors
from .models import Assignment


@me_section(order=40)
def my_requests(request):
    requests = list(selectors.list_my_requests(user=request.user)[:20])
    return "dispatch/me_requests.html", {"my_requests": requests}


@me_section(order=45)
def my_tasks(request):
    """Only for volunteers and team leaders with something open or waiting."""
    tasks = list(
        selectors.list_my_tasks(user=request.user).filter(
            response__in=Assignment.ACTIVE, request__closed_at__isnull=True
        )[:10]
    )
    calls = list(selectors.list_my_calls(user=request.user)[:5])
    if not tasks and not calls:
        return None
    return "dispatch/me_tasks.html", {"tasks": tasks, "calls": calls}

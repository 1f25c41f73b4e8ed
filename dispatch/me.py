"""My page (/me/): the resident's requests for help, and a volunteer's tasks and emergency calls.

The tasks and calls are counts from the page's figures query, with a link to the task list
(``dispatch:task_list``) where they are answered; the requests are listed when there are some.
"""

from django.db.models import OuterRef

from core.expressions import count_of
from core.profile import figures, me_figures, me_section

from . import selectors
from .models import Assignment, CallAnswer, Mobilisation, ServiceRequest

SHOWN = 20


@me_figures
def dispatch_figures():
    open_tasks = Assignment.objects.filter(response__in=Assignment.ACTIVE, request__closed_at__isnull=True)
    # One count per branch, so that each uses its own index (an OR across the joins scans the table).
    mine, led = (
        open_tasks.filter(volunteer__user=OuterRef("pk")),
        open_tasks.filter(team__leader=OuterRef("pk")),
    )
    pending = Assignment.Response.PENDING
    calls = CallAnswer.objects.filter(
        volunteer__user=OuterRef("pk"), mobilisation__status=Mobilisation.Status.OPEN
    )
    return {
        "request_count": count_of(ServiceRequest.objects.filter(requester=OuterRef("pk"))),
        "tasks_mine": count_of(mine),
        "tasks_led": count_of(led),
        "tasks_mine_pending": count_of(mine.filter(response=pending)),
        "tasks_led_pending": count_of(led.filter(response=pending)),
        "calls_open": count_of(calls),
        "calls_unanswered": count_of(calls.filter(answer=CallAnswer.Answer.WAITING)),
    }


@me_section(order=40)
def my_requests(request):
    requests = []
    if figures(request)["request_count"]:
        requests = list(selectors.list_my_requests(user=request.user).prefetch_related(None)[:SHOWN])
    return "dispatch/me_requests.html", {"my_requests": requests}


@me_section(order=45)
def my_tasks(request):
    """Only for volunteers and team leaders with something open or waiting."""
    mine = figures(request)
    tasks = mine["tasks_mine"] + mine["tasks_led"]
    if not tasks and not mine["calls_open"]:
        return None
    return "dispatch/me_tasks.html", {
        "tasks": tasks,
        "tasks_pending": mine["tasks_mine_pending"] + mine["tasks_led_pending"],
        "calls": mine["calls_open"],
        "calls_unanswered": mine["calls_unanswered"],
    }

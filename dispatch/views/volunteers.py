"""Volunteers and team leaders answer tasks and emergency calls; staff broadcast the calls."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core import access

from .. import selectors, services
from ..forms import (
    AnswerForm,
    CallAnswerForm,
    MobilisationForm,
)
from ..models import Assignment, Mobilisation
from .common import STATUS_ACTIONS, add_errors, staff_required


# ------------------------------------------------------------------ volunteers and team leaders
@login_required
@never_cache
def task_list(request: HttpRequest) -> HttpResponse:
    """Requests given to me (as a volunteer or a team leader), and emergency calls to answer."""
    request.sensitive = True
    tasks = list(selectors.list_my_tasks(user=request.user)[:50])
    calls = list(selectors.list_my_calls(user=request.user)[:20])
    return render(
        request,
        "dispatch/assignment_list.html",
        {
            "tasks": tasks,
            "calls": calls,
            "is_volunteer": selectors.get_volunteer(user=request.user) is not None,
        },
    )


def _my_task(request: HttpRequest, pk: int) -> Assignment:
    task = selectors.get_my_task(user=request.user, pk=pk)
    if task is None:
        raise Http404
    return task


@login_required
@require_POST
def task_answer(request: HttpRequest, pk: int) -> HttpResponse:
    task = _my_task(request, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        accept = form.cleaned_data["answer"] == "accept"
        try:
            services.answer_assignment(
                assignment=task, accept=accept, by=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("Thank you: you accepted.")
                if accept
                else _("You declined; the dispatcher will find someone else."),
            )
    else:
        messages.error(request, _("Choose accept or decline."))
    return redirect("dispatch:task_list")


@login_required
@require_POST
def task_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The assignee reports that the service has started or is done."""
    task = _my_task(request, pk)
    action = request.POST.get("action")
    if not task.is_active or action not in ("start", "complete"):
        messages.error(request, _("This request cannot be updated from here."))
        return redirect("dispatch:task_list")
    service, done = STATUS_ACTIONS[action]
    try:
        service(request=task.request, by=request.user, note=request.POST.get("note", "")[:500])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, str(done))
    return redirect("dispatch:task_list")


@never_cache
def call_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """A volunteer answers an emergency call: received, coming or cannot."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    request.sensitive = True
    row = selectors.list_my_calls(user=request.user).filter(mobilisation_id=pk).first()
    if row is None:
        raise Http404
    form = CallAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_call(
                call=row.mobilisation, volunteer=row.volunteer, answer=form.cleaned_data["answer"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Your answer has been recorded. Thank you!"))
        return redirect("dispatch:call_answer", pk=pk)
    return render(request, "dispatch/call_answer.html", {"row": row, "call": row.mobilisation, "form": form})


# ------------------------------------------------------------------ emergency mobilisation (staff)
@staff_required
def mobilisation_list(request: HttpRequest) -> HttpResponse:
    may_call = access.can(request.user, "add", Mobilisation)
    form = MobilisationForm(request.POST or None, user=request.user) if may_call else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                call = services.start_mobilisation(created_by=request.user, **data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("The call has gone out to %(count)s volunteers.") % {"count": call.answers.count()},
                )
                return redirect(call.get_absolute_url())
    calls = selectors.list_mobilisations(user=request.user)[:30]
    return render(request, "dispatch/mobilisation_list.html", {"form": form, "calls": calls})


@staff_required
def mobilisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.get_mobilisation(user=request.user, pk=pk)
    if call is None:
        raise Http404
    counts, rows = selectors.roster(call=call)
    return render(
        request,
        "dispatch/mobilisation_detail.html",
        {
            "call": call,
            "counts": counts,
            "roster": rows,
            "waves": list(call.waves.all()),
            "can_change": access.can(request.user, "change", call),
        },
    )


@staff_required
@require_POST
def mobilisation_close(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.get_mobilisation(user=request.user, pk=pk, action="change")
    if call is None:
        raise Http404
    services.close_mobilisation(call=call, by=request.user)
    messages.success(request, _("The call is closed."))
    return redirect(call.get_absolute_url())

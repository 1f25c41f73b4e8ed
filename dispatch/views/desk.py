"""The dispatch desk for staff: requests, assigning, states, call-backs, recording, supplies."""

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import access

from .. import selectors, services
from ..filters import RequestFilter
from ..forms import (
    AnswerForm,
    AssignForm,
    StaffFeedbackForm,
    StaffRequestForm,
    StatusForm,
    SupplyForm,
)
from ..models import ServiceRequest, Status, SupplyEntry
from .common import STATUS_ACTIONS, add_errors, staff_required


# ------------------------------------------------------------------ the dispatch desk
@staff_required
def desk(request: HttpRequest) -> HttpResponse:
    queryset = selectors.list_desk_requests(user=request.user)
    filterset = RequestFilter(request.GET or None, queryset=queryset, user=request.user)
    rows = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "dispatch/request_list.html",
        {"filter": filterset, "page_obj": page, "requests": page.object_list, "query": query.urlencode()},
    )


def _desk_request(request: HttpRequest, pk: int, action: str = "view"):
    service_request = selectors.get_desk_request(user=request.user, pk=pk, action=action)
    if service_request is None:
        raise Http404
    return service_request


def _render_desk(request: HttpRequest, service_request, status: int = 200, **forms) -> HttpResponse:
    can_change = access.can(request.user, "change", service_request)
    active = next(iter(service_request.active_assignments), None)
    context = {
        "service_request": service_request,
        "active": active,
        "history": list(service_request.history.all()),
        "assignments": service_request.all_assignments,
        "feedback": selectors.request_feedback(service_request),
        "can_change": can_change,
        "status_form": forms.get("status_form") or StatusForm(status=service_request.status),
        "answer_form": forms.get("answer_form") or AnswerForm(),
        "feedback_form": forms.get("feedback_form") or StaffFeedbackForm(),
    }
    return render(request, "dispatch/request_desk.html", context, status=status)


@staff_required
def desk_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_desk(request, _desk_request(request, pk))


def _after_change(request: HttpRequest, service_request, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(service_request.get_desk_url())


def _picked(value) -> dict:
    """The candidate chosen before the form came back with an error, to keep it checked."""
    kind, _sep, pk = str(value or "").partition(":")
    return {"picked_kind": kind, "picked_pk": int(pk) if re.fullmatch(r"[0-9]{1,18}", pk) else None}


@staff_required
def desk_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose who takes a new request: the best candidates of each kind, a search by name, a note."""
    service_request = selectors.get_request_to_assign(user=request.user, pk=pk)
    if service_request is None:
        raise Http404
    if service_request.status != Status.NEW:
        messages.info(request, _("This request has already been assigned or closed."))
        return redirect(service_request.get_desk_url())
    form = AssignForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.assign_request(
                request=service_request, by=request.user, note=form.cleaned_data["note"], **form.target()
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return _after_change(request, service_request, _("The request has been assigned."))
    q = request.GET.get("q", "").strip()[:50]
    context = {
        "service_request": service_request,
        "form": form,
        "q": q,
        **_picked(form["pick"].value()),
        **selectors.assign_candidates(user=request.user, request=service_request, q=q),
    }
    return render(request, "dispatch/request_assign.html", context)


@staff_required
@require_POST
def desk_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff record the assignee's answer (a site or vehicle crew, or a volunteer on the phone)."""
    service_request = _desk_request(request, pk, "change")
    form = AnswerForm(request.POST)
    active = next(iter(service_request.active_assignments), None)
    if active is None:
        form.add_error(None, _("Nobody is waiting to answer for this request."))
    elif form.is_valid():
        try:
            services.answer_assignment(
                assignment=active,
                accept=form.cleaned_data["answer"] == "accept",
                by=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return _after_change(request, service_request, _("The answer has been recorded."))
    return _render_desk(request, service_request, answer_form=form)


@staff_required
@require_POST
def desk_status(request: HttpRequest, pk: int) -> HttpResponse:
    service_request = _desk_request(request, pk, "change")
    form = StatusForm(request.POST, status=service_request.status)
    if form.is_valid():
        service, done = STATUS_ACTIONS[form.cleaned_data["action"]]
        try:
            service(request=service_request, by=request.user, note=form.cleaned_data["note"])
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return _after_change(request, service_request, str(done))
    return _render_desk(request, service_request, status_form=form)


@staff_required
@require_POST
def desk_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    service_request = _desk_request(request, pk, "change")
    form = StaffFeedbackForm(request.POST)
    if form.is_valid():
        try:
            services.record_feedback(
                request=service_request,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
                source=form.cleaned_data["source"],
                recorded_by=request.user,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return _after_change(request, service_request, _("The feedback has been recorded."))
    return _render_desk(request, service_request, feedback_form=form)


@staff_required
def desk_create(request: HttpRequest) -> HttpResponse:
    """Record a request that came by the hotline, a collection site, the app or WeChat."""
    if not access.can(request.user, "add", ServiceRequest):
        raise PermissionDenied
    if request.method == "POST":
        form = StaffRequestForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                service_request = services.submit_request(
                    category=data["category"],
                    description=data["description"],
                    community=data["community"],
                    contact_name=data["contact_name"],
                    contact_phone=data["contact_phone"],
                    address=data.get("address", ""),
                    photo=data.get("photo"),
                    channel=data["channel"],
                    collection_site=data.get("collection_site"),
                    recorded_by=request.user,
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                if not access.can(request.user, "view", service_request):
                    messages.success(
                        request,
                        _("Request %(number)s recorded; %(center)s will handle it.")
                        % {"number": service_request.display_number, "center": service_request.center},
                    )
                    return redirect("dispatch:desk")
                return _after_change(
                    request,
                    service_request,
                    _("Request %(number)s recorded.") % {"number": service_request.display_number},
                )
    else:
        form = StaffRequestForm()
    return render(request, "dispatch/request_record.html", {"form": form})


@staff_required
def supply_list(request: HttpRequest) -> HttpResponse:
    """Donations and supplies: the stock per center and item, and the latest entries."""
    may_record = access.can(request.user, "add", SupplyEntry)
    form = None
    if may_record:
        add_centers = access.visible_centers(request.user, roles=access.FIELD_WORKERS).order_by("name")
        form = SupplyForm(request.POST or None, centers=add_centers)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.record_supplies(recorded_by=request.user, **data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Recorded."))
                return redirect("dispatch:supply_list")
    elif request.method == "POST":
        raise PermissionDenied
    entries = selectors.list_supply_entries(user=request.user)[:50]
    return render(
        request,
        "dispatch/supply_list.html",
        {"form": form, "entries": entries, "stock": selectors.list_supply_stock(user=request.user)},
    )

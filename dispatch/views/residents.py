"""Residents' pages: the request form, the SMS code, the status page, rating, photos, sites."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .. import selectors, services, throttle
from ..forms import (
    CodeForm,
    FeedbackForm,
    RequestForm,
)
from ..models import Feedback, PendingRequest, Status
from .common import add_errors

PENDING_SESSION_KEY = "dispatch_pending"


# ------------------------------------------------------------------ residents
def _within_limits(request: HttpRequest) -> bool:
    """Count this submission: per address without an account, per resident with one.

    Invalid submissions count too: an abuser posts junk.
    """
    if request.user.is_authenticated:
        return throttle.hit("user", str(request.user.pk))
    return throttle.hit("ip", throttle.client_ip(request))


def _throttled(
    request: HttpRequest, form, template: str = "dispatch/request_create.html", **context
) -> HttpResponse:
    """429, in Chinese, with everything the resident typed still in the form."""
    return render(request, template, {"form": form, "throttled": True, **context}, status=429)


@never_cache
def request_create(request: HttpRequest) -> HttpResponse:
    user = request.user if request.user.is_authenticated else None
    if request.method == "POST":
        form = RequestForm(request.POST, request.FILES, user=user)
        if not _within_limits(request):
            return _throttled(request, form)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if user is not None:
                    service_request = services.submit_request(
                        category=data["category"],
                        description=data["description"],
                        community=data["community"],
                        requester=user,
                        contact_name=data.get("contact_name") or user.real_name,
                        contact_phone=data.get("contact_phone") or "",
                        address=data.get("address", ""),
                        photo=data.get("photo"),
                    )
                    messages.success(
                        request,
                        _("Your request %(number)s has been received. We will tell you of each step.")
                        % {"number": service_request.display_number},
                    )
                    return redirect(service_request.get_absolute_url())
                if not throttle.hit("phone", data["contact_phone"]):
                    return _throttled(request, form)
                pending = services.start_pending_request(
                    phone=data["contact_phone"], data=form.draft_data(), photo=data.get("photo")
                )
                request.session[PENDING_SESSION_KEY] = str(pending.token)
                return redirect("dispatch:confirm", token=pending.token)
            except ValidationError as exc:
                add_errors(form, exc)
    else:
        initial = {"contact_name": user.real_name, "contact_phone": user.phone} if user else {}
        form = RequestForm(user=user, initial=initial)
        if user is None and not throttle.hit("view", throttle.client_ip(request)):
            return _throttled(request, None)
    return render(request, "dispatch/request_create.html", {"form": form})


def _pending_for_session(request: HttpRequest, token) -> PendingRequest:
    """A draft is confirmed only from the browser that filed it (its token sits in the session)."""
    if request.session.get(PENDING_SESSION_KEY) != str(token):
        raise Http404
    return get_object_or_404(PendingRequest, token=token)


@never_cache
def request_confirm(request: HttpRequest, token) -> HttpResponse:
    pending = _pending_for_session(request, token)
    if pending.request_id:
        return redirect(pending.request.get_absolute_url())
    form = CodeForm()
    context = {"pending": pending, "masked_phone": f"{pending.phone[:3]}****{pending.phone[-4:]}"}
    if request.method == "POST" and request.POST.get("action") == "resend":
        if not throttle.hit("phone", pending.phone):
            return _throttled(request, form, "dispatch/request_confirm.html", **context)
        try:
            services.resend_code(pending=pending)
            messages.success(request, _("A new code is on its way."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("dispatch:confirm", token=pending.token)
    if request.method == "POST":
        form = CodeForm(request.POST)
        if not throttle.hit("code", throttle.client_ip(request)):
            return _throttled(request, form, "dispatch/request_confirm.html", **context)
        if form.is_valid():
            try:
                service_request = services.confirm_pending_request(
                    pending=pending, code=form.cleaned_data["code"]
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                request.session.pop(PENDING_SESSION_KEY, None)
                messages.success(
                    request,
                    _("Your request %(number)s has been received. Keep this page's address to follow it.")
                    % {"number": service_request.display_number},
                )
                return redirect(service_request.get_absolute_url())
    return render(request, "dispatch/request_confirm.html", {"form": form, **context})


def _status_context(request: HttpRequest, service_request, feedback_form=None) -> dict:
    feedback = selectors.request_feedback(service_request)
    can_rate = (
        service_request.status == Status.DONE
        and feedback is None
        and selectors.may_rate_online(user=request.user, request=service_request)
    )
    return {
        "service_request": service_request,
        "history": list(service_request.history.all()),
        "active": next(iter(service_request.active_assignments), None),
        "show_details": selectors.may_see_details(user=request.user, request=service_request),
        "feedback": feedback,
        "can_rate": can_rate,
        "sign_in_to_rate": service_request.status == Status.DONE and feedback is None and not can_rate,
        "feedback_form": feedback_form or FeedbackForm(),
    }


@never_cache
def request_status(request: HttpRequest, public_id) -> HttpResponse:
    """The requester's page: status and every time-stamped change; whoever holds the link sees
    the status, only the requester and staff see what was written."""
    service_request = selectors.get_request_by_public_id(public_id=public_id)
    if service_request is None:
        raise Http404
    request.sensitive = True
    return render(request, "dispatch/request_status.html", _status_context(request, service_request))


@require_POST
def request_rate(request: HttpRequest, public_id) -> HttpResponse:
    service_request = selectors.get_request_by_public_id(public_id=public_id)
    if service_request is None:
        raise Http404
    if not selectors.may_rate_online(user=request.user, request=service_request):
        if not request.user.is_authenticated:
            return redirect_to_login(service_request.get_absolute_url())
        raise PermissionDenied
    request.sensitive = True
    if selectors.request_feedback(service_request) is not None:  # the page no longer has the form
        messages.info(request, _("This request has already been rated. Thank you!"))
        return redirect(service_request.get_absolute_url())
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            services.record_feedback(
                request=service_request,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
                source=Feedback.Source.ONLINE,
                recorded_by=request.user,
            )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):  # e.g. rated meanwhile: the page no longer has the form
                messages.error(request, " ".join(exc.messages))
                return redirect(service_request.get_absolute_url())
            add_errors(form, exc)
        else:
            messages.success(request, _("Thank you for your feedback."))
            return redirect(service_request.get_absolute_url())
    return render(request, "dispatch/request_status.html", _status_context(request, service_request, form))


def request_photo(request: HttpRequest, public_id) -> HttpResponse:
    """The photo is not public: only the requester and staff in scope may open it."""
    service_request = selectors.get_request_by_public_id(public_id=public_id)
    if service_request is None or not service_request.photo:
        raise Http404
    if not selectors.may_see_details(user=request.user, request=service_request):
        raise Http404
    response = FileResponse(service_request.photo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


def site_list(request: HttpRequest) -> HttpResponse:
    return render(request, "dispatch/site_list.html", {"sites": selectors.list_public_sites()})

"""Staff pages of care: the overview (counts only), a recipient's timeline, the export.

All answer ``Cache-Control: no-store``: no browser or proxy keeps a copy."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from core import access, timeline
from core.audit import AuditContext, audit_request

from . import selectors
from .exports import export_recipients
from .forms import ExportForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sensitive(view):
    """Signed-in only, and never cached."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        return response

    return login_required(wrapper)


@sensitive
def overview(request: HttpRequest) -> HttpResponse:
    if not access.is_staff_member(request.user):
        raise PermissionDenied
    rows = selectors.overview_for(request.user)
    totals = selectors.CenterFigures(center=None)
    for row in rows:
        for name in vars(totals):
            if name != "center":
                setattr(totals, name, getattr(totals, name) + getattr(row, name))
    return render(
        request,
        "care/overview.html",
        {
            "rows": rows,
            "totals": totals,
            "today": timezone.localdate(),
            "can_export": selectors.can_export(request.user),
        },
    )


@sensitive
def recipient_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    recipient = selectors.get_recipient(request.user, pk)
    audit_request(
        request,
        action="view",
        obj=recipient,
        center_id=recipient.center_id,
        why="timeline",
    )
    items = selectors.recipient_timeline(recipient) + timeline.collect(
        resident=recipient.resident, viewer=request.user
    )
    items.sort(key=lambda item: item.when, reverse=True)
    return render(request, "care/recipient_timeline.html", {"recipient": recipient, "items": items})


@sensitive
def export(request: HttpRequest) -> HttpResponse:
    if not selectors.can_export(request.user):
        raise PermissionDenied
    form = ExportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data, count = export_recipients(
            actor=request.user,
            reason=form.cleaned_data["reason"],
            context=AuditContext.from_request(request, "export"),
        )
        response = HttpResponse(data, content_type=XLSX)
        response["Content-Disposition"] = (
            f'attachment; filename="care-recipients-{timezone.localdate():%Y%m%d}.xlsx"'
        )
        return response
    count = selectors.recipients_for_export(request.user).count()
    return render(request, "care/recipient_export.html", {"form": form, "count": count})

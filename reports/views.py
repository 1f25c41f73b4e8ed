"""Report pages: list and generate, progress (JSON), a report, its exports, the dashboard.

Only street-office staff (their street) and district administrators (the district) may use
them; every object passes through core.access, another street's report is a 404.
"""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core import access
from core.audit import audit_request

from . import dashboard as dashboards
from . import exports, selectors, services
from .forms import DashboardForm, GenerateReportForm
from .models import Report
from .periods import Period, Scope


def _require_reader(request: HttpRequest) -> None:
    if not access.can(request.user, "view", Report):
        raise PermissionDenied


def _get_report(request: HttpRequest, pk: int, *, published: bool = False) -> Report:
    try:
        report = selectors.get_report(user=request.user, pk=pk)
    except Report.DoesNotExist:
        raise Http404 from None
    if published and not report.is_published:
        raise Http404
    return report


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def status_payload(report: Report) -> dict:
    return {
        "id": report.pk,
        "status": report.status,
        "status_label": str(report.get_status_display()),
        "progress": report.progress,
        "step": _(report.step) if report.step else "",
        "done": report.is_published,
        "failed": report.status == Report.Status.FAILED,
        "version": report.version,
        "detail_url": reverse("reports:detail", kwargs={"pk": report.pk}),
        "status_url": reverse("reports:status", kwargs={"pk": report.pk}),
        "xlsx_url": reverse("reports:export_xlsx", kwargs={"pk": report.pk}) if report.is_published else "",
    }


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    return _render_index(request, GenerateReportForm(user=request.user))


def _render_index(request: HttpRequest, form: GenerateReportForm, status: int = 200) -> HttpResponse:
    page = Paginator(selectors.list_reports(user=request.user), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/report_list.html",
        {
            "form": form,
            "page": page,
            "reports": page.object_list,
            "can_generate": bool(form.fields["scope"].choices),
        },
        status=status,
    )


@login_required
@require_POST
def generate(request: HttpRequest) -> HttpResponse:
    """Queue a report (or join the one being generated); the page then polls its status."""
    if not access.can(request.user, "add", Report):
        raise PermissionDenied
    form = GenerateReportForm(request.POST, user=request.user)
    if not form.is_valid():
        if _wants_json(request):
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
        return _render_index(request, form, status=400)
    report, _created = services.request_report(
        scope=form.cleaned_data["scope_obj"],
        period=form.cleaned_data["month"],
        requested_by=request.user,
        trigger=Report.Trigger.WEB,
    )
    if _wants_json(request):
        return JsonResponse(status_payload(report), status=202)
    return redirect("reports:detail", pk=report.pk)


@login_required
@never_cache
def status(request: HttpRequest, pk: int) -> JsonResponse:
    return JsonResponse(status_payload(_get_report(request, pk)))


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _get_report(request, pk)
    versions = list(selectors.list_versions(user=request.user, report=report))
    can_regenerate = report.scope_key in {c.key for c in selectors.scope_choices(user=request.user)}
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "versions": versions,
            "can_regenerate": can_regenerate,
            "status": status_payload(report),
        },
    )


@login_required
@require_GET
def print_view(request: HttpRequest, pk: int) -> HttpResponse:
    report = _get_report(request, pk, published=True)
    return render(request, "reports/report_print.html", {"report": report})


def _attachment(content: bytes, content_type: str, name: str, readable_name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(readable_name)}"
    )
    response["Cache-Control"] = "no-store"
    return response


def _readable_name(report: Report, extension: str) -> str:
    return f"{report.scope_label}-{report.period:%Y-%m}-v{report.version}.{extension}"


@login_required
@require_GET
def export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    report = _get_report(request, pk, published=True)
    audit_request(
        request,
        action="export",
        obj=report,
        why="report download",
        detail="xlsx",
    )
    return _attachment(
        exports.build_xlsx(report),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        exports.filename(report, "xlsx"),
        _readable_name(report, "xlsx"),
    )


@login_required
@require_GET
def export_csv(request: HttpRequest, pk: int) -> HttpResponse:
    report = _get_report(request, pk, published=True)
    audit_request(
        request,
        action="export",
        obj=report,
        why="report download",
        detail="csv",
    )
    return _attachment(
        exports.build_csv(report),
        "text/csv; charset=utf-8",
        exports.filename(report, "csv"),
        _readable_name(report, "csv"),
    )


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    choices = selectors.dashboard_scopes(user=request.user)
    if not choices:
        raise PermissionDenied
    form = DashboardForm(request.GET or None, user=request.user, scope_choices=choices)
    # The trends run up to the current month (so far) unless another month is asked for.
    scope_key, period = choices[0].key, Period.current()
    if form.is_bound and form.is_valid():
        scope_key = form.cleaned_data["scope"] or scope_key
        period = form.cleaned_data["month"]
    choice = next((c for c in choices if c.key == scope_key), None)
    if choice is None:
        raise Http404
    if not form.is_bound or form.is_valid():
        form = DashboardForm(
            initial={"scope": scope_key, "month": period.key}, user=request.user, scope_choices=choices
        )
    scope = choice.scope
    if scope.kind == Scope.DISTRICT:
        scope = Scope(scope.kind, scope.district_id, by="center")
    return render(
        request,
        "reports/dashboard.html",
        {"form": form, "scope": scope, "scope_label": choice.label, "period": period}
        | dashboards.build(scope=scope, period=period),
    )

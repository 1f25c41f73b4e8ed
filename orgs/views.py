from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_filters.views import FilterView

from core import access

from . import selectors, services
from .filters import OrganizationFilter
from .forms import ImportForm, ReportMonthForm, StageMoveForm
from .imports import SheetError, import_organizations, template_workbook
from .models import GrantCall, Organization, ServiceContract

MAIN_FILTERS = ("q", "status")  # always shown; the others fold away on a phone


class OrganizationListView(FilterView):
    """The public directory: filed and registered organizations, filterable, 20 to a page."""

    filterset_class = OrganizationFilter
    template_name = "orgs/organization_list.html"
    context_object_name = "organizations"
    paginate_by = 20

    def get_queryset(self):
        return selectors.list_public_organizations()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        totals = dict(
            Organization.objects.filter(is_active=True)
            .values_list("status")
            .annotate(n=Count("id"))
            .order_by()
        )
        context["totals"] = [(label, totals.get(value, 0)) for value, label in Organization.Status.choices]
        context["main_filters"] = MAIN_FILTERS
        context["more_filters_used"] = any(
            self.request.GET.get(name) for name in OrganizationFilter.base_filters if name not in MAIN_FILTERS
        )
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query"] = query.urlencode()
        return context


def _organization_or_404(pk: int) -> Organization:
    try:
        return selectors.get_public_organization(pk)
    except Organization.DoesNotExist as exc:
        raise Http404 from exc


def _render_detail(
    request: HttpRequest, organization: Organization, form: StageMoveForm | None = None, status=200
):
    context = {"organization": organization, "staff_view": False}
    user = request.user
    if selectors.can_see_staff_data(user, organization):
        context["staff_view"] = True
        context.update(selectors.get_staff_view(organization))
        if selectors.can_change_organization(user, organization) and organization.next_stages:
            context["move_form"] = form or StageMoveForm(organization=organization, user=user)
    response = render(request, "orgs/organization_detail.html", context, status=status)
    if context["staff_view"]:
        response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _organization_or_404(pk))


@login_required
@require_POST
def move_stage(request: HttpRequest, pk: int) -> HttpResponse:
    organization = _organization_or_404(pk)
    if not selectors.can_change_organization(request.user, organization):
        raise Http404
    form = StageMoveForm(request.POST, organization=organization, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            change = services.move_stage(
                organization=organization,
                to_stage=data["to_stage"],
                actor=request.user,
                reason=data["reason"],
                incubator=data.get("incubator"),
                incubation_center=data.get("incubation_center"),
                incubation_room=data.get("incubation_room", ""),
                expected_stage=data["expected_stage"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s moved to “%(stage)s”.")
                % {"name": organization.name, "stage": change.get_to_stage_display()},
            )
            return redirect(organization.get_absolute_url() + "#history")
    return _render_detail(request, organization, form)


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# ------------------------------------------------------------------ contracts (staff)
@login_required
@require_GET
def contract_list(request: HttpRequest) -> HttpResponse:
    if not access.is_staff_member(request.user):
        raise PermissionDenied
    contracts = list(selectors.list_contracts(request.user)[:200])
    today = timezone.localdate()
    return render(request, "orgs/contract_list.html", {"contracts": contracts, "today": today})


@login_required
@require_GET
@never_cache
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        contract = selectors.get_contract(request.user, pk)
    except ServiceContract.DoesNotExist as exc:
        raise Http404 from exc
    form = ReportMonthForm(request.GET or None)
    requested = form.cleaned_data["month"] if form.is_bound and form.is_valid() else None
    day = selectors.reporting_day(contract, requested)
    results = selectors.contract_performance(contract, on=day)
    if not form.is_bound or form.is_valid():
        form = ReportMonthForm(initial={"month": day})
    return render(
        request,
        "orgs/contract_detail.html",
        {
            "contract": contract,
            "results": results,
            "day": day,
            "form": form,
            "active": contract.is_active_on(),
            "shortfalls": sum(1 for r in results if r.met is False),
        },
    )


# ------------------------------------------------------------------ import (street and district staff)
def _require_importer(user) -> None:
    if not selectors.is_street_or_district_staff(user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def import_sheet(request: HttpRequest) -> HttpResponse:
    _require_importer(request.user)
    report = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            uploaded = form.cleaned_data["file"]
            try:
                report = import_organizations(
                    uploaded=uploaded,
                    filename=uploaded.name,
                    actor=request.user,
                    import_valid_rows=form.cleaned_data["import_valid_rows"],
                    dry_run="check" in request.POST,
                )
            except SheetError as exc:
                form.add_error("file", str(exc))
            else:
                if report.imported:
                    messages.success(
                        request,
                        _("Imported: %(created)d new, %(updated)d updated, %(unchanged)d already up to date.")
                        % {
                            "created": report.created,
                            "updated": report.updated,
                            "unchanged": report.unchanged,
                        },
                    )
    else:
        form = ImportForm()
    return render(request, "orgs/organization_import.html", {"form": form, "report": report})


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    _require_importer(request.user)
    response = HttpResponse(
        template_workbook(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="organizations-template.xlsx"'
    return response


# ------------------------------------------------------------------ venture grants (public)
@require_GET
def grant_list(request: HttpRequest) -> HttpResponse:
    calls = list(selectors.list_public_grant_calls()[:100])
    return render(request, "orgs/grantcall_list.html", {"calls": calls})


@require_GET
def grant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        call = selectors.get_public_grant_call(pk)
    except GrantCall.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "orgs/grantcall_detail.html", {"call": call})

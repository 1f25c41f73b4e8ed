"""Mediation pages for staff and for a case's mediator. Confidential: never cached (no-store),
every look at the parties is written to the audit log, the export leaves the parties out."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core import access
from core.audit import audit_request

from .. import exports, forms, selectors, services
from ..models import MediationCase
from ..photos import document_kind


def _visible_cases(request: HttpRequest):
    cases = selectors.list_cases_for(request.user)
    if not access.is_staff_member(request.user) and not cases.exists():
        raise PermissionDenied  # neither staff nor the mediator of any case
    return cases


@never_cache
@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    cases = list(_visible_cases(request)[:200])
    return render(
        request,
        "deliberation/mediation_list.html",
        {"cases": cases, "can_export": access.is_staff_member(request.user)},
    )


def _get_case(request: HttpRequest, pk: int) -> MediationCase:
    return get_object_or_404(selectors.get_case_queryset_for(request.user), pk=pk)


def _render_case(request, case: MediationCase, bound: dict | None = None, status: int = 200) -> HttpResponse:
    can_change = access.can(request.user, "change", case)
    step_forms = {}
    if can_change and case.status == MediationCase.Status.OPEN:
        step_forms = {"session": forms.SessionForm(), "close": forms.CloseCaseForm()}
    if can_change and case.agreement_reached:
        step_forms["follow_up_call"] = forms.FollowUpCallForm()
    step_forms.update(bound or {})
    return render(
        request,
        "deliberation/mediation_detail.html",
        {"case": case, "can_change": can_change, "forms": step_forms},
        status=status,
    )


@never_cache
@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _get_case(request, pk)
    audit_request(
        request,
        action="view",
        obj=case,
        center_id=case.center_id,
        why="mediation case",
        detail="mediation case with parties",
    )
    return _render_case(request, case)


ACTIONS = {
    "session": (
        forms.SessionForm,
        lambda r, c, d: services.record_mediation_session(
            case=c, held_at=d["held_at"], place=d["place"], notes=d["notes"], by=r.user
        ),
    ),
    "close": (
        forms.CloseCaseForm,
        lambda r, c, d: services.close_mediation_case(
            case=c,
            outcome=d["outcome"],
            agreement_summary=d["agreement_summary"],
            agreement_document=d["agreement_document"],
            by=r.user,
        ),
    ),
    "follow_up_call": (
        forms.FollowUpCallForm,
        lambda r, c, d: services.record_follow_up_call(
            case=c, called_on=d["called_on"], kept=d["kept"], note=d["note"], by=r.user
        ),
    ),
}


@never_cache
@login_required
@require_POST
def case_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    case = _get_case(request, pk)
    if not access.can(request.user, "change", case):
        raise PermissionDenied
    form_class, run = ACTIONS[action]
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            run(request, case, form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("deliberation:mediation_detail", pk=case.pk)
    return _render_case(request, _get_case(request, pk), bound={action: form}, status=400)


@never_cache
@login_required
def case_agreement(request: HttpRequest, pk: int) -> FileResponse:
    """The signed agreement, only through this access check (it is stored outside MEDIA_ROOT)."""
    case = _get_case(request, pk)
    if not case.agreement_document:
        raise Http404
    audit_request(
        request,
        action="download",
        obj=case,
        center_id=case.center_id,
        why="mediation agreement",
        detail="mediation agreement",
    )
    name = case.agreement_document.name
    response = FileResponse(
        case.agreement_document.open("rb"),
        as_attachment=True,
        filename=f"agreement-{case.pk}.{name.rsplit('.', 1)[-1]}",
        content_type=document_kind(name),
    )
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@login_required
def case_export(request: HttpRequest) -> HttpResponse:
    """Staff only: the cases in scope, without the parties."""
    if not access.is_staff_member(request.user):
        raise PermissionDenied
    cases = selectors.list_cases_for(request.user).prefetch_related("sessions", "follow_up_calls")
    audit_request(
        request,
        action="export",
        obj=MediationCase,
        why="mediation cases export",
        detail="mediation cases (no parties)",
    )
    response = HttpResponse(
        exports.mediation_workbook(cases),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="mediation-cases.xlsx"'
    return response

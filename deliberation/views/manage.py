"""Staff pages: the organizer's workbench that takes a meeting from draft to closed, and minutes.

Each step is a POST to ``manage/<pk>/do/<action>/``; the ACTIONS table names its form and the
service it calls. A bad input re-renders the workbench with the input kept and the error shown.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core import access

from .. import exports, forms, selectors, services
from ..filters import StaffMeetingFilter
from ..models import Ballot, Meeting, Objection
from .public import public_context


def _staff_only(request: HttpRequest) -> None:
    if not access.can(request.user, "view", Meeting):
        raise PermissionDenied


@never_cache
@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    """Meetings the staff member may see, newest first, filterable by status and topic."""
    _staff_only(request)
    filterset = StaffMeetingFilter(request.GET or None, queryset=selectors.list_meetings_for(request.user))
    meetings = list(filterset.qs[:100])
    return render(
        request,
        "deliberation/meeting_manage_list.html",
        {
            "filter": filterset,
            "meetings": selectors.attach_party_presence(meetings),
            "can_add": access.can(request.user, "add", Meeting),
        },
    )


@never_cache
@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    if not access.can(request.user, "add", Meeting):
        raise PermissionDenied
    form = forms.MeetingForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                meeting = services.create_meeting(
                    topic=data["topic"],
                    community=data["community"],
                    center=data["center"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    location=data["location"],
                    background=data["background"],
                    quorum_percent=data["quorum_percent"],
                    notice_days=data["notice_days"],
                    by=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request, _("The meeting was created as a draft. Now invite the four parties.")
                )
                return redirect(meeting.get_manage_url())
        status = 400
    return render(request, "deliberation/meeting_form.html", {"form": form}, status=status)


def _get_meeting(request: HttpRequest, pk: int) -> Meeting:
    _staff_only(request)
    return get_object_or_404(selectors.get_meeting_queryset_for(request.user), pk=pk)


def _open_ballot(meeting: Meeting) -> Ballot | None:
    return (
        Ballot.objects.filter(meeting=meeting, outcome=Ballot.Outcome.OPEN)
        .prefetch_related("options")
        .first()
    )


def _forms_for(meeting: Meeting) -> dict:
    """Unbound forms for the steps that are legal now."""
    allowed = services.allowed_actions(meeting)
    today = timezone.localdate()
    found = {}
    if "add_participant" in allowed:
        found["add_participant"] = forms.ParticipantForm()
        found["cancel"] = forms.CancelForm()
    if "record_attendance" in allowed:
        found["record_attendance"] = forms.AttendanceForm(meeting=meeting)
    if "add_opinion" in allowed:
        found["add_opinion"] = forms.OpinionForm(meeting=meeting)
    if "add_option" in allowed:
        found["add_option"] = forms.OptionForm()
    if meeting.status == Meeting.Status.VOTING:
        ballot = _open_ballot(meeting)
        if ballot is not None:
            found["cast_vote"] = forms.VoteForm(ballot=ballot, voters=selectors.voters_left(ballot))
    if "revise_preliminary_plan" in allowed:
        found["revise_preliminary_plan"] = forms.PlanForm(initial={"text": meeting.preliminary_plan})
        found["plan_inspection"] = forms.InspectionPlanForm(initial={"due_on": today})
    if "record_inspection" in allowed:
        inspection = getattr(meeting, "inspection", None)
        found["record_inspection"] = forms.InspectionRecordForm(
            initial={"inspected_on": today, "findings": inspection.findings if inspection else ""}
        )
        found["adopt_final_plan"] = forms.PlanForm(
            initial={"text": meeting.final_plan or meeting.preliminary_plan}
        )
    if "publish_notice" in allowed:
        found["publish_notice"] = forms.NoticeForm(initial={"days": meeting.notice_days})
    if "add_follow_up" in allowed:
        found["add_follow_up"] = forms.FollowUpForm()
    return found


def _render_workbench(
    request, meeting: Meeting, bound: dict | None = None, error_action: str = "", status: int = 200
) -> HttpResponse:
    can_change = access.can(request.user, "change", meeting)
    context = public_context(meeting)
    step_forms = _forms_for(meeting) if can_change else {}
    if bound:
        step_forms.update(bound)
    ballot = _open_ballot(meeting) if meeting.status == Meeting.Status.VOTING else None
    last_round = context["rounds"][-1] if context["rounds"] else None
    notice = context["notice"]
    waiting = [o for o in notice.objections.all() if not o.is_answered] if notice else []
    context.update(
        {
            "can_change": can_change,
            "forms": step_forms,
            "allowed": services.allowed_actions(meeting) if can_change else set(),
            "participants": list(meeting.participants.all()),
            "open_ballot": ballot,
            "open_round": next((r for r in context["rounds"] if ballot and r.ballot.pk == ballot.pk), None),
            "can_open_round": meeting.status == Meeting.Status.OPINIONS
            or (meeting.status == Meeting.Status.VOTING and ballot is None and last_round is not None),
            "waiting_objections": waiting,
            "answer_forms": {
                o.pk: (bound or {}).get(f"answer_{o.pk}")
                or forms.AnswerForm(initial={"objection": o.pk}, meeting=meeting)
                for o in waiting
            },
            "transitions": list(meeting.transitions.all()),
            "error_action": error_action,
            "step_errors": [e for form in (bound or {}).values() for e in form.non_field_errors()],
        }
    )
    return render(request, "deliberation/meeting_manage.html", context, status=status)


@never_cache
@login_required
def meeting_manage(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_workbench(request, _get_meeting(request, pk))


# ------------------------------------------------------------------ the steps
@dataclass
class Step:
    form: Callable  # (data, files, meeting) -> form
    run: Callable  # (request, meeting, cleaned_data) -> what to tell the user, or the service's result
    message: str = ""  # what to tell the user when ``run`` returns the service's result


def _participant(request, meeting, d):
    services.add_participant(
        meeting=meeting,
        party=d["party"],
        name=d["name"],
        affiliation=d["affiliation"],
        phone=d["phone"],
        chair=d["chair"],
        by=request.user,
    )
    return _("%(name)s is invited.") % {"name": d["name"]}


def _vote(request, meeting, d):
    ballot = _open_ballot(meeting)
    if ballot is None:
        raise ValidationError(_("This vote is closed."))
    option = None if d["choice"] == forms.VoteForm.ABSTAIN else ballot.options.get(pk=int(d["choice"]))
    _vote_row, created = services.cast_vote(
        ballot=ballot, participant=d["participant"], option=option, by=request.user
    )
    return (
        _("The vote of %(name)s is recorded.") if created else _("The vote of %(name)s was already recorded.")
    ) % {"name": d["participant"].name}


def _vote_form(data, files, meeting):
    ballot = _open_ballot(meeting)
    if ballot is None:
        return forms.ConfirmForm(data)
    # Any attending participant validates, so that a repeated post reaches the service (which
    # answers "already recorded") instead of failing as an unknown choice.
    return forms.VoteForm(data, ballot=ballot, voters=meeting.participants.filter(attended=True))


def _close_vote(request, meeting, d):
    ballot = _open_ballot(meeting)
    if ballot is None:
        raise ValidationError(_("No vote is open."))
    ballot = services.close_ballot(ballot=ballot, by=request.user)
    if ballot.outcome == Ballot.Outcome.DECIDED:
        return _("Round %(n)d decided: %(option)s becomes the preliminary plan.") % {
            "n": ballot.number,
            "option": ballot.winner.title,
        }
    if ballot.outcome == Ballot.Outcome.TIE:
        return _("Round %(n)d is a tie: open a run-off between the tied options.") % {"n": ballot.number}
    return _("Round %(n)d did not reach the quorum: open a new round.") % {"n": ballot.number}


def _answer(request, meeting, d):
    objection: Objection = d["objection"]
    services.answer_objection(objection=objection, answer=d["answer"], by=request.user)
    return _("The objection is answered.")


def _update_follow_up(request, meeting, d):
    services.update_follow_up(item=d["item"], status=d["status"], note=d["note"], by=request.user)
    return _("Progress saved.")


def _simple(form_class):
    return lambda data, files, meeting: form_class(data)


def _with_meeting(form_class):
    return lambda data, files, meeting: form_class(data, meeting=meeting)


ACTIONS: dict[str, Step] = {
    "add_participant": Step(_simple(forms.ParticipantForm), _participant),
    "schedule": Step(
        _simple(forms.ConfirmForm),
        lambda r, m, d: services.schedule_meeting(meeting=m, by=r.user),
        gettext_lazy("The meeting is scheduled; the participants are being invited."),
    ),
    "cancel": Step(
        _simple(forms.CancelForm),
        lambda r, m, d: services.cancel_meeting(meeting=m, reason=d["reason"], by=r.user),
        gettext_lazy("The meeting is cancelled."),
    ),
    "record_attendance": Step(
        _with_meeting(forms.AttendanceForm),
        lambda r, m, d: services.record_attendance(
            meeting=m, present=[p.pk for p in d["present"]], by=r.user
        ),
        gettext_lazy("Attendance is recorded: the meeting is held."),
    ),
    "add_opinion": Step(
        _with_meeting(forms.OpinionForm),
        lambda r, m, d: services.add_opinion(
            meeting=m, speaker=d["speaker"], text=d["text"], categories=[d["categories"]], by=r.user
        ),
        gettext_lazy("The opinion is recorded."),
    ),
    "finish_opinions": Step(
        _simple(forms.ConfirmForm),
        lambda r, m, d: services.finish_opinions(meeting=m, by=r.user),
        gettext_lazy("Opinions are recorded. Now draw up the options to vote on."),
    ),
    "add_option": Step(
        _simple(forms.OptionForm),
        lambda r, m, d: services.add_option(
            meeting=m, title=d["title"], description=d["description"], by=r.user
        ),
        gettext_lazy("The option is added."),
    ),
    "open_vote": Step(
        _simple(forms.ConfirmForm),
        lambda r, m, d: services.open_ballot(meeting=m, by=r.user),
        gettext_lazy("The vote is open."),
    ),
    "cast_vote": Step(_vote_form, _vote),
    "close_vote": Step(_simple(forms.ConfirmForm), _close_vote),
    "revise_preliminary_plan": Step(
        _simple(forms.PlanForm),
        lambda r, m, d: services.revise_preliminary_plan(meeting=m, text=d["text"], by=r.user),
        gettext_lazy("The preliminary plan is saved."),
    ),
    "plan_inspection": Step(
        _simple(forms.InspectionPlanForm),
        lambda r, m, d: services.plan_site_inspection(
            meeting=m, task=d["task"], responsible=d["responsible"], due_on=d["due_on"], by=r.user
        ),
        gettext_lazy("The site inspection is planned."),
    ),
    "record_inspection": Step(
        lambda data, files, meeting: forms.InspectionRecordForm(data, files),
        lambda r, m, d: services.record_site_inspection(
            meeting=m,
            findings=d["findings"],
            inspected_on=d["inspected_on"],
            photos=d["photos"],
            caption=d["caption"],
            by=r.user,
        ),
        gettext_lazy("The site inspection is recorded."),
    ),
    "adopt_final_plan": Step(
        _simple(forms.PlanForm),
        lambda r, m, d: services.adopt_final_plan(meeting=m, text=d["text"], by=r.user),
        gettext_lazy("The final plan is adopted. Post it for public notice."),
    ),
    "publish_notice": Step(
        _simple(forms.NoticeForm),
        lambda r, m, d: services.publish_notice(meeting=m, days=d["days"], by=r.user),
        gettext_lazy("The final plan is on public notice."),
    ),
    "answer_objection": Step(_with_meeting(forms.AnswerForm), _answer),
    "close": Step(
        _simple(forms.ConfirmForm),
        lambda r, m, d: services.close_meeting(meeting=m, by=r.user),
        gettext_lazy("The meeting is closed."),
    ),
    "add_follow_up": Step(
        _simple(forms.FollowUpForm),
        lambda r, m, d: services.add_follow_up(
            meeting=m, title=d["title"], responsible=d["responsible"], due_on=d["due_on"], by=r.user
        ),
        gettext_lazy("The follow-up item is added."),
    ),
    "update_follow_up": Step(_with_meeting(forms.FollowUpUpdateForm), _update_follow_up),
}


@never_cache
@login_required
@require_POST
def meeting_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Run one step of the workflow on a meeting the user may change."""
    step = ACTIONS.get(action)
    if step is None:
        raise Http404
    meeting = _get_meeting(request, pk)
    if not access.can(request.user, "change", meeting):
        raise PermissionDenied
    form = step.form(request.POST, request.FILES, meeting)
    if form.is_valid():
        try:
            result = step.run(request, meeting, form.cleaned_data)
            message = step.message or result
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, message)
            return redirect(meeting.get_manage_url() + f"#step-{action}")
    key = action
    if action == "answer_objection" and form.data.get("objection", "").isdigit():
        key = f"answer_{form.data['objection']}"
    meeting = _get_meeting(request, pk)  # reload: a failed step may have been half-read
    return _render_workbench(request, meeting, bound={key: form}, error_action=action, status=400)


# ------------------------------------------------------------------ minutes
@never_cache
@login_required
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """The minutes, generated from the record, as a printable page."""
    meeting = _get_meeting(request, pk)
    context = public_context(meeting)
    context["participants"] = list(meeting.participants.all())
    context["transitions"] = list(meeting.transitions.all())
    context["printed_at"] = timezone.now()
    return render(request, "deliberation/meeting_minutes.html", context)


@never_cache
@login_required
def meeting_minutes_export(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _get_meeting(request, pk)
    response = HttpResponse(
        exports.minutes_workbook(meeting),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="minutes-{meeting.pk}.xlsx"'
    return response

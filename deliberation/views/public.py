"""Public pages: notices (公示) and past decisions, and residents' objections."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.generic import DetailView
from django_filters.views import FilterView

from .. import selectors, services
from ..filters import PublicMeetingFilter
from ..forms import ObjectionForm
from ..models import Meeting


class MeetingListView(FilterView):
    """Notices on display first, then past decisions; filterable by community, topic, stage."""

    filterset_class = PublicMeetingFilter
    template_name = "deliberation/meeting_list.html"
    paginate_by = 20
    strict = False

    def get_queryset(self):
        return selectors.list_public_meetings()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meetings = list(context["object_list"])
        context["meetings"] = selectors.attach_party_presence(meetings)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query"] = query.urlencode()
        return context


def public_context(meeting: Meeting) -> dict:
    participants = list(meeting.participants.all())
    return {
        "meeting": meeting,
        "presence": selectors.party_presence(meeting, participants),
        "tally": selectors.opinion_tally(meeting),
        "rounds": selectors.ballot_results(meeting),
        "path": selectors.decision_path(meeting),
        "notice": getattr(meeting, "notice", None),
        "inspection": getattr(meeting, "inspection", None),
        "organizations": [meeting.organizer.name]
        if meeting.organizer_id
        else sorted({p.affiliation for p in participants if p.party == "professional" and p.affiliation}),
    }


class MeetingDetailView(DetailView):
    """A decision's path from opinions to the final plan, with the notice and its objections."""

    template_name = "deliberation/meeting_detail.html"
    context_object_name = "meeting"

    def get_queryset(self):
        return selectors.get_public_meeting_queryset()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(public_context(self.object))
        return context


@login_required
def file_objection(request: HttpRequest, pk: int) -> HttpResponse:
    """A signed-in resident objects to a plan on public notice; the form keeps the input on error."""
    meeting = get_object_or_404(
        Meeting.objects.select_related("notice", "community"), pk=pk, status=Meeting.Status.NOTICE
    )
    notice = getattr(meeting, "notice", None)
    if notice is None:
        raise Http404
    form = ObjectionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.file_objection(notice=notice, author=request.user, text=form.cleaned_data["text"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request, _("Your objection has been filed. The notice is paused until it is answered.")
                )
                return redirect(meeting.get_absolute_url() + "#objections")
        status = 400
    return render(
        request,
        "deliberation/objection_form.html",
        {"meeting": meeting, "notice": notice, "form": form},
        status=status,
    )

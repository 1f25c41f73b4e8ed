"""Forms of the deliberation pages. They only parse and check input; the services write."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from centers.models import Space
from core import access
from core.forms import IdMultipleChoiceField
from core.models import Community
from core.validators import normalize_mobile, validate_mobile

from . import selectors
from .models import Ballot, FollowUp, FollowUpCall, MediationCase, Meeting, Objection, Participant, Party
from .photos import MAX_PHOTOS


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _mobile(value: str) -> str:
    value = normalize_mobile(value or "")
    if value:
        validate_mobile(value)
    return value


class ConfirmForm(forms.Form):
    """A step that needs no input (schedule, finish opinions, open or close a vote...)."""


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = [
            "topic",
            "background",
            "community",
            "center",
            "space",
            "location",
            "organizer",
            "starts_at",
            "ends_at",
            "quorum_percent",
            "notice_days",
        ]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "background": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        centers = access.visible_centers(user, access.FIELD_WORKERS).select_related("street")
        self.fields["center"].queryset = centers
        self.fields["community"].queryset = Community.objects.filter(
            street__in=centers.values("street")
        ).select_related("street")
        self.fields["community"].label_from_instance = lambda c: f"{c.street.name} · {c.name}"
        self.fields["space"].queryset = Space.objects.filter(
            center__in=centers, is_bookable=True
        ).select_related("center")
        self.fields["organizer"].queryset = selectors.organizations_for(user)
        if not self.is_bound:
            own = list(centers[:2])
            if len(own) == 1:  # a worker of one center: start from it, its community and its hall
                self.initial.setdefault("center", own[0].pk)
                self.initial.setdefault("community", own[0].community_id)
                hall = (
                    self.fields["space"]
                    .queryset.filter(center=own[0], kind=Space.Kind.DELIBERATION_HALL)
                    .first()
                )
                if hall is not None:
                    self.initial.setdefault("space", hall.pk)
        self.fields["starts_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        self.fields["ends_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class ParticipantForm(forms.Form):
    party = forms.ChoiceField(label=_("Party"), choices=Party.choices)
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=50)
    affiliation = forms.CharField(
        label=_("Affiliation"),
        max_length=100,
        required=False,
        help_text=_("e.g. community party secretary, owner of building 3"),
    )
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        required=False,
        help_text=_("For the invitation by text message."),
    )
    chair = forms.BooleanField(label=_("Chairs the meeting"), required=False)

    def clean_phone(self):
        return _mobile(self.cleaned_data["phone"])


class AttendanceForm(forms.Form):
    present = IdMultipleChoiceField(
        label=_("Who attended"), queryset=Participant.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = Participant.objects.filter(meeting=meeting)
        self.fields["present"].initial = list(self.fields["present"].queryset.values_list("pk", flat=True))


class OpinionForm(forms.Form):
    speaker = forms.ModelChoiceField(label=_("Speaker"), queryset=Participant.objects.none())
    text = forms.CharField(label=_("What was said"), widget=forms.Textarea(attrs={"rows": 3}))
    categories = forms.CharField(
        label=_("Categories"),
        required=False,
        max_length=200,
        help_text=_("Separate with commas, e.g. location, hygiene"),
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["speaker"].queryset = Participant.objects.filter(meeting=meeting, attended=True)
        known = list(meeting.categories.values_list("name", flat=True)[:12])
        if known:
            self.fields["categories"].help_text = _("Separate with commas. Used so far: %(names)s") % {
                "names": "、".join(known)
            }


class OptionForm(forms.Form):
    title = forms.CharField(label=_("Option"), max_length=150)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class VoteForm(forms.Form):
    ABSTAIN = "abstain"
    participant = forms.ModelChoiceField(label=_("Participant"), queryset=Participant.objects.none())
    choice = forms.ChoiceField(label=_("Vote"), widget=forms.RadioSelect)

    def __init__(self, *args, ballot: Ballot, voters, **kwargs):
        super().__init__(*args, **kwargs)
        self.ballot = ballot
        self.fields["participant"].queryset = voters
        self.fields["choice"].choices = [(str(o.pk), o.title) for o in ballot.options.all()] + [
            (self.ABSTAIN, _("Abstain"))
        ]

    def chosen_option(self):
        value = self.cleaned_data["choice"]
        return None if value == self.ABSTAIN else self.ballot.options.get(pk=int(value))


class InspectionPlanForm(forms.Form):
    task = forms.CharField(label=_("What to inspect"), widget=forms.Textarea(attrs={"rows": 2}))
    responsible = forms.CharField(label=_("Responsible"), max_length=100)
    due_on = forms.DateField(label=_("Due on"), widget=DateInput())


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            files = [super(MultipleImageField, self).clean(d, initial) for d in data if d]
        else:
            files = [super().clean(data, initial)] if data else []
        if len(files) > MAX_PHOTOS:
            raise ValidationError(_("At most %(n)d photos per inspection.") % {"n": MAX_PHOTOS})
        return files


class InspectionRecordForm(forms.Form):
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 3}))
    inspected_on = forms.DateField(label=_("Inspected on"), widget=DateInput())
    photos = MultipleImageField(
        label=_("Photos"),
        required=False,
        help_text=_("JPEG, PNG or WebP, at most 8 MB each, up to 6 photos."),
    )
    caption = forms.CharField(label=_("Caption of the photos"), max_length=100, required=False)


class PlanForm(forms.Form):
    text = forms.CharField(label=_("Plan"), widget=forms.Textarea(attrs={"rows": 4}))


class NoticeForm(forms.Form):
    days = forms.IntegerField(label=_("Days on public notice"), min_value=1, max_value=90)


class AnswerForm(forms.Form):
    objection = forms.ModelChoiceField(queryset=Objection.objects.none(), widget=forms.HiddenInput)
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objection"].queryset = Objection.objects.filter(notice__meeting=meeting)


class FollowUpForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("follow-up", "Item"), max_length=200)
    responsible = forms.CharField(label=_("Responsible"), max_length=100)
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DateInput())


class FollowUpUpdateForm(forms.Form):
    item = forms.ModelChoiceField(queryset=FollowUp.objects.none(), widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Progress"), choices=FollowUp.Status.choices)
    note = forms.CharField(label=_("Progress note"), max_length=255, required=False)

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = FollowUp.objects.filter(meeting=meeting)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class ObjectionForm(forms.Form):
    text = forms.CharField(
        label=_("Your objection"),
        min_length=5,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("It is shown on the notice without your name, together with the answer."),
    )


# ------------------------------------------------------------------ mediation
class SessionForm(forms.Form):
    held_at = forms.DateTimeField(
        label=_("Held at"), widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    place = forms.CharField(label=_("Place"), max_length=100, required=False)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}))

    def clean_held_at(self):
        value = self.cleaned_data["held_at"]
        if value > timezone.now():
            raise ValidationError(_("Record a session after it has been held."))
        return value


class CloseCaseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=MediationCase.Outcome.choices)
    agreement_summary = forms.CharField(
        label=_("What was agreed"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    agreement_document = forms.FileField(
        label=_("Agreement document"),
        required=False,
        help_text=_("PDF, JPEG or PNG, at most 10 MB; kept private."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )


class FollowUpCallForm(forms.Form):
    called_on = forms.DateField(label=_("Called on"), widget=DateInput())
    kept = forms.ChoiceField(label=_("Is the agreement kept?"), choices=FollowUpCall.Kept.choices)
    note = forms.CharField(label=pgettext_lazy("remark", "Note"), max_length=255, required=False)

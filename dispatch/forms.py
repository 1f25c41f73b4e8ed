"""Forms for residents (the request form, the SMS code, the rating) and for the dispatch desk."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core import access
from core.forms import IdMultipleChoiceField
from core.models import Community
from core.validators import normalize_mobile, validate_mobile
from volunteers.models import Skill

from . import selectors
from .models import (
    CallAnswer,
    Category,
    Channel,
    CollectionSite,
    Feedback,
    Mobilisation,
    SupplyEntry,
)
from .photos import clean_photo

BLANK = [("", _("— choose —"))]


def community_choices() -> list:
    """Communities grouped by street, for a <select> with <optgroup>s."""
    groups: dict[str, list] = {}
    for community in selectors.list_request_communities():
        groups.setdefault(community.street.name, []).append((community.pk, community.name))
    return BLANK + list(groups.items())


class RequestForm(forms.Form):
    """我要服务: what a resident fills in. Without an account, a name, a mobile number and
    consent are needed too; the number is then confirmed with an SMS code."""

    category = forms.ChoiceField(
        label=_("What kind of help do you need?"),
        choices=BLANK + list(Category.choices),
        error_messages={"required": _("Choose what kind of help you need.")},
    )
    community = forms.TypedChoiceField(
        label=_("Your community"),
        coerce=int,
        error_messages={
            "required": _("Choose your community."),
            "invalid_choice": _("Choose your community."),
        },
    )
    description = forms.CharField(
        label=_("Tell us what you need"),
        min_length=5,
        max_length=2000,
        widget=forms.Textarea(
            attrs={"rows": 5, "placeholder": _("For example: my tap leaks and I cannot fix it myself.")}
        ),
        error_messages={
            "required": _("Tell us what you need, in a few words."),
            "min_length": _("Please write a little more (at least 5 characters)."),
            "max_length": _("Please keep it under 2000 characters."),
        },
    )
    address = forms.CharField(
        label=_("Where (building and room)"),
        max_length=255,
        required=False,
        help_text=_("Optional. Only the staff who handle your request see it."),
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_("Optional. JPEG, PNG or WebP, up to 5 MB."),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    contact_name = forms.CharField(
        label=_("Your name"),
        max_length=50,
        error_messages={"required": _("Tell us how to address you.")},
    )
    contact_phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "autocomplete": "tel", "placeholder": "13812345678"}
        ),
        error_messages={"required": _("Enter your mobile number so that we can reach you.")},
    )
    consent = forms.BooleanField(
        label=_("I agree that the center keeps my name, mobile number and request to help me."),
        error_messages={"required": _("Please agree, or call the 24-hour hotline instead.")},
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user if user is not None and user.is_authenticated else None
        self.fields["community"].choices = community_choices()
        if self.user is not None:
            # Signed in: the account already carries the name, number and consent.
            self.fields["contact_name"].required = False
            self.fields["contact_phone"].required = False
            self.fields["contact_phone"].help_text = _("Leave empty to use the number of your account.")
            del self.fields["consent"]

    def clean_community(self) -> Community:
        community = Community.objects.filter(pk=self.cleaned_data["community"]).first()
        if community is None:
            raise ValidationError(_("Choose your community."))
        return community

    def clean_contact_phone(self) -> str:
        phone = normalize_mobile(self.cleaned_data.get("contact_phone", ""))
        if phone:
            validate_mobile(phone)
        return phone

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        return clean_photo(upload) if upload else None

    def draft_data(self) -> dict:
        """What a draft keeps until the code is typed (JSON-safe)."""
        data = self.cleaned_data
        return {
            "category": data["category"],
            "community": data["community"].pk,
            "description": data["description"],
            "address": data.get("address", ""),
            "contact_name": data.get("contact_name", ""),
        }


class StaffRequestForm(RequestForm):
    """Staff record a request that came by the hotline, a collection site, the app or WeChat."""

    channel = forms.ChoiceField(
        label=_("Came in by"), choices=BLANK + [c for c in Channel.choices if c[0] != Channel.WEB]
    )
    collection_site = forms.ModelChoiceField(
        label=_("Collection site"),
        queryset=CollectionSite.objects.none(),
        required=False,
        help_text=_("Only when the request came in at a collection site."),
    )
    field_order = ["channel", "collection_site", "contact_name", "contact_phone", "community", "category"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=None, **kwargs)
        del self.fields["consent"]  # the resident consented on the phone or at the site
        self.fields["collection_site"].queryset = CollectionSite.objects.filter(is_active=True).order_by(
            "name"
        )
        self.fields["contact_name"].label = _("Resident's name")
        self.fields["contact_phone"].label = _("Resident's mobile number")
        self.fields["description"].label = _("What the resident needs")
        self.fields["community"].label = _("Resident's community")

    def clean(self):
        data = super().clean()
        if data.get("channel") == Channel.COLLECTION_SITE and not data.get("collection_site"):
            self.add_error("collection_site", _("Choose the collection site where the request came in."))
        return data


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Code from the text message"),
        regex=r"^\s*\d{6}\s*$",
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
        error_messages={"required": _("Type the 6-digit code."), "invalid": _("The code has 6 digits.")},
    )


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you?"),
        coerce=int,
        choices=[
            (5, _("5 · Very satisfied")),
            (4, _("4 · Satisfied")),
            (3, _("3 · It was all right")),
            (2, _("2 · Not satisfied")),
            (1, _("1 · Very unsatisfied")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how satisfied you are.")},
    )
    comment = forms.CharField(
        label=_("Anything to add?"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class StaffFeedbackForm(FeedbackForm):
    source = forms.ChoiceField(
        label=_("How was it given?"), choices=Feedback.Source.choices, initial=Feedback.Source.STAFF
    )


class AssignForm(forms.Form):
    """One choice among the candidates the assign page lists, as ``kind:id`` (``volunteer:12``),
    looked up again among those the user may assign, and a note for the assignee."""

    LOOKUPS = {
        "volunteer": selectors.assignable_volunteers,
        "team": selectors.assignable_teams,
        "site": selectors.assignable_sites,
        "vehicle": selectors.assignable_vehicles,
    }
    pick = forms.CharField(
        label=_("Give it to"),
        max_length=40,
        error_messages={"required": _("Choose whom to give the request to.")},
    )
    note = forms.CharField(label=_("Note for the assignee"), max_length=255, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_pick(self):
        kind, _sep, pk = self.cleaned_data["pick"].partition(":")
        if kind not in self.LOOKUPS or not re.fullmatch(r"[0-9]{1,18}", pk):
            raise forms.ValidationError(_("Choose whom to give the request to."), code="invalid")
        target = self.LOOKUPS[kind](user=self.user).filter(pk=int(pk)).first()
        if target is None:
            raise forms.ValidationError(
                _("That choice is no longer available to you. Choose again."), code="gone"
            )
        self.chosen = {kind: target}
        return self.cleaned_data["pick"]

    def target(self) -> dict:
        return self.chosen


class StatusForm(forms.Form):
    ACTIONS = [
        ("start", _("Service has started")),
        ("complete", _("Done")),
        ("cannot", _("Cannot be done")),
        ("withdraw", _("Take back from the assignee")),
    ]
    # The actions that make sense from each state (the services check again).
    BY_STATUS = {
        "new": ["cannot"],
        "assigned": ["start", "complete", "cannot", "withdraw"],
        "in_progress": ["complete", "cannot"],
    }
    action = forms.ChoiceField(label=_("What happened"), choices=ACTIONS)

    def __init__(self, *args, status: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if status in self.BY_STATUS:
            allowed = self.BY_STATUS[status]
            self.fields["action"].choices = [c for c in self.ACTIONS if c[0] in allowed]

    note = forms.CharField(
        label=pgettext_lazy("dispatch", "Note"),
        max_length=500,
        required=False,
        help_text=_("The resident reads this note; for “cannot be done” it is required."),
    )


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Answer"),
        choices=[("accept", _("Accept")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=pgettext_lazy("dispatch", "Note"), max_length=255, required=False)


class SupplyForm(forms.ModelForm):
    class Meta:
        model = SupplyEntry
        fields = ["center", "mobilisation", "direction", "item", "unit", "quantity", "party", "note"]

    def __init__(self, *args, centers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["center"].queryset = centers
        self.fields["mobilisation"].queryset = Mobilisation.objects.filter(center__in=centers).order_by(
            "-created_at"
        )
        self.fields["quantity"].min_value = 0.01
        self.fields["quantity"].widget.attrs.update({"min": "0.01", "step": "0.01", "inputmode": "decimal"})

    def clean_quantity(self):
        quantity = self.cleaned_data["quantity"]
        if quantity is not None and quantity <= 0:
            raise ValidationError(_("The quantity must be more than zero."))
        return quantity


class MobilisationForm(forms.ModelForm):
    """Broadcast an emergency call to volunteers filtered by community, team and skill."""

    class Meta:
        model = Mobilisation
        fields = [
            "center",
            "title",
            "message",
            "communities",
            "team",
            "skill",
            "needed",
            "answer_within_minutes",
        ]
        widgets = {
            "message": forms.Textarea(attrs={"rows": 4}),
            "communities": forms.CheckboxSelectMultiple,
        }
        field_classes = {"communities": IdMultipleChoiceField}
        help_texts = {
            "communities": _("Leave empty for the calling center's own community."),
            "answer_within_minutes": _(
                "If too few say they are coming by then, the call goes to a wider group."
            ),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        centers = access.visible_centers(user).order_by("name")
        self.fields["center"].queryset = centers
        self.fields["communities"].queryset = (
            Community.objects.filter(street__centers__in=centers).distinct().order_by("name")
        )
        self.fields["team"].queryset = selectors.assignable_teams(user=user).order_by("name")
        self.fields["skill"].queryset = Skill.objects.order_by("name")
        self.fields["needed"].min_value = 1
        self.fields["answer_within_minutes"].min_value = 1


class CallAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        choices=[
            (CallAnswer.Answer.RECEIVED, _("Received")),
            (CallAnswer.Answer.COMING, _("Coming")),
            (CallAnswer.Answer.CANNOT, _("Cannot come")),
        ]
    )

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.forms import IdMultipleChoiceField
from core.models import Center, Community

from .models import Availability, Category, Skill, Team
from .services.shop import MAX_QUANTITY


class VolunteerForm(forms.Form):
    real_name = forms.CharField(
        label=_("Real name"),
        max_length=50,
        help_text=_("As on your ID card; it appears on your service certificate."),
    )
    center = forms.ModelChoiceField(
        label=_("Home center"),
        queryset=Center.objects.filter(is_active=True).select_related("street"),
        help_text=_("The center near you; it keeps your registration and issues your certificate."),
    )
    communities = IdMultipleChoiceField(
        label=_("Communities you can serve"),
        queryset=Community.objects.select_related("street"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    skills = IdMultipleChoiceField(
        label=pgettext_lazy("volunteer", "Skills"),
        queryset=Skill.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    availability = forms.MultipleChoiceField(
        label=_("When you can serve"),
        choices=Availability.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the center keeps my real name, mobile number and service records to organise "
            "volunteering and to certify my hours."
        ),
        error_messages={
            "required": _("Volunteering needs your real name: please agree to its use to register.")
        },
    )


class JoinTeamForm(forms.Form):
    message = forms.CharField(
        label=_("A word to the leader (optional)"), max_length=200, required=False, widget=forms.TextInput
    )


class CheckCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code shown at the site"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]{6}"}),
        error_messages={
            "required": _("Enter the six-digit code shown at the site."),
            "min_length": _("The code has six digits."),
        },
    )


class HourReportForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    served_on = forms.DateField(label=_("Date served"), widget=forms.DateInput(attrs={"type": "date"}))
    hours = forms.DecimalField(
        label=_("Hours"),
        min_value=Decimal("0.25"),
        max_value=Decimal("24"),
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.25", "inputmode": "decimal"}),
        help_text=_("In quarter hours, e.g. 1.5"),
    )
    category = forms.ChoiceField(label=_("Kind of service"), choices=Category.choices, initial=Category.OTHER)
    description = forms.CharField(
        label=_("What you did"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, teams=None, **kwargs):
        super().__init__(*args, **kwargs)
        if teams is not None:
            self.fields["team"].queryset = teams
        self.fields["served_on"].initial = timezone.localdate()

    def clean_hours(self):
        hours = self.cleaned_data["hours"]
        if (hours / Decimal("0.25")) % 1:
            raise forms.ValidationError(_("Enter hours in quarter hours, e.g. 1.25 or 2.5."))
        return hours


class RedeemForm(forms.Form):
    quantity = forms.IntegerField(
        label=_("Quantity"),
        min_value=1,
        max_value=MAX_QUANTITY,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class PickupForm(forms.Form):
    code = forms.CharField(
        label=_("Pickup code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        error_messages={"required": _("Enter the pickup code the volunteer shows you.")},
    )

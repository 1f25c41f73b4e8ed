from django import forms
from django.utils.translation import gettext_lazy as _

from core import access

from .models import Organization, PlayedRole, Stage
from .selectors import list_hub_organizations

DEFAULT_ROOM = "社会组织孵化室"


class StageMoveForm(forms.Form):
    """Move an organization to its next lifecycle stage (the choices are the allowed ones)."""

    to_stage = forms.ChoiceField(label=_("Move to"), choices=())
    reason = forms.CharField(
        label=_("Why"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Kept in the organization's history."),
    )
    incubation_center = forms.ModelChoiceField(
        label=_("Incubated at center"),
        queryset=None,
        required=False,
        help_text=_("Needed when the organization enters incubation."),
    )
    incubation_room = forms.CharField(
        label=_("Incubation room"), max_length=100, required=False, initial=DEFAULT_ROOM
    )
    incubator = forms.ModelChoiceField(label=_("Incubating hub organization"), queryset=None, required=False)
    expected_stage = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, organization: Organization, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = organization.next_stages
        if Stage.INCUBATE in dict(organization.next_stages):
            self.fields["incubation_center"].queryset = access.visible_centers(user).select_related("street")
            self.fields["incubator"].queryset = list_hub_organizations().exclude(pk=organization.pk)
        else:  # the incubation fields matter only on the way into incubation
            for name in ("incubation_center", "incubation_room", "incubator"):
                del self.fields[name]
        self.initial.setdefault("expected_stage", organization.stage)

    def clean_expected_stage(self):
        value = self.cleaned_data["expected_stage"]
        if value not in Stage.values:
            raise forms.ValidationError(_("Reload the page and try again."))
        return value


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_(
            "Excel (.xlsx) or CSV, one organization per row, with the column names in the first row."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    import_valid_rows = forms.BooleanField(
        label=_("Import the valid rows even if some rows have errors"), required=False
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB; split it."))
        if not uploaded.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Upload an Excel file (.xlsx) or a CSV file."))
        return uploaded


class ReportMonthForm(forms.Form):
    month = forms.DateField(
        label=_("Month"),
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )


class OrganizationAdminForm(forms.ModelForm):
    roles = forms.TypedMultipleChoiceField(
        label=_("roles it plays"),
        choices=PlayedRole.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Organization
        fields = "__all__"

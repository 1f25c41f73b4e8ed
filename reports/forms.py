from django import forms
from django.utils.translation import gettext_lazy as _

from . import selectors
from .periods import Period


class MonthInput(forms.TextInput):
    input_type = "month"


class GenerateReportForm(forms.Form):
    """Which report to generate: a place the user may report on, and a month that has begun."""

    scope = forms.ChoiceField(label=_("Report for"))
    month = forms.CharField(
        label=_("Month"),
        widget=MonthInput(attrs={"placeholder": "2026-10"}),
        help_text=_("Year and month, e.g. 2026-10."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.scope_choices = selectors.scope_choices(user=user)
        self.fields["scope"].choices = [(c.key, c.label) for c in self.scope_choices]
        if not self.is_bound:
            self.initial.setdefault("month", Period.last_month().key)

    def clean_month(self) -> Period:
        try:
            period = Period.parse(self.cleaned_data["month"])
        except ValueError:
            raise forms.ValidationError(
                _("Enter a month as year-month, e.g. 2026-10."), code="invalid"
            ) from None
        if period > Period.current():
            raise forms.ValidationError(_("That month has not begun yet."), code="future")
        return period

    def clean(self):
        cleaned = super().clean()
        if "scope" in cleaned:
            cleaned["scope_obj"] = selectors.resolve_scope(
                user=self.user, key=cleaned["scope"], choices=self.scope_choices
            )
            if cleaned["scope_obj"] is None:
                self.add_error("scope", _("You may not report on that place."))
        return cleaned


class DashboardForm(forms.Form):
    scope = forms.ChoiceField(label=_("Place"), required=False)
    month = forms.CharField(label=_("Up to month"), required=False, widget=MonthInput())

    def __init__(self, *args, user, scope_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The view reads the user's places once and passes them to each form it builds.
        self.scope_choices = selectors.dashboard_scopes(user=user) if scope_choices is None else scope_choices
        self.fields["scope"].choices = [(c.key, c.label) for c in self.scope_choices]

    def clean_month(self) -> Period:
        text = self.cleaned_data.get("month")
        if not text:
            return Period.current()
        try:
            period = Period.parse(text)
        except ValueError:
            raise forms.ValidationError(
                _("Enter a month as year-month, e.g. 2026-10."), code="invalid"
            ) from None
        return min(period, Period.current())

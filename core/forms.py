from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.translation import gettext_lazy as _


class SignupForm(AllauthSignupForm):
    real_name = forms.CharField(
        label=_("Real name"), max_length=50, help_text=_("As on your ID card, so that staff can find you.")
    )
    consent = forms.BooleanField(
        label=_("I agree that the portal keeps my name and mobile number to run its services."),
        required=True,
    )

    field_order = ["real_name", "phone", "email", "password1", "password2", "consent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].label = _("Mobile number")
        self.fields["phone"].help_text = _("We send a 6-digit code to this number.")


class ErasureForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that my account is closed and my personal information is removed for good."),
        required=True,
    )
    password = forms.CharField(label=_("Your password"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."))
        return password


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows by id that refuses an id too large for the database as an invalid
    choice (SQLite raises OverflowError on it, a server error)."""

    LARGEST_ID = 2**63 - 1

    def _check_values(self, value):
        for pk in value:
            try:
                number = int(pk)
            except (TypeError, ValueError):
                continue  # not a number: the parent refuses it
            if abs(number) > self.LARGEST_ID:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)

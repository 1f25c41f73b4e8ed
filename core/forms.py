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

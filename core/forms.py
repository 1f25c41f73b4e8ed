import io

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image

from .images import ALLOWED_FORMATS, open_checked_image, server_file_name


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


class CenterAdminForm(forms.ModelForm):
    """The center's photo is checked like every upload, re-encoded from its pixels (no EXIF) and
    stored under a name the server chooses."""

    MAX_BYTES = 8 * 1024 * 1024
    MAX_PIXELS = 30_000_000

    class Meta:
        fields = "__all__"

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if not upload or not hasattr(upload, "content_type"):
            return upload  # unchanged or cleared
        image = open_checked_image(upload, max_bytes=self.MAX_BYTES, max_pixels=self.MAX_PIXELS)
        fmt = image.format
        clean = Image.new(image.mode, image.size)
        clean.paste(image)
        out = io.BytesIO()
        if fmt == "JPEG":
            clean.convert("RGB").save(out, "JPEG", quality=85)
        else:
            clean.save(out, fmt)
        return ContentFile(out.getvalue(), name=server_file_name(ALLOWED_FORMATS[fmt]))


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

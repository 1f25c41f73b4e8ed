"""django-allauth adapter: mainland mobile numbers, SMS codes through the SMS backend."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.fields import PhoneField
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .client_address import client_ip
from .models import User
from .sms import send_sms
from .validators import normalize_mobile, validate_mobile


class AccountAdapter(DefaultAccountAdapter):
    def phone_form_field(self, **kwargs):
        kwargs.setdefault("label", gettext_lazy("Mobile number"))
        kwargs["validators"] = []
        field = PhoneField(**kwargs)
        field.widget.attrs.update({"placeholder": "13812345678", "inputmode": "tel"})
        return field

    def clean_phone(self, phone: str) -> str:
        phone = normalize_mobile(phone)
        validate_mobile(phone)
        return phone

    def send_verification_code_sms(self, user, phone: str, code: str, **kwargs) -> None:
        send_sms(
            phone=phone, body=_("Your Happy Neighborhood verification code is %(code)s.") % {"code": code}
        )

    def set_phone(self, user, phone: str, verified: bool) -> None:
        user.phone = phone
        user.phone_verified = verified
        if user.pk:  # during sign-up allauth sets the phone before the user is first saved
            user.save(update_fields=["phone", "phone_verified"])

    def get_phone(self, user):
        return (user.phone, user.phone_verified) if user.phone else None

    def send_account_already_exists_sms(self, phone: str) -> None:
        # Sign-up does not reveal that a number is registered; its owner is told instead.
        send_sms(
            phone=phone,
            body=_(
                "Someone tried to register with your number. You already have an account: "
                "sign in, or reset your password."
            ),
        )

    def set_phone_verified(self, user, phone: str) -> None:
        user.phone_verified = True
        user.save(update_fields=["phone_verified"])

    def get_user_by_phone(self, phone: str):
        try:
            phone = normalize_mobile(phone)
        except ValidationError:
            return None
        return User.objects.filter(phone=phone).order_by("pk").first()

    def get_client_ip(self, request) -> str:
        # The same address as every other limit; allauth's own raises (a 500) on a short header.
        return client_ip(request)

    def populate_username(self, request, user) -> None:
        # The user model has no username: people sign in by mobile number or e-mail.
        return None

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.real_name = form.cleaned_data.get("real_name", "")
        user.email = user.email or None
        if commit:
            user.save()
        return user

"""Forms of the care admin and pages. Validation speaks to the field that is wrong; the admin
re-renders everything the worker typed when any of it is refused."""

from django import forms
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import User
from core.validators import normalize_mobile

from . import selectors, services
from .models import SENSITIVE_FIELDS, Consent, Recipient, Referral, Visit

NO_NEW_CONSENT = ""


class RecipientAdminForm(forms.ModelForm):
    """A recipient, and optionally a new consent record given in the same visit."""

    resident_phone = forms.CharField(
        label=_("portal account (mobile number)"),
        required=False,
        max_length=20,
        help_text=_("If the resident has a portal account, its mobile number links their timeline."),
    )
    consent_scope = forms.ChoiceField(
        label=_("new consent: scope"),
        required=False,
        choices=[(NO_NEW_CONSENT, _("— no new consent —")), *Consent.Scope.choices],
    )
    consent_given_by = forms.ChoiceField(
        label=_("given by"), choices=Consent.GivenBy.choices, initial=Consent.GivenBy.SELF, required=False
    )
    consent_guardian_name = forms.CharField(label=_("guardian's name"), max_length=50, required=False)
    consent_given_on = forms.DateField(label=_("given on"), required=False, widget=AdminDateWidget)
    consent_channel = forms.ChoiceField(
        label=_("how consent was given"), choices=[("", "—"), *Consent.Channel.choices], required=False
    )
    consent_text_version = forms.CharField(
        label=_("consent text version"), max_length=30, required=False, initial=services.CONSENT_TEXT_VERSION
    )

    class Meta:
        model = Recipient
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.resident_id:
            self.fields["resident_phone"].initial = self.instance.resident.phone
        self.new_consent: Consent | None = None

    def clean_resident_phone(self):
        phone = normalize_mobile(self.cleaned_data.get("resident_phone", ""))
        if not phone:
            return None
        user = User.objects.filter(phone=phone, is_active=True).first()
        if user is None:
            raise ValidationError(_("No portal account has this mobile number."))
        return user

    def _clean_consent(self) -> None:
        data = self.cleaned_data
        if not data.get("consent_scope"):
            return
        for name in ("consent_given_on", "consent_channel", "consent_text_version"):
            if not data.get(name):
                self.add_error(name, _("Needed to record the consent."))
        if data.get("consent_given_on") and data["consent_given_on"] > timezone.localdate():
            self.add_error("consent_given_on", _("A consent cannot be dated in the future."))
        if data.get("consent_given_by") == Consent.GivenBy.GUARDIAN and not data.get("consent_guardian_name"):
            self.add_error("consent_guardian_name", _("Name the guardian who gave the consent."))
        if any(name.startswith("consent_") for name in self.errors):
            return
        self.new_consent = Consent(
            scope=data["consent_scope"],
            given_by=data.get("consent_given_by") or Consent.GivenBy.SELF,
            guardian_name=data.get("consent_guardian_name", ""),
            given_on=data["consent_given_on"],
            channel=data["consent_channel"],
            text_version=data["consent_text_version"],
        )

    def clean(self):
        data = super().clean()
        self.instance.resident = data.get("resident_phone")
        self._clean_consent()
        worker, center = data.get("social_worker"), data.get("center")
        if worker and center and not selectors.works_at(worker, center.pk):
            self.add_error("social_worker", _("Choose a social worker of this recipient's center."))
        filled = [name for name in SENSITIVE_FIELDS if name in self.fields and data.get(name)]
        covered = (self.new_consent is not None and self.new_consent.scope == Consent.Scope.SENSITIVE) or (
            self.instance.pk and services.has_consent(self.instance, Consent.Scope.SENSITIVE)
        )
        if filled and not covered:
            for name in filled:
                self.add_error(name, _("Needs a consent of scope “sensitive information”."))
            raise ValidationError(services.NO_CONSENT_FOR_SENSITIVE, code="no_consent")
        if data.get("status") == Recipient.Status.CLOSED and not data.get("closed_on"):
            data["closed_on"] = timezone.localdate()
        return data


class VisitAdminForm(forms.ModelForm):
    class Meta:
        model = Visit
        fields = "__all__"

    def clean_visited_on(self):
        day = self.cleaned_data["visited_on"]
        if day > timezone.localdate():
            raise ValidationError(_("A visit cannot be logged for a future date."))
        return day

    def clean(self):
        data = super().clean()
        if data.get("kind") == Visit.Kind.CRISIS:
            data["crisis"] = True
        recipient = data.get("recipient")
        if recipient is not None:
            if recipient.anonymised_at or recipient.status != Recipient.Status.ACTIVE:
                self.add_error("recipient", _("This recipient's record is closed: no new visits."))
            try:
                services.check_visit_notes_allowed(recipient=recipient, kind=data.get("kind"), notes=data)
            except ValidationError as error:
                self.add_error(None, error)
        return data


class ReferralAdminForm(forms.ModelForm):
    class Meta:
        model = Referral
        fields = "__all__"

    def clean(self):
        data = super().clean()
        status = data.get("status")
        if status in Referral.CLOSED and not data.get("closed_on"):
            data["closed_on"] = timezone.localdate()
        elif status and status not in Referral.CLOSED:
            data["closed_on"] = None
        return data


class ConsentAdminForm(forms.ModelForm):
    class Meta:
        model = Consent
        fields = ["recipient", "scope", "given_by", "guardian_name", "given_on", "channel", "text_version"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "text_version" in self.fields:
            self.fields["text_version"].initial = services.CONSENT_TEXT_VERSION

    def clean_given_on(self):
        day = self.cleaned_data["given_on"]
        if day > timezone.localdate():
            raise ValidationError(_("A consent cannot be dated in the future."))
        return day


class ExportForm(forms.Form):
    reason = forms.CharField(
        label=_("Purpose of this export"),
        max_length=120,
        min_length=4,
        help_text=_("Recorded in the audit log, e.g. “monthly subsidy list for the street office”."),
    )

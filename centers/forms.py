from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import photos, services
from .models import Activity, ActivitySeries, Booking, Child, Photo, Signup


class SignupForm(forms.Form):
    """A resident's sign-up; for a children's activity, which of their children."""

    child = forms.ModelChoiceField(label=_("Which child"), queryset=Child.objects.none(), required=False)

    def __init__(self, *args, activity: Activity, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.activity = activity
        if activity.for_children and user.is_authenticated:
            self.fields["child"].queryset = Child.objects.filter(guardian=user)
            self.fields["child"].required = True
            self.fields["child"].empty_label = None
        else:
            del self.fields["child"]


class ChildForm(forms.ModelForm):
    class Meta:
        model = Child
        fields = ["name", "birth_year", "relation"]
        widgets = {"birth_year": forms.NumberInput(attrs={"inputmode": "numeric"})}
        help_texts = {"relation": _("e.g. mother, grandfather")}

    def __init__(self, *args, guardian, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.guardian = guardian

    def clean_birth_year(self):
        year = self.cleaned_data.get("birth_year")
        this_year = timezone.localdate().year
        if year is not None and not (this_year - 18 <= year <= this_year):
            raise ValidationError(
                _("Enter the child's year of birth, e.g. %(year)s.") % {"year": this_year - 8}
            )
        return year


# ------------------------------------------------------------------ staff forms (admin)
class ActivityAdminForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        space, starts, ends = cleaned.get("space"), cleaned.get("starts_at"), cleaned.get("ends_at")
        center = cleaned.get("center")
        if space and center and space.center_id != center.pk:
            self.add_error("space", _("This space belongs to another center."))
        elif (
            space and starts and ends and ends > starts and cleaned.get("status") != Activity.Status.CANCELLED
        ):
            own = Booking.objects.filter(activity_id=self.instance.pk).values_list("pk", flat=True).first()
            clash = services.find_overlapping_bookings(
                space=space, starts_at=starts, ends_at=ends, exclude_pk=own
            ).first()
            if clash is not None:
                self.add_error("space", services._overlap_error(space, clash))
        return cleaned


class ActivitySeriesAdminForm(forms.ModelForm):
    class Meta:
        model = ActivitySeries
        fields = "__all__"

    def clean_rrule(self):
        value = self.cleaned_data["rrule"].strip()
        services.validate_rrule(value)
        return value

    def clean(self):
        cleaned = super().clean()
        space, center = cleaned.get("space"), cleaned.get("center")
        if space and center and space.center_id != center.pk:
            self.add_error("space", _("This space belongs to another center."))
        return cleaned


class BookingAdminForm(forms.ModelForm):
    class Meta:
        model = Booking
        fields = ["space", "starts_at", "ends_at", "purpose"]

    def clean(self):
        cleaned = super().clean()
        space, starts, ends = cleaned.get("space"), cleaned.get("starts_at"), cleaned.get("ends_at")
        if space and starts and ends:
            if ends <= starts:
                self.add_error("ends_at", _("The end must be after the start."))
            else:
                clash = services.find_overlapping_bookings(
                    space=space, starts_at=starts, ends_at=ends, exclude_pk=self.instance.pk
                ).first()
                if clash is not None:
                    self.add_error(None, services._overlap_error(space, clash))
        return cleaned


class PhotoAdminForm(forms.ModelForm):
    """Upload through centers.photos: the stored file is the checked, re-encoded picture."""

    upload = forms.ImageField(label=_("photo"), required=True)

    class Meta:
        model = Photo
        fields = ["center", "activity", "caption"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["upload"].required = False

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload:
            photos.clean_image(upload)  # raises the user's error next to the field
            upload.seek(0)
        return upload

    def clean(self):
        cleaned = super().clean()
        center, activity = cleaned.get("center"), cleaned.get("activity")
        if center and activity and activity.center_id != center.pk:
            self.add_error("activity", _("The activity belongs to another center."))
        return cleaned


class CheckInCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Check-in code"),
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "autofocus": True}),
    )


class OnBehalfForm(forms.Form):
    phone = forms.CharField(label=_("Resident's mobile number"), max_length=11)
    channel = forms.ChoiceField(
        label=_("How they asked"),
        choices=[
            (Signup.Channel.COUNTER, Signup.Channel.COUNTER.label),
            (Signup.Channel.PHONE, Signup.Channel.PHONE.label),
        ],
    )
    child_name = forms.CharField(
        label=_("Child's name (children's activities)"), max_length=50, required=False
    )


class CollectionForm(forms.Form):
    collected_by = forms.CharField(label=_("Collected by"), max_length=50)

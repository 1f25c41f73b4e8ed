"""Duties (volunteer shifts), sign-ups with check-in and check-out, hour records and certificates."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.access import NOBODY, governed
from core.models import Center

from .people import Team, Volunteer


class Category(models.TextChoices):
    """Kinds of service; the points rules weigh them (an activity's own category takes precedence).

    The codes match the activity categories of the centers app where they overlap, so one
    weight applies to both."""

    ELDERLY = "elderly", _("Elderly care")
    CHILDREN = "children", _("Children and the 3:30 classroom")
    ENVIRONMENT = "environment", _("Environment")
    MEDIATION = "mediation", _("Mediation")
    CULTURE = "culture", _("Culture")
    HEALTH = "health", _("Health")
    EMERGENCY = "emergency", _("Emergency")
    OTHER = "other", _("Other")


@governed(center="center")
class Duty(models.Model):
    """A volunteer shift posted by a team (or for an activity), with a check-in code shown at the site."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open for sign-up")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    center = models.ForeignKey(
        Center, on_delete=models.PROTECT, related_name="volunteer_duties", verbose_name=_("center")
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="duties", verbose_name=_("team")
    )
    activity = models.ForeignKey(
        "centers.Activity",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="volunteer_duties",
        verbose_name=_("activity"),
        help_text=_("The activity these volunteers serve, if any; its category weighs the points."),
    )
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.OTHER
    )
    location = models.CharField(_("place"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    slots = models.PositiveSmallIntegerField(_("volunteers needed"), validators=[MinValueValidator(1)])
    check_in_code = models.CharField(
        _("check-in code"),
        max_length=6,
        help_text=_("Shown at the site; volunteers enter it to check in and out."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("posted by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("duty")
        verbose_name_plural = _("duties")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="duty_ends_after_start"),
            models.CheckConstraint(condition=Q(slots__gte=1), name="duty_needs_a_volunteer"),
            models.CheckConstraint(
                condition=Q(team__isnull=False) | Q(activity__isnull=False),
                name="duty_of_a_team_or_an_activity",
            ),
        ]
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("volunteers:duty_detail", kwargs={"pk": self.pk})

    @property
    def weight_category(self) -> str:
        """The category the points rules weigh: the activity's when the duty serves one."""
        return self.activity.category if self.activity_id else self.category

    @property
    def duration_hours(self) -> Decimal:
        return Decimal((self.ends_at - self.starts_at).total_seconds() / 3600).quantize(Decimal("0.01"))


@governed(center="duty__center", owner="volunteer__user", add=NOBODY, delete=NOBODY)
class DutySignup(models.Model):
    class Status(models.TextChoices):
        SIGNED_UP = "signed_up", _("Signed up")
        CHECKED_IN = "checked_in", _("Checked in")
        CHECKED_OUT = "checked_out", _("Checked out")
        CANCELLED = "cancelled", _("Cancelled")

    duty = models.ForeignKey(Duty, on_delete=models.CASCADE, related_name="signups", verbose_name=_("duty"))
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="duty_signups", verbose_name=_("volunteer")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SIGNED_UP)
    signed_up_at = models.DateTimeField(_("signed up at"), auto_now_add=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked in by"),
        help_text=_("Empty when the volunteer used the code at the site."),
    )

    class Meta:
        verbose_name = _("duty sign-up")
        verbose_name_plural = _("duty sign-ups")
        ordering = ["duty__starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["duty", "volunteer"], name="duty_signup_unique"),
            models.CheckConstraint(
                condition=(
                    Q(status__in=["signed_up", "cancelled"], checked_in_at__isnull=True)
                    | Q(status="checked_in", checked_in_at__isnull=False, checked_out_at__isnull=True)
                    | Q(
                        status="checked_out",
                        checked_in_at__isnull=False,
                        checked_out_at__gte=F("checked_in_at"),
                    )
                ),
                name="duty_signup_times_match_status",
            ),
        ]
        indexes = [models.Index(fields=["duty", "status"])]

    def __str__(self) -> str:
        return f"{self.volunteer} · {self.duty}"


@governed(center="center", owner="volunteer__user", delete=NOBODY)
class HourRecord(models.Model):
    """Hours served, from check-in/out, entered by the leader, or self-reported; then verified or disputed."""

    class Source(models.TextChoices):
        ATTENDANCE = "attendance", _("Check-in and check-out")
        LEADER = "leader", _("Entered by the leader")
        SELF = "self", _("Self-reported")

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("hours", "Waiting for verification")
        VERIFIED = "verified", pgettext_lazy("hours", "Verified")
        DISPUTED = "disputed", pgettext_lazy("hours", "Disputed")

    # volunteer and center are looked up through the composite indexes below.
    volunteer = models.ForeignKey(
        Volunteer,
        on_delete=models.PROTECT,
        related_name="hour_records",
        verbose_name=_("volunteer"),
        db_index=False,
    )
    center = models.ForeignKey(
        Center,
        on_delete=models.PROTECT,
        related_name="volunteer_hours",
        verbose_name=_("center"),
        db_index=False,
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hour_records",
        verbose_name=_("team"),
    )
    duty = models.ForeignKey(
        Duty,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hour_records",
        verbose_name=_("duty"),
    )
    signup = models.OneToOneField(
        DutySignup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hour_record",
        verbose_name=_("duty sign-up"),
    )
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    category = models.CharField(
        _("category"),
        max_length=40,
        default=Category.OTHER,
        help_text=_(
            "The kind of service, which the points rules weigh (taken from the duty or its activity)."
        ),
    )
    served_on = models.DateField(_("date served"))
    hours = models.DecimalField(
        _("hours"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(Decimal("24"))],
    )
    description = models.CharField(pgettext_lazy("hours", "what was done"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
        db_index=False,
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
        db_index=False,
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.CharField(_("review note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("hour record")
        verbose_name_plural = _("hour records")
        ordering = ["-served_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=24), name="hour_record_hours_in_a_day"
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(reviewed_at__isnull=False),
                name="hour_record_review_has_a_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="disputed") | ~Q(review_note=""), name="hour_record_dispute_has_a_reason"
            ),
        ]
        indexes = [
            models.Index(fields=["volunteer", "status"]),
            models.Index(fields=["center", "status", "served_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} · {self.served_on} · {self.hours}"


@governed(center="issuer", owner="volunteer__user", add=NOBODY, change=NOBODY, delete=NOBODY)
class Certificate(models.Model):
    """A numbered service certificate: a snapshot of the verified hours on the day it was issued."""

    number = models.CharField(pgettext_lazy("certificate", "number"), max_length=30, unique=True)
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("volunteer")
    )
    issuer = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="+", verbose_name=_("issuer"))
    hours = models.DecimalField(_("verified hours"), max_digits=9, decimal_places=2)
    record_count = models.PositiveIntegerField(_("verified records"))
    first_served_on = models.DateField(_("served from"), null=True, blank=True)
    last_served_on = models.DateField(_("served until"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("service certificate")
        verbose_name_plural = _("service certificates")
        ordering = ["-issued_at"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gte=0), name="certificate_hours_not_negative")
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("volunteers:certificate_detail", kwargs={"number": self.number})


__all__ = ["Category", "Certificate", "Duty", "DutySignup", "HourRecord"]

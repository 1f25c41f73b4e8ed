"""Visits with their follow-ups, and referrals to resources."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.access import FIELD_WORKERS, governed
from core.models import Center

from .recipients import MANAGERS, NO_DISTRICT, Recipient

VISIT_RULE = dict(
    view=FIELD_WORKERS,
    add=FIELD_WORKERS,
    change=FIELD_WORKERS,
    delete=MANAGERS,
    district_admin=NO_DISTRICT,
)


@governed(center="center", **VISIT_RULE)
class Visit(models.Model):
    """A home visit, a telephone call, a crisis intervention or a festival visit (走访)."""

    class Kind(models.TextChoices):
        HOME = "home", _("Home visit")
        PHONE = "phone", _("Telephone call")
        CRISIS = "crisis", _("Crisis intervention")
        FESTIVAL = "festival", _("Festival visit")

    class Mood(models.TextChoices):
        UNKNOWN = "", _("—")
        GOOD = "good", _("Cheerful")
        STABLE = "stable", _("Calm")
        LOW = "low", _("Downcast")
        DISTRESSED = "distressed", _("Distressed")

    recipient = models.ForeignKey(
        Recipient, on_delete=models.CASCADE, related_name="visits", verbose_name=_("care recipient")
    )
    # The recipient's center, copied by the services: scoping a worker's list of 200,000 visits
    # then reads one index instead of joining every visit to its recipient.
    center = models.ForeignKey(
        Center, on_delete=models.PROTECT, related_name="care_visits", editable=False, verbose_name=_("center")
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.HOME)
    visited_on = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=30)
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="care_visits",
        verbose_name=_("visited by"),
    )
    mood = models.CharField(_("mood"), max_length=10, choices=Mood.choices, blank=True)
    observations = models.TextField(_("observations"), blank=True)
    needs_found = models.TextField(_("needs found"), blank=True)
    crisis = models.BooleanField(
        _("crisis: tell the center manager now"),
        default=False,
        help_text=_("The center manager is notified at once."),
    )
    created_at = models.DateTimeField(_("logged at"), auto_now_add=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-visited_on"], name="care_visit_recipient_date"),
            models.Index(fields=["-visited_on", "-id"], name="care_visit_date"),
            models.Index(fields=["center", "-visited_on", "-id"], name="care_visit_center_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1, duration_minutes__lte=720),
                name="care_visit_duration_range",
                violation_error_message=_("A visit lasts between 1 and 720 minutes."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="crisis") | Q(crisis=True),
                name="care_visit_crisis_flagged",
                violation_error_message=_("A crisis intervention is always flagged as a crisis."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.visited_on:%Y-%m-%d} {self.get_kind_display()}"


@governed(center="visit__center", **{**VISIT_RULE, "delete": FIELD_WORKERS})
class FollowUp(models.Model):
    """Something to do after a visit (call the family, bring a walking stick, ...)."""

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("visit")
    )
    action = models.CharField(_("to do"), max_length=200)
    due_on = models.DateField(_("due by"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.action


@governed(center="recipient__center", **VISIT_RULE)
class Referral(models.Model):
    """Linking a recipient to a resource (链接资源): a hearing aid, a subsidy, a medical volunteer."""

    class Resource(models.TextChoices):
        MEDICAL_CHECKS = "medical_checks", _("Medical volunteer check-ups at home")
        HEARING_AID = "hearing_aid", _("Hearing aid")
        HOUSING_SUBSIDY = "housing_subsidy", _("Housing subsidy")
        PUBLIC_RENTAL = "public_rental", _("Public rental housing")
        DISABILITY_ALLOWANCE = "disability_allowance", _("Disability allowance")
        ASSISTIVE_DEVICE = "assistive_device", _("Assistive device")
        MEAL_AID = "meal_aid", _("Meal assistance")
        HOME_CARE = "home_care", _("Home-based elderly care service")
        COUNSELLING = "counselling", _("Psychological counselling")
        LEGAL_AID = "legal_aid", _("Legal aid")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPLIED = "applied", _("Applied")
        APPROVED = "approved", _("Approved")
        DELIVERED = "delivered", _("Delivered")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Referral withdrawn")

    CLOSED = (Status.DELIVERED, Status.REJECTED, Status.WITHDRAWN)

    recipient = models.ForeignKey(
        Recipient, on_delete=models.CASCADE, related_name="referrals", verbose_name=_("care recipient")
    )
    resource = models.CharField(_("resource"), max_length=25, choices=Resource.choices)
    provider = models.CharField(
        _("provider"),
        max_length=100,
        blank=True,
        help_text=_("e.g. the district disabled persons' federation"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    referred_on = models.DateField(_("referred on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("referred by")
    )

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-referred_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["delivered", "rejected", "withdrawn"], closed_on__isnull=False)
                | Q(status__in=["proposed", "applied", "approved"], closed_on__isnull=True),
                name="care_referral_closed_has_date",
                violation_error_message=_(
                    "A delivered, rejected or withdrawn referral has a closing date; an open one has none."
                ),
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("referred_on")),
                name="care_referral_closed_after_referred",
                violation_error_message=_("A referral cannot close before it was made."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_resource_display()} · {self.get_status_display()}"

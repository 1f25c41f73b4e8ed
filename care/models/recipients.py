"""Recipients, the cadence of their visits, and their consent to processing."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.access import FIELD_WORKERS, NOBODY, governed
from core.models import Center, Role
from core.validators import validate_mobile

from ..identity import mask_id_number, mask_phone, validate_id_number

MANAGERS = frozenset({Role.CENTER_MANAGER})
NO_DISTRICT = frozenset()


class RiskTier(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


# Used when no CadencePolicy row exists for a tier (e.g. a freshly flushed test database).
DEFAULT_CADENCE = {
    RiskTier.HIGH: (7, 1, 3),
    RiskTier.MEDIUM: (14, 2, 7),
    RiskTier.LOW: (30, 3, 14),
}


@governed(view=NOBODY, add=NOBODY, change=NOBODY, delete=NOBODY)
class CadencePolicy(models.Model):
    """How often a recipient of a risk tier is visited; edited by the district administrator."""

    risk_tier = models.CharField(_("risk tier"), max_length=10, choices=RiskTier.choices, unique=True)
    interval_days = models.PositiveSmallIntegerField(
        _("visit every (days)"), help_text=_("e.g. 7 = weekly, 14 = every two weeks, 30 = monthly")
    )
    remind_days_before = models.PositiveSmallIntegerField(
        _("remind days before due"), default=2, help_text=_("The worker is reminded this many days ahead.")
    )
    escalate_after_days = models.PositiveSmallIntegerField(
        _("escalate after overdue days"),
        help_text=_("Overdue longer than this, the center manager and street staff are told."),
    )

    class Meta:
        verbose_name = _("visit cadence")
        verbose_name_plural = _("visit cadences")
        ordering = ["interval_days"]
        constraints = [
            models.CheckConstraint(condition=Q(interval_days__gte=1), name="care_cadence_interval_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_risk_tier_display()}: {self.interval_days}"


class DisabilityType(models.TextChoices):
    NONE = "", _("None")
    VISUAL = "visual", _("Visual")
    HEARING = "hearing", _("Hearing")
    SPEECH = "speech", _("Speech")
    PHYSICAL = "physical", _("Physical")
    INTELLECTUAL = "intellectual", _("Intellectual")
    MENTAL = "mental", _("Mental (psychiatric)")
    MULTIPLE = "multiple", _("Multiple")


# Fields that hold sensitive personal information (PIPL art. 28): stored only under a
# recorded consent whose scope covers them. Everything else on a recipient is the minimum
# needed to find and visit the person.
SENSITIVE_FIELDS = (
    "id_number",
    "disability_type",
    "health_notes",
    "registered_but_absent",
    "actual_address",
    "guardian_name",
    "guardian_phone",
    "family_contacts",
)


@governed(
    center="center",
    view=FIELD_WORKERS,
    add=FIELD_WORKERS,
    change=FIELD_WORKERS,
    delete=MANAGERS,
    district_admin=NO_DISTRICT,
)
class Recipient(models.Model):
    """A resident whom a center cares for, found by survey (排摸) or referred."""

    class Source(models.TextChoices):
        SURVEY = "survey", _("Door-to-door survey")
        COMMUNITY = "community", _("Referred by the community")
        FAMILY = "family", _("Asked by the family")
        SELF = "self", _("Asked by the resident")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Case closed")

    class ClosedReason(models.TextChoices):
        NONE = "", _("—")
        MOVED = "moved", _("Moved away")
        DECEASED = "deceased", _("Deceased")
        DECLINED = "declined", _("Declined care")
        NOT_NEEDED = "not_needed", _("No longer needed")

    class Gender(models.TextChoices):
        UNKNOWN = "", _("—")
        FEMALE = "f", _("Female")
        MALE = "m", _("Male")

    center = models.ForeignKey(
        Center, on_delete=models.PROTECT, related_name="care_recipients", verbose_name=_("center")
    )
    name = models.CharField(_("full name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    phone = models.CharField(_("telephone"), max_length=20, blank=True)
    address = models.CharField(_("registered address"), max_length=200, blank=True)
    source = models.CharField(_("found by"), max_length=10, choices=Source.choices, default=Source.SURVEY)
    found_on = models.DateField(_("found on"))
    # vulnerability flags (minimal, needed to plan visits)
    lives_alone = models.BooleanField(_("lives alone"), default=False)
    very_old = models.BooleanField(_("very old (80+)"), default=False)
    risk_tier = models.CharField(
        _("risk tier"), max_length=10, choices=RiskTier.choices, default=RiskTier.MEDIUM
    )
    social_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="care_recipients",
        verbose_name=_("social worker"),
    )
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="care_pairings",
        verbose_name=_("paired volunteer (silver-age mutual aid)"),
    )
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="care_records",
        verbose_name=_("portal account"),
        help_text=_("The resident's own account, if they have one (for the timeline)."),
    )
    # sensitive (SENSITIVE_FIELDS): need a consent of scope "sensitive"
    id_number = models.CharField(_("ID number"), max_length=18, blank=True, validators=[validate_id_number])
    disability_type = models.CharField(
        _("disability"), max_length=15, choices=DisabilityType.choices, blank=True
    )
    health_notes = models.TextField(_("health notes"), blank=True)
    registered_but_absent = models.BooleanField(
        _("registered but absent"),
        default=False,
        help_text=_("Household registered here, but the person lives elsewhere (户在人不在)."),
    )
    actual_address = models.CharField(_("where the person actually lives"), max_length=200, blank=True)
    guardian_name = models.CharField(_("guardian"), max_length=50, blank=True)
    guardian_phone = models.CharField(
        _("guardian's mobile number"), max_length=11, blank=True, validators=[validate_mobile]
    )
    family_contacts = models.TextField(
        _("family contacts"), blank=True, help_text=_("Name, relation and telephone, one per line.")
    )
    # cadence, kept by the services
    last_visited_on = models.DateField(_("last visited on"), null=True, blank=True, editable=False)
    next_visit_due = models.DateField(_("next visit due"), null=True, blank=True, editable=False)
    # lifecycle and retention
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_reason = models.CharField(
        _("reason for closing"), max_length=12, choices=ClosedReason.choices, blank=True
    )
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("care recipient")
        verbose_name_plural = _("care recipients")
        ordering = ["center_id", "name", "id"]
        indexes = [
            models.Index(fields=["center", "status", "next_visit_due"], name="care_recipient_due"),
            models.Index(fields=["status", "next_visit_due"], name="care_recipient_status_due"),
            models.Index(fields=["status", "closed_on"], name="care_recipient_retention"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="active", closed_on__isnull=True)
                | Q(status="closed", closed_on__isnull=False),
                name="care_recipient_closed_has_date",
                violation_error_message=_(
                    "A closed record needs the date it was closed, an active one none."
                ),
            ),
        ]

    def __str__(self) -> str:
        # gettext, not the module's lazy _: this runs for every row of the admin's lists.
        if self.anonymised_at:
            return gettext("Anonymised record #%(id)s") % {"id": self.pk}
        if self.birth_year:
            return gettext("%(name)s (born %(year)s)") % {"name": self.name, "year": self.birth_year}
        return self.name

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    def has_sensitive_data(self) -> bool:
        return any(getattr(self, name) for name in SENSITIVE_FIELDS)


@governed(
    center="recipient__center",
    view=FIELD_WORKERS,
    add=FIELD_WORKERS,
    change=FIELD_WORKERS,
    delete=NOBODY,
    district_admin=NO_DISTRICT,
)
class Consent(models.Model):
    """The recipient's (or guardian's) consent to processing, kept as evidence. Never deleted."""

    class Scope(models.TextChoices):
        CARE = "care", _("Care services: contact details and visit records")
        SENSITIVE = (
            "sensitive",
            _("Sensitive information as well: health, disability, whereabouts, ID number, family contacts"),
        )

    class GivenBy(models.TextChoices):
        SELF = "self", _("The recipient")
        GUARDIAN = "guardian", _("The guardian")

    class Channel(models.TextChoices):
        WRITTEN = "written", _("Signed on paper")
        VERBAL = "verbal", _("Verbally, with a witness")
        ELECTRONIC = "electronic", _("Electronically")

    recipient = models.ForeignKey(
        Recipient, on_delete=models.CASCADE, related_name="consents", verbose_name=_("care recipient")
    )
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    text_version = models.CharField(_("consent text version"), max_length=30)
    given_by = models.CharField(_("given by"), max_length=10, choices=GivenBy.choices, default=GivenBy.SELF)
    guardian_name = models.CharField(_("guardian's name"), max_length=50, blank=True)
    given_on = models.DateField(_("given on"))
    channel = models.CharField(_("how consent was given"), max_length=10, choices=Channel.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["-given_on", "-id"]
        indexes = [
            # "Has a consent in force (of this scope)?", asked for every row of the recipient lists.
            models.Index(
                fields=["recipient", "scope"],
                condition=Q(withdrawn_on__isnull=True),
                name="care_consent_active",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(given_by="self") | ~Q(guardian_name=""),
                name="care_consent_guardian_named",
                violation_error_message=_("Name the guardian who gave the consent."),
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=models.F("given_on")),
                name="care_consent_withdrawn_after_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} · {self.given_on:%Y-%m-%d}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None

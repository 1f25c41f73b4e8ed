"""Organizations, their service domains and staff, and the incubation lifecycle with its history."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.access import NOBODY, governed
from core.models import Center, Community, Role, Street

from ..credit_code import validate_credit_code

STREET_STAFF = frozenset({Role.STREET_STAFF})


class Stage(models.TextChoices):
    """引入—培育—引导—支持—规范: the full-cycle support an organization goes through."""

    INTRODUCE = "introduce", pgettext_lazy("lifecycle stage", "Introduce")
    INCUBATE = "incubate", pgettext_lazy("lifecycle stage", "Incubate")
    GUIDE = "guide", pgettext_lazy("lifecycle stage", "Guide")
    SUPPORT = "support", pgettext_lazy("lifecycle stage", "Support")
    REGULATE = "regulate", pgettext_lazy("lifecycle stage", "Regulate")


# Forward one stage at a time; an established organization brought in from outside may skip
# incubation; an organization that falters may be taken one stage back.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    Stage.INTRODUCE: frozenset({Stage.INCUBATE, Stage.SUPPORT}),
    Stage.INCUBATE: frozenset({Stage.GUIDE, Stage.INTRODUCE}),
    Stage.GUIDE: frozenset({Stage.SUPPORT, Stage.INCUBATE}),
    Stage.SUPPORT: frozenset({Stage.REGULATE, Stage.GUIDE}),
    Stage.REGULATE: frozenset({Stage.SUPPORT}),
}


class PlayedRole(models.TextChoices):
    """What a center's operator is asked to be (倡导者、教育者、引导者、组织者、资源整合者)."""

    ADVOCATE = "advocate", pgettext_lazy("role played", "Advocate")
    EDUCATOR = "educator", pgettext_lazy("role played", "Educator")
    GUIDE = "guide", pgettext_lazy("role played", "Guide")
    ORGANIZER = "organizer", pgettext_lazy("role played", "Organizer")
    RESOURCE_INTEGRATOR = "resource_integrator", pgettext_lazy("role played", "Resource integrator")


class SocialWorkerLevel(models.TextChoices):
    NONE = "none", _("No qualification")
    JUNIOR = "junior", _("Assistant social worker (junior)")
    INTERMEDIATE = "intermediate", _("Social worker (intermediate)")
    SENIOR = "senior", _("Senior social worker")


@governed(view=NOBODY, add=NOBODY, change=NOBODY, delete=NOBODY)
class Domain(models.Model):
    """A service domain (elderly care, children, environment, ...): a short list the district keeps."""

    name = models.CharField(_("name"), max_length=50, unique=True)

    class Meta:
        verbose_name = _("service domain")
        verbose_name_plural = _("service domains")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# Street staff keep the registry of their street; managers and social workers see their centers'
# operators through orgs.selectors (core's Rule gives one role set to every path).
@governed(street="street", view=STREET_STAFF, add=STREET_STAFF, change=STREET_STAFF, delete=NOBODY)
class Organization(models.Model):
    class Kind(models.TextChoices):
        SOCIAL_SERVICE = "social_service", _("Social-service agency")
        COMMUNITY = "community", _("Community organization")
        VOLUNTEER_TEAM = "volunteer_team", _("Volunteer team")
        ASSOCIATION = "association", _("Association")
        CHAMBER = "chamber", _("Chamber of commerce of migrants")
        STUDIO = "studio", _("Studio")
        HUB = "hub", _("Hub organization")
        FOUNDATION = "foundation", _("Foundation")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        FILED = "filed", _("Filed")
        REGISTERED = "registered", _("Registered")

    class PartyBranch(models.TextChoices):
        NONE = "none", _("No party organization")
        OWN = "own", _("Own party branch")
        JOINT = "joint", _("Joint party branch")
        INSTRUCTOR = "instructor", _("Party-building instructor")

    class Grade(models.TextChoices):
        A1 = "1A", "1A"
        A2 = "2A", "2A"
        A3 = "3A", "3A"
        A4 = "4A", "4A"
        A5 = "5A", "5A"

    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    # Filed organizations: the street (and community) that filed them. Registered ones: where they are based.
    street = models.ForeignKey(
        Street,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
        verbose_name=_("street"),
    )
    community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
        verbose_name=_("community"),
    )
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_credit_code],
        help_text=_("18 characters, checked by GB 32100-2015."),
    )
    registering_authority = models.CharField(_("registering authority"), max_length=100, blank=True)
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    domains = models.ManyToManyField(
        Domain, blank=True, related_name="organizations", verbose_name=_("service domains")
    )
    roles = models.JSONField(
        _("roles it plays"), default=list, blank=True, help_text=_("Advocate, educator, guide, ...")
    )
    description = models.TextField(_("introduction"), blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("public telephone"), max_length=30, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact's mobile number"), max_length=30, blank=True)
    party_branch = models.CharField(
        _("party organization"), max_length=12, choices=PartyBranch.choices, default=PartyBranch.NONE
    )
    party_members = models.PositiveIntegerField(_("party members"), default=0)
    grade = models.CharField(_("evaluation grade"), max_length=2, choices=Grade.choices, blank=True)
    graded_on = models.DateField(_("evaluated on"), null=True, blank=True)
    stage = models.CharField(
        _("lifecycle stage"), max_length=10, choices=Stage.choices, default=Stage.INTRODUCE
    )
    stage_changed_at = models.DateTimeField(_("stage since"), default=timezone.now)
    incubator = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incubated",
        verbose_name=_("incubating hub organization"),
        limit_choices_to={"kind": "hub"},
    )
    incubation_center = models.ForeignKey(
        Center,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incubated_organizations",
        verbose_name=_("incubated at center"),
    )
    incubation_room = models.CharField(
        _("incubation room"), max_length=100, blank=True, help_text=_("e.g. 社会组织孵化室")
    )
    is_active = models.BooleanField(
        pgettext_lazy("organization", "active"),
        default=True,
        help_text=_("Dissolved organizations are kept, hidden."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["status", "name"], name="org_status_name"),
            models.Index(fields=["stage", "name"], name="org_stage_name"),
        ]
        constraints = [
            # The import's key: re-importing a sheet never duplicates an organization.
            models.UniqueConstraint(fields=["street", "name"], name="org_unique_name_per_street"),
            models.CheckConstraint(
                condition=(
                    Q(status="filed", street__isnull=False, credit_code__isnull=True)
                    | (
                        Q(status="registered", credit_code__isnull=False, registered_on__isnull=False)
                        & ~Q(registering_authority="")
                    )
                ),
                name="org_status_has_its_facts",
                violation_error_message=_(
                    "A filed organization needs the street that filed it; a registered one needs its "
                    "credit code, registering authority and date."
                ),
            ),
            models.CheckConstraint(
                condition=Q(grade="") | Q(graded_on__isnull=False),
                name="org_grade_has_date",
                violation_error_message=_("An evaluation grade needs the date of the evaluation."),
            ),
            models.CheckConstraint(
                condition=Q(incubator__isnull=True) | ~Q(incubator=models.F("id")),
                name="org_not_own_incubator",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:detail", kwargs={"pk": self.pk})

    @property
    def is_registered(self) -> bool:
        return self.status == self.Status.REGISTERED

    @property
    def role_labels(self) -> list[str]:
        labels = dict(PlayedRole.choices)
        return [str(labels[r]) for r in self.roles if r in labels]

    @property
    def next_stages(self) -> list[tuple[str, str]]:
        allowed = ALLOWED_TRANSITIONS.get(self.stage, frozenset())
        return [(value, label) for value, label in Stage.choices if value in allowed]

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.credit_code == "":
            self.credit_code = None
        if self.status == self.Status.FILED:
            if self.street_id is None and self.community_id is None:
                errors["street"] = _("A filed organization needs the street or community that filed it.")
            if self.credit_code:
                errors["credit_code"] = _(
                    "A filed organization has no credit code; change its status to registered."
                )
        elif self.status == self.Status.REGISTERED:
            if not self.credit_code:
                errors["credit_code"] = _("A registered organization needs its unified social credit code.")
            if not self.registering_authority:
                errors["registering_authority"] = _("Name the authority that registered it.")
            if not self.registered_on:
                errors["registered_on"] = _("Give the date of registration.")
        if self.community_id and self.street_id is None:
            self.street_id = self.community.street_id
        elif self.community_id and self.community.street_id != self.street_id:
            errors["community"] = _("This community belongs to another street.")
        if self.grade and not self.graded_on:
            errors["graded_on"] = _("Give the date of the evaluation.")
        unknown = [r for r in self.roles or [] if r not in PlayedRole.values]
        if unknown:
            errors["roles"] = _("Unknown role: %(roles)s") % {"roles": ", ".join(map(str, unknown))}
        if errors:
            raise ValidationError(errors)


@governed(
    street="organization__street",
    view=STREET_STAFF,
    add=STREET_STAFF,
    change=STREET_STAFF,
    delete=STREET_STAFF,
)
class StaffMember(models.Model):
    """A person working for an organization, with their social-worker qualification (staff-only data)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="staff", verbose_name=_("organization")
    )
    name = models.CharField(_("name"), max_length=50)
    position = models.CharField(_("position"), max_length=50, blank=True)
    level = models.CharField(
        _("social-worker level"),
        max_length=12,
        choices=SocialWorkerLevel.choices,
        default=SocialWorkerLevel.NONE,
    )
    is_party_member = models.BooleanField(_("party member"), default=False)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")
        ordering = ["organization_id", "name"]

    def __str__(self) -> str:
        return self.name


@governed(street="organization__street", view=STREET_STAFF, add=NOBODY, change=NOBODY, delete=NOBODY)
class StageChange(models.Model):
    """One move in an organization's lifecycle. Append-only: written by orgs.services.move_stage,
    numbered per organization, and refused by the database on update (and delete on PostgreSQL)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="stage_changes", verbose_name=_("organization")
    )
    sequence = models.PositiveIntegerField(_("number"))
    from_stage = models.CharField(_("from"), max_length=10, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=10, choices=Stage.choices)
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moved by"),
    )
    moved_at = models.DateTimeField(_("moved at"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)
    incubator = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("incubating hub organization"),
    )
    incubation_center = models.ForeignKey(
        Center, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("center")
    )
    incubation_room = models.CharField(_("incubation room"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("lifecycle history")
        ordering = ["organization_id", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "sequence"], name="stage_change_unique_sequence"),
            models.CheckConstraint(condition=~Q(from_stage=models.F("to_stage")), name="stage_change_moves"),
            # The first entry records the introduction; every later one has a from-stage and a reason.
            models.CheckConstraint(
                condition=Q(sequence=1, from_stage="")
                | (Q(sequence__gt=1) & ~Q(from_stage="") & ~Q(reason="")),
                name="stage_change_first_or_explained",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} #{self.sequence}: {self.from_stage or '–'} → {self.to_stage}"

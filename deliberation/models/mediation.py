"""Mediation cases (矛盾调解), e.g. by the 平安大姐 studio.

Confidential: a case, its parties, sessions and follow-up calls are seen only by the case's
mediator and by staff of the hosting center (street staff of its street, the district). Nothing
of a case appears on a public page; exports leave out who the parties are.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.access import ALL_STAFF, FIELD_WORKERS, governed
from core.models import Center, Community
from core.validators import validate_mobile

from ..storage import private_storage


@governed(center="center", owner="mediator", view=ALL_STAFF, add=FIELD_WORKERS, change=FIELD_WORKERS)
class MediationCase(models.Model):
    class DisputeType(models.TextChoices):
        WAGES = "wages", _("Wages")
        RENT = "rent", _("Rent")
        NEIGHBOURS = "neighbours", _("Neighbours")
        FAMILY = "family", _("Family")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", _("In mediation")
        CLOSED = "closed", pgettext_lazy("case", "Closed")

    class Outcome(models.TextChoices):
        AGREEMENT = "agreement", _("Agreement")
        PARTIAL = "partial", _("Partial agreement")
        FAILED = "failed", _("No agreement")
        ARBITRATION = "arbitration", _("Referred to arbitration")
        COURT = "court", _("Referred to court")

    center = models.ForeignKey(
        Center, on_delete=models.PROTECT, related_name="mediation_cases", verbose_name=_("center")
    )
    community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mediation_cases",
        verbose_name=_("community"),
    )
    dispute_type = models.CharField(_("type of dispute"), max_length=12, choices=DisputeType.choices)
    title = models.CharField(
        _("short title"),
        max_length=100,
        help_text=_("Without names, e.g. wage arrears at a garment workshop."),
    )
    description = models.TextField(_("what the dispute is about"), blank=True)
    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mediation_cases",
        verbose_name=_("mediator"),
        help_text=_("e.g. a 平安大姐 volunteer: sees this case and its parties."),
    )
    mediator_org = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mediation_cases",
        verbose_name=_("mediating organization"),
        help_text=_("e.g. 平安大姐工作室"),
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    agreement_summary = models.TextField(_("what was agreed"), blank=True)
    agreement_document = models.FileField(
        _("agreement document"),
        upload_to="mediation/agreements/%Y/",
        storage=private_storage,
        blank=True,
        help_text=_("PDF or photo of the signed agreement (kept private)."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
        db_index=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("mediation case")
        verbose_name_plural = _("mediation cases")
        ordering = ["-opened_on", "-id"]
        indexes = [models.Index(fields=["center", "opened_on"], name="delib_case_center_opened")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", outcome="", closed_on__isnull=True)
                | (Q(status="closed", closed_on__isnull=False) & ~Q(outcome="")),
                name="delib_case_outcome_iff_closed",
                violation_error_message=_(
                    "A closed case has an outcome and a closing date; an open case has neither."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def agreement_reached(self) -> bool:
        return self.outcome in (self.Outcome.AGREEMENT, self.Outcome.PARTIAL)


@governed(center="case__center", owner="case__mediator")
class MediationParty(models.Model):
    """A party to a dispute. Personal information: only the mediator and staff see it."""

    class Side(models.TextChoices):
        APPLICANT = "applicant", _("Applicant")
        RESPONDENT = "respondent", _("Respondent")
        OTHER = "other", _("Other party")

    case = models.ForeignKey(
        MediationCase, on_delete=models.CASCADE, related_name="parties", verbose_name=_("case")
    )
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    phone = models.CharField(_("mobile number"), max_length=11, blank=True, validators=[validate_mobile])
    note = models.CharField(
        pgettext_lazy("remark", "note"),
        max_length=200,
        blank=True,
        help_text=_("e.g. employer, tenant, upstairs neighbour"),
    )

    class Meta:
        verbose_name = _("party to a dispute")
        verbose_name_plural = _("parties to a dispute")
        ordering = ["case_id", "side", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_phone(self) -> str:
        return f"{self.phone[:3]}****{self.phone[-4:]}" if self.phone else ""


@governed(center="case__center", owner="case__mediator")
class MediationSession(models.Model):
    case = models.ForeignKey(
        MediationCase, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("case")
    )
    held_at = models.DateTimeField(_("held at"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    notes = models.TextField(pgettext_lazy("mediation", "notes"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
        db_index=False,
    )

    class Meta:
        verbose_name = _("mediation session")
        verbose_name_plural = _("mediation sessions")
        ordering = ["case_id", "held_at", "id"]

    def __str__(self) -> str:
        return f"{self.case} · {self.held_at:%Y-%m-%d}"


@governed(center="case__center", owner="case__mediator")
class FollowUpCall(models.Model):
    """A call after the agreement: is it being kept?"""

    class Kept(models.TextChoices):
        KEPT = "kept", _("Kept")
        PARTLY = "partly", _("Partly kept")
        BROKEN = "broken", _("Not kept")
        UNREACHABLE = "unreachable", _("Could not reach the parties")

    case = models.ForeignKey(
        MediationCase, on_delete=models.CASCADE, related_name="follow_up_calls", verbose_name=_("case")
    )
    called_on = models.DateField(_("called on"))
    kept = models.CharField(_("is the agreement kept?"), max_length=12, choices=Kept.choices)
    note = models.CharField(pgettext_lazy("remark", "note"), max_length=255, blank=True)
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("follow-up call", "called by"),
        db_index=False,
    )

    class Meta:
        verbose_name = _("follow-up call")
        verbose_name_plural = _("follow-up calls")
        ordering = ["case_id", "called_on", "id"]

    def __str__(self) -> str:
        return f"{self.case} · {self.called_on}"


__all__ = ["MediationCase", "MediationParty", "MediationSession", "FollowUpCall"]

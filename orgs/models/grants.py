"""Venture grants (公益创投): a call, proposals from organizations, review scores, the amount
granted and the progress of the funded project."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.access import NOBODY, governed
from core.models import Role, Street

from .registry import Organization

STREET_STAFF = frozenset({Role.STREET_STAFF})


# A call without a street is the district's: only district administrators manage it.
@governed(street="street", view=STREET_STAFF, add=STREET_STAFF, change=STREET_STAFF, delete=NOBODY)
class GrantCall(models.Model):
    title = models.CharField(_("title"), max_length=200)
    street = models.ForeignKey(
        Street,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grant_calls",
        verbose_name=_("street"),
        help_text=_("Empty for a district-wide call."),
    )
    description = models.TextField(_("description"), blank=True)
    budget = models.DecimalField(_("budget (yuan)"), max_digits=12, decimal_places=2)
    opens_on = models.DateField(_("proposals from"))
    closes_on = models.DateField(_("proposals until"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("venture-grant call")
        verbose_name_plural = _("venture-grant calls")
        ordering = ["-opens_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")), name="grant_call_closes_after_open"
            ),
            models.CheckConstraint(condition=Q(budget__gte=0), name="grant_call_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("orgs:grant_detail", kwargs={"pk": self.pk})


@governed(street="call__street", view=STREET_STAFF, add=STREET_STAFF, change=STREET_STAFF, delete=NOBODY)
class GrantProposal(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        FUNDED = "funded", _("Funded")
        DECLINED = "declined", _("Declined")
        COMPLETED = "completed", _("Completed")

    call = models.ForeignKey(
        GrantCall, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("call")
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="grant_proposals", verbose_name=_("organization")
    )
    title = models.CharField(_("project"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    requested_amount = models.DecimalField(_("requested (yuan)"), max_digits=12, decimal_places=2)
    granted_amount = models.DecimalField(
        _("granted (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("venture-grant proposal")
        verbose_name_plural = _("venture-grant proposals")
        ordering = ["call_id", "title"]
        constraints = [
            models.UniqueConstraint(fields=["call", "organization", "title"], name="proposal_unique_title"),
            models.CheckConstraint(condition=Q(requested_amount__gt=0), name="proposal_request_positive"),
            # Money is granted exactly when a proposal is funded (or its funded project is completed).
            models.CheckConstraint(
                condition=(
                    Q(status__in=["funded", "completed"], granted_amount__gt=0)
                    | Q(status__in=["submitted", "declined"], granted_amount__isnull=True)
                ),
                name="proposal_granted_iff_funded",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def latest_progress(self):
        """The last progress report (from prefetched rows when the selector prefetched them)."""
        reports = list(self.progress.all())
        return reports[-1] if reports else None


@governed(
    street="proposal__call__street",
    owner="reviewer",
    view=STREET_STAFF,
    add=STREET_STAFF,
    change=NOBODY,
    delete=NOBODY,
)
class ProposalReview(models.Model):
    proposal = models.ForeignKey(
        GrantProposal, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("proposal")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("reviewer")
    )
    score = models.PositiveSmallIntegerField(_("score (0–100)"))
    comment = models.TextField(_("comment"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["proposal_id", "reviewed_at"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "reviewer"], name="review_one_per_reviewer"),
            models.CheckConstraint(condition=Q(score__lte=100), name="review_score_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.proposal} · {self.score}"


@governed(
    street="proposal__call__street", view=STREET_STAFF, add=STREET_STAFF, change=STREET_STAFF, delete=NOBODY
)
class ProjectProgress(models.Model):
    """A progress report on a funded project."""

    proposal = models.ForeignKey(
        GrantProposal, on_delete=models.CASCADE, related_name="progress", verbose_name=_("project")
    )
    reported_on = models.DateField(_("reported on"))
    percent_done = models.PositiveSmallIntegerField(_("percent done"))
    note = models.TextField(_("what was done"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["proposal_id", "reported_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(percent_done__lte=100), name="progress_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.proposal} · {self.reported_on} · {self.percent_done}%"

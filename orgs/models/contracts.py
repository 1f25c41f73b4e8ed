"""Service contracts (政府购买服务): a street or community buys a center's operation from an organization,
with minimum service requirements as measurable targets."""

import datetime

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import ALL_STAFF, NOBODY, governed
from core.models import Center, Community, Role, Street

from .registry import Organization

STREET_STAFF = frozenset({Role.STREET_STAFF})


class Metric(models.TextChoices):
    """What a target measures. orgs.selectors.ACTUAL_FEEDS says where each actual comes from."""

    ACTIVITIES = "activities", _("Activities held")
    PARTICIPANTS = "participants", _("Activity attendances")
    HOME_VISITS = "home_visits", _("Home visits")
    VOLUNTEER_HOURS = "volunteer_hours", _("Verified volunteer hours")
    SERVICE_REQUESTS = "service_requests", _("Service requests completed")
    MEETINGS = "meetings", _("Deliberation meetings")


class Period(models.TextChoices):
    MONTH = "month", _("a month")
    QUARTER = "quarter", _("a quarter")
    YEAR = "year", _("a year")


@governed(center="centers", view=ALL_STAFF, add=STREET_STAFF, change=STREET_STAFF, delete=NOBODY)
class ServiceContract(models.Model):
    """A center's operator is the organization holding its active contract (orgs.selectors.get_operator)."""

    number = models.CharField(_("contract number"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    buyer_street = models.ForeignKey(
        Street, on_delete=models.PROTECT, related_name="service_contracts", verbose_name=_("buyer (street)")
    )
    buyer_community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_contracts",
        verbose_name=_("buyer (community)"),
        help_text=_("When a community, not the street office, buys the service."),
    )
    operator = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("operator")
    )
    centers = models.ManyToManyField(Center, related_name="service_contracts", verbose_name=_("centers run"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    terminated_on = models.DateField(
        _("terminated on"), null=True, blank=True, help_text=_("Only when ended before its term.")
    )
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("service contract")
        verbose_name_plural = _("service contracts")
        ordering = ["-starts_on", "number"]
        indexes = [models.Index(fields=["starts_on", "ends_on"], name="contract_period")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="contract_ends_after_start",
                violation_error_message=_("The contract cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="contract_amount_not_negative",
                violation_error_message=_("The amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(terminated_on__isnull=True)
                | (Q(terminated_on__gte=F("starts_on")) & Q(terminated_on__lte=F("ends_on"))),
                name="contract_terminated_within_term",
                violation_error_message=_("A contract is terminated within its term."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("orgs:contract_detail", kwargs={"pk": self.pk})

    @property
    def last_day(self) -> datetime.date:
        """The last day the contract is in force (the day before termination, or its end)."""
        if self.terminated_on:
            return self.terminated_on - datetime.timedelta(days=1)
        return self.ends_on

    def is_active_on(self, day: datetime.date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.starts_on <= day <= self.last_day

    @staticmethod
    def active_on_q(day: datetime.date, prefix: str = "") -> Q:
        """Contracts in force on ``day`` (``prefix`` for a lookup from another model)."""
        return Q(**{f"{prefix}starts_on__lte": day, f"{prefix}ends_on__gte": day}) & (
            Q(**{f"{prefix}terminated_on__isnull": True}) | Q(**{f"{prefix}terminated_on__gt": day})
        )


@governed(
    center="contract__centers", view=ALL_STAFF, add=STREET_STAFF, change=STREET_STAFF, delete=STREET_STAFF
)
class ContractTarget(models.Model):
    """A minimum service requirement: at least ``minimum`` of ``metric`` in every ``period``."""

    contract = models.ForeignKey(
        ServiceContract, on_delete=models.CASCADE, related_name="targets", verbose_name=_("contract")
    )
    metric = models.CharField(_("what"), max_length=20, choices=Metric.choices)
    period = models.CharField(_("per"), max_length=10, choices=Period.choices, default=Period.MONTH)
    minimum = models.DecimalField(_("at least"), max_digits=10, decimal_places=1)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets (minimum service requirements)")
        ordering = ["contract_id", "metric", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "metric", "period"], name="target_unique_metric_period"
            ),
            models.CheckConstraint(
                condition=Q(minimum__gt=0),
                name="target_minimum_positive",
                violation_error_message=_("A target must be above zero."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_metric_display()} ≥ {self.minimum:g} / {self.get_period_display()}"

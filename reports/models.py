"""Monthly reports: one stored, versioned result per scope (street, district, center) and month.

A report is computed by a Celery task (queued -> running -> published); the published row never
changes again (a database trigger refuses it, migration 0002). Regenerating makes a new version.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.access import NOBODY, governed
from core.models import Center, District, Role, Street

STREET_STAFF = frozenset({Role.STREET_STAFF})


@governed(
    street="street",
    view=STREET_STAFF,
    add=STREET_STAFF,
    change=NOBODY,
    delete=NOBODY,
    # Reports are computed, never edited by hand: not even the district may change or delete one.
    district_admin=frozenset({"view", "add"}),
)
class Report(models.Model):
    """One version of the monthly report of one scope; ``data`` holds the computed sections."""

    class Kind(models.TextChoices):
        STREET = "street", _("Street")
        DISTRICT = "district", _("District roll-up")
        CENTER = "center", _("Center")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being generated")
        PUBLISHED = "published", _("Ready")
        FAILED = "failed", _("Failed")

    class Trigger(models.TextChoices):
        WEB = "web", _("Requested on the web")
        SCHEDULE = "schedule", _("Monthly schedule")
        ADMIN = "admin", _("Administration")

    IN_PROGRESS = (Status.QUEUED, Status.RUNNING)

    kind = models.CharField(_("scope"), max_length=10, choices=Kind.choices)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="reports", verbose_name=_("district")
    )
    # Set for street and center reports: the street whose staff may read the report.
    street = models.ForeignKey(
        Street,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("street"),
    )
    center = models.ForeignKey(
        Center,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("center"),
    )
    # "street:12", "district:1", "center:40": one key for uniqueness (NULLs never collide in SQL).
    scope_key = models.CharField(_("scope key"), max_length=40, editable=False)
    period = models.DateField(_("month"), help_text=_("The first day of the month reported on."))
    version = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("current step"), max_length=100, blank=True)
    trigger = models.CharField(_("requested by way of"), max_length=10, choices=Trigger.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    # Renewed after each section while a worker computes the report: a silent run is taken over.
    heartbeat_at = models.DateTimeField(_("last sign of progress"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    data = models.JSONField(_("contents"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        ordering = ["-period", "scope_key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["scope_key", "period", "version"], name="report_unique_version"),
            # At most one version of a report is being generated at a time: two requests give one.
            models.UniqueConstraint(
                fields=["scope_key", "period"],
                condition=Q(status__in=["queued", "running"]),
                name="report_one_in_progress",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="district", street__isnull=True, center__isnull=True)
                    | Q(kind="street", street__isnull=False, center__isnull=True)
                    | Q(kind="center", street__isnull=False, center__isnull=False)
                ),
                name="report_scope_matches_kind",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_progress_percent"),
            models.CheckConstraint(condition=Q(version__gte=1), name="report_version_positive"),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="report_published_has_time",
            ),
        ]
        indexes = [models.Index(fields=["street", "-period"], name="report_street_period")]

    def __str__(self) -> str:
        return f"{self.scope_label} {self.period_label} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("reports:detail", kwargs={"pk": self.pk})

    @property
    def scope_label(self) -> str:
        if self.kind == self.Kind.CENTER:
            return self.center.name
        if self.kind == self.Kind.STREET:
            return self.street.name
        return self.district.name

    @property
    def period_label(self) -> str:
        return date_format(self.period, "YEAR_MONTH_FORMAT")

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def in_progress(self) -> bool:
        return self.status in self.IN_PROGRESS

    @property
    def sections(self) -> list[dict]:
        return list(self.data.get("sections", []))


@governed(
    owner="user",
    street="report__street",
    view=STREET_STAFF,
    add=NOBODY,
    change=NOBODY,
    delete=NOBODY,
    district_admin=frozenset({"view"}),
)
class ReportNotice(models.Model):
    """ "Your report is ready": one row per recipient, shown on /me/ (and texted when a mobile is known)."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="notices", verbose_name=_("report")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="report_notices",
        verbose_name=_("user"),
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    texted = models.BooleanField(_("text message sent"), default=False)

    class Meta:
        verbose_name = _("report notice")
        verbose_name_plural = _("report notices")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["report", "user"], name="report_notice_once")]

    def __str__(self) -> str:
        return f"{self.user} ← {self.report}"


@governed(
    street="center__street",
    view=STREET_STAFF,
    add=NOBODY,
    change=NOBODY,
    delete=NOBODY,
    district_admin=frozenset({"view"}),
)
class CenterMonthFigures(models.Model):
    """A few figures of one center for one month, counted in advance for the dashboard.

    Counted by reports.services.count_dashboard_figures: every half hour for the current month,
    once more after a month has ended, and from each published street or center report (so a
    month's figures agree with its report). ``counted_at`` is what the dashboard shows as "as of".
    A figure is NULL when the app it comes from cannot provide it.
    """

    center = models.ForeignKey(
        Center, on_delete=models.CASCADE, related_name="month_figures", verbose_name=_("center")
    )
    period = models.DateField(_("month"), help_text=_("The first day of the month counted."))
    counted_at = models.DateTimeField(_("counted at"))
    held = models.PositiveIntegerField(_("activities held"), null=True)
    attended = models.PositiveIntegerField(_("participants (attendances)"), null=True)
    residents = models.PositiveIntegerField(_("unique residents"), null=True)
    visits = models.PositiveIntegerField(_("visits made"), null=True)
    overdue = models.PositiveIntegerField(_("visits overdue"), null=True)
    requests_received = models.PositiveIntegerField(_("requests received"), null=True)
    requests_done = models.PositiveIntegerField(_("requests completed"), null=True)
    verified_hours = models.DecimalField(_("verified hours"), max_digits=12, decimal_places=2, null=True)

    class Meta:
        verbose_name = _("center figures of a month")
        verbose_name_plural = _("center figures of a month")
        ordering = ["-period", "center"]
        constraints = [
            models.UniqueConstraint(fields=["center", "period"], name="center_month_figures_once"),
        ]

    def __str__(self) -> str:
        return f"{self.center_id} {self.period:%Y-%m}"

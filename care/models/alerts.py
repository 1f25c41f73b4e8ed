"""In-app care notices."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.access import NOBODY, governed

from .recipients import NO_DISTRICT, Recipient
from .visits import Visit


@governed(
    owner="addressee", view=NOBODY, add=NOBODY, change=NOBODY, delete=NOBODY, district_admin=NO_DISTRICT
)
class Alert(models.Model):
    """An in-app notice: a visit falls due, an overdue visit is escalated, a crisis was logged.

    One due reminder per recipient per due date, one escalation per addressee per due date and
    one crisis notice per addressee per visit: the constraints make the daily task idempotent.
    """

    class Kind(models.TextChoices):
        DUE = "due", _("Visit due")
        ESCALATION = "escalation", _("Visit overdue (escalated)")
        CRISIS = "crisis", _("Crisis")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    addressee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="care_alerts", verbose_name=_("for")
    )
    recipient = models.ForeignKey(
        Recipient, on_delete=models.CASCADE, related_name="alerts", verbose_name=_("care recipient")
    )
    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, null=True, blank=True, related_name="alerts", verbose_name=_("visit")
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    days_overdue = models.PositiveSmallIntegerField(_("days overdue"), default=0)
    # Street staff get aggregates, never names (see services.escalation_addressees).
    names_recipient = models.BooleanField(default=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("care alert")
        verbose_name_plural = _("care alerts")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["addressee", "read_at"], name="care_alert_inbox")]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "due_on"],
                condition=Q(kind="due"),
                name="care_alert_one_reminder_per_due_date",
            ),
            models.UniqueConstraint(
                fields=["recipient", "due_on", "addressee"],
                condition=Q(kind="escalation"),
                name="care_alert_one_escalation_per_due_date",
            ),
            models.UniqueConstraint(
                fields=["visit", "addressee"], condition=Q(kind="crisis"), name="care_alert_one_crisis_notice"
            ),
            models.CheckConstraint(
                condition=Q(kind="crisis", visit__isnull=False)
                | Q(kind__in=["due", "escalation"], due_on__isnull=False),
                name="care_alert_kind_fields",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def subject(self) -> str:
        if self.names_recipient:
            return self.recipient.name
        return _("a care recipient of %(center)s (record #%(id)s)") % {
            "center": self.recipient.center.name,
            "id": self.recipient_id,
        }

    @property
    def text(self) -> str:
        if self.kind == self.Kind.CRISIS:
            return _("Crisis logged for %(who)s: please follow up now.") % {"who": self.subject}
        if self.kind == self.Kind.ESCALATION:
            return _("The visit to %(who)s is %(days)s days overdue (due %(due)s).") % {
                "who": self.subject,
                "days": self.days_overdue,
                "due": self.due_on,
            }
        return _("A visit to %(who)s is due by %(due)s.") % {"who": self.subject, "due": self.due_on}

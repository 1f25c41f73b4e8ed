"""Donations and supplies for emergencies: what came in and what went out, per center."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import ALL_STAFF, FIELD_WORKERS, NOBODY, governed
from core.models import Center


@governed(center="center", view=ALL_STAFF, add=FIELD_WORKERS, change=NOBODY, delete=NOBODY)
class SupplyEntry(models.Model):
    """One line of the supplies ledger; append-only. Stock of an item = received - distributed."""

    class Direction(models.TextChoices):
        RECEIVED = "received", _("Received")
        DISTRIBUTED = "distributed", _("Distributed")

    center = models.ForeignKey(
        Center, on_delete=models.PROTECT, related_name="supply_entries", verbose_name=_("center")
    )
    mobilisation = models.ForeignKey(
        "dispatch.Mobilisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supplies",
        verbose_name=_("for the emergency call"),
    )
    direction = models.CharField(_("direction"), max_length=12, choices=Direction.choices)
    item = models.CharField(_("item"), max_length=100, help_text=_("For example: masks, rice, donated money"))
    unit = models.CharField(_("unit"), max_length=20, help_text=_("For example: boxes, kg, yuan"))
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    party = models.CharField(
        _("donor or recipient"), max_length=100, blank=True, help_text=_("Who gave it, or who received it")
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("supplies entry")
        verbose_name_plural = _("donations and supplies")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["center", "item", "unit"], name="dispatch_supply_item")]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="dispatch_supply_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.item} {self.quantity}{self.unit}"

"""The community shop 匠心坊: its counters, items with stock and a point price, and redemptions."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.access import FIELD_WORKERS, NOBODY, governed
from core.models import Center

from .people import Volunteer


class Counter(models.TextChoices):
    DAILY = "daily", _("真心铺 · daily goods")
    GROUP = "group", _("倾心铺 · group purchase")
    DONATED = "donated", _("善心铺 · donated goods")
    POINTS = "points", _("爱心铺 · for points")


@governed(center="center", add=FIELD_WORKERS, delete=NOBODY)
class Shop(models.Model):
    center = models.ForeignKey(
        Center, on_delete=models.PROTECT, related_name="shops", verbose_name=_("center")
    )
    name = models.CharField(_("name"), max_length=100, default="匠心坊")
    place = models.CharField(_("where"), max_length=200, blank=True)
    opening_hours = models.CharField(_("pickup hours"), max_length=200, blank=True)
    keepers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="kept_shops",
        verbose_name=_("shop keepers"),
        help_text=_("People who hand out redeemed goods (they need no staff role)."),
    )
    is_active = models.BooleanField(_("open"), default=True)

    class Meta:
        verbose_name = _("community shop")
        verbose_name_plural = _("community shops")
        ordering = ["center__name", "name"]
        constraints = [models.UniqueConstraint(fields=["center", "name"], name="shop_unique_name_per_center")]

    def __str__(self) -> str:
        return f"{self.center} · {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("volunteers:shop_detail", kwargs={"pk": self.pk})


@governed(center="shop__center")
class ShopItem(models.Model):
    shop = models.ForeignKey(Shop, on_delete=models.PROTECT, related_name="items", verbose_name=_("shop"))
    counter = models.CharField(_("counter"), max_length=10, choices=Counter.choices)
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)
    unit = models.CharField(_("unit"), max_length=10, default="件")
    stock = models.IntegerField(_("in stock"), default=0, validators=[MinValueValidator(0)])
    point_price = models.PositiveIntegerField(
        _("price in points"), null=True, blank=True, help_text=_("Empty: cannot be redeemed for points.")
    )
    cash_price = models.DecimalField(
        _("price in yuan"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    donor = models.CharField(_("donor"), max_length=100, blank=True)
    available_until = models.DateField(_("available until"), null=True, blank=True)
    is_active = models.BooleanField(_("on the shelf"), default=True)

    class Meta:
        verbose_name = _("shop item")
        verbose_name_plural = _("shop items")
        ordering = ["counter", "name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(stock__gte=0), name="shop_item_stock_never_negative"),
            models.CheckConstraint(
                condition=Q(point_price__isnull=True) | Q(point_price__gt=0),
                name="shop_item_point_price_positive",
            ),
            models.CheckConstraint(
                condition=Q(cash_price__isnull=True) | Q(cash_price__gte=0),
                name="shop_item_cash_price_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["shop", "is_active", "counter"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_redeemable(self) -> bool:
        return self.is_active and self.point_price is not None


@governed(center="item__shop__center", owner="volunteer__user", add=NOBODY, delete=NOBODY)
class Redemption(models.Model):
    """Points exchanged for an item: stock is reserved and a one-time code is shown for pickup."""

    class Status(models.TextChoices):
        RESERVED = "reserved", _("Waiting for pickup")
        FULFILLED = "fulfilled", _("Picked up")
        CANCELLED = "cancelled", _("Cancelled")

    volunteer = models.ForeignKey(  # looked up through the (volunteer, status) index
        Volunteer,
        on_delete=models.PROTECT,
        related_name="redemptions",
        verbose_name=_("volunteer"),
        db_index=False,
    )
    item = models.ForeignKey(
        ShopItem, on_delete=models.PROTECT, related_name="redemptions", verbose_name=_("item")
    )
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)
    points = models.PositiveIntegerField(_("points"))
    code = models.CharField(_("pickup code"), max_length=12, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RESERVED)
    created_at = models.DateTimeField(_("redeemed at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("picked up or cancelled at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
        db_index=False,
    )

    class Meta:
        verbose_name = _("redemption")
        verbose_name_plural = _("redemptions")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="redemption_quantity_positive"),
            models.CheckConstraint(condition=Q(points__gt=0), name="redemption_points_positive"),
            models.CheckConstraint(
                condition=Q(status="reserved", closed_at__isnull=True)
                | (~Q(status="reserved") & Q(closed_at__isnull=False)),
                name="redemption_closed_has_a_date",
            ),
        ]
        indexes = [models.Index(fields=["volunteer", "status"])]

    def __str__(self) -> str:
        return f"{self.item} × {self.quantity} ({self.code})"


__all__ = ["Counter", "Redemption", "Shop", "ShopItem"]

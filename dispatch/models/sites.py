"""Where help comes from besides people: fixed collection sites and mobile service vehicles."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.access import ALL_STAFF, FIELD_WORKERS, governed
from core.models import Center, Community


@governed(center="center", view=ALL_STAFF, add=FIELD_WORKERS, change=FIELD_WORKERS)
class CollectionSite(models.Model):
    """A fixed place where residents' requests are gathered (诉求采集站点) and service is given."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    center = models.ForeignKey(
        Center, on_delete=models.PROTECT, related_name="collection_sites", verbose_name=_("center")
    )
    communities = models.ManyToManyField(
        Community, blank=True, related_name="collection_sites", verbose_name=_("communities covered")
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=100, blank=True)
    phone = models.CharField(_("telephone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("collection site")
        verbose_name_plural = _("collection sites")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


@governed(center="center", view=ALL_STAFF, add=FIELD_WORKERS, change=FIELD_WORKERS)
class ServiceVehicle(models.Model):
    """A mobile service vehicle (流动服务车) that a center sends out on request."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    plate = models.CharField(_("number plate"), max_length=20, blank=True)
    center = models.ForeignKey(
        Center, on_delete=models.PROTECT, related_name="service_vehicles", verbose_name=_("center")
    )
    communities = models.ManyToManyField(
        Community, blank=True, related_name="service_vehicles", verbose_name=_("communities on its route")
    )
    services = models.CharField(_("services on board"), max_length=255, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service vehicle")
        verbose_name_plural = _("service vehicles")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

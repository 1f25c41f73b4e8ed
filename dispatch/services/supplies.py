"""Donations and supplies: recorded as received and as distributed; stock never goes negative."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.models import Center, User

from .. import selectors
from ..models import SupplyEntry


def plain_number(value: Decimal) -> str:
    """40.00 -> "40", 2.50 -> "2.5" (never the scientific 4E+1 of Decimal.normalize)."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


@transaction.atomic
def record_supplies(
    *,
    center: Center,
    direction: str,
    item: str,
    unit: str,
    quantity: Decimal,
    recorded_by: User,
    party: str = "",
    note: str = "",
    mobilisation=None,
) -> SupplyEntry:
    """Append one line to a center's supplies ledger.

    Distributing more than is in stock is refused; the center row is locked so that two
    people handing out the last boxes at once cannot both succeed.
    """
    Center.objects.select_for_update().get(pk=center.pk)
    item, unit = item.strip(), unit.strip()
    if direction == SupplyEntry.Direction.DISTRIBUTED:
        stock = selectors.supply_stock(center=center, item=item, unit=unit)
        if quantity > stock:
            raise ValidationError(
                {
                    "quantity": _("Only %(stock)s %(unit)s of %(item)s are in stock.")
                    % {"stock": plain_number(stock), "unit": unit, "item": item}
                }
            )
    entry = SupplyEntry(
        center=center,
        direction=direction,
        item=item,
        unit=unit,
        quantity=quantity,
        party=party.strip(),
        note=note.strip(),
        recorded_by=recorded_by,
    )
    if mobilisation is not None:
        entry.mobilisation = mobilisation
    entry.full_clean()
    entry.save()
    return entry

"""Redeeming points in the community shop, cancelling, and handing goods out at pickup."""

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core import access
from core.models import User
from core.tasks import send_sms_task

from ..models import LedgerEntry, Redemption, Shop, ShopItem, Volunteer
from .points import append_entry, lock_account

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread at the counter
CODE_LENGTH = 8
MAX_QUANTITY = 10


def new_pickup_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(code: str) -> str:
    return "".join((code or "").split()).upper().replace("-", "")


@transaction.atomic
def redeem_item(
    *, volunteer: Volunteer, item: ShopItem, quantity: int = 1, notify: bool = True
) -> Redemption:
    """Exchange points for ``quantity`` of ``item``: the points are debited, the stock is reserved,
    and a one-time pickup code is returned (and sent by text message).

    All or nothing: when the balance or the stock is short, nothing changes and the error says which.
    Locks the points account first, then the item, always in that order (no deadlocks); the
    database's checks on balance and stock hold even if a caller skipped the locks.
    """
    if not 1 <= quantity <= MAX_QUANTITY:
        raise ValidationError({"quantity": _("Choose a quantity from 1 to %(max)s.") % {"max": MAX_QUANTITY}})
    if not volunteer.is_active:
        raise ValidationError(_("Your volunteer registration is not active."))
    account = lock_account(volunteer=volunteer)
    item = ShopItem.objects.select_for_update(of=("self",)).select_related("shop").get(pk=item.pk)
    if not item.is_redeemable or not item.shop.is_active:
        raise ValidationError(_("%(item)s cannot be redeemed for points.") % {"item": item.name})
    cost = item.point_price * quantity
    if cost > account.balance:
        raise ValidationError(
            _(
                "Not enough points: %(item)s × %(quantity)s needs %(cost)s points, "
                "and your balance is %(balance)s points. Nothing was redeemed."
            )
            % {"item": item.name, "quantity": quantity, "cost": cost, "balance": account.balance},
            code="insufficient_points",
        )
    if item.stock < quantity:
        raise ValidationError(
            _("Only %(stock)s left of %(item)s. Nothing was redeemed.")
            % {"stock": item.stock, "item": item.name},
            code="out_of_stock",
        )
    ShopItem.objects.filter(pk=item.pk).update(stock=F("stock") - quantity)
    redemption = None
    for _attempt in range(5):
        try:
            with transaction.atomic():
                redemption = Redemption.objects.create(
                    volunteer=volunteer, item=item, quantity=quantity, points=cost, code=new_pickup_code()
                )
            break
        except IntegrityError:  # a code collision (about one in 10^12): draw another
            continue
    if redemption is None:
        raise ValidationError(_("Could not make a pickup code; please try again."))
    append_entry(account=account, kind=LedgerEntry.Kind.REDEEM, amount=-cost, redemption=redemption)
    phone = volunteer.user.phone if notify else None
    if phone:
        body = _(
            "Happy Neighborhood: you redeemed %(item)s × %(quantity)s. Pickup code %(code)s at %(shop)s."
        ) % {
            "item": item.name,
            "quantity": quantity,
            "code": redemption.code,
            "shop": item.shop.name,
        }
        send_sms_task.delay_on_commit(phone, body)
    return redemption


@transaction.atomic
def cancel_redemption(*, redemption: Redemption, by: User) -> Redemption:
    """Cancel a redemption not yet picked up: the points and the stock come back. Idempotent."""
    if redemption.volunteer.user_id != by.pk and not access.can(by, "change", redemption):
        raise PermissionDenied(_("This redemption is not yours."))
    account = lock_account(volunteer=redemption.volunteer)
    redemption = Redemption.objects.select_for_update().get(pk=redemption.pk)
    if redemption.status == Redemption.Status.CANCELLED:
        return redemption
    if redemption.status != Redemption.Status.RESERVED:
        raise ValidationError(_("This item has been picked up already; it cannot be cancelled."))
    ShopItem.objects.filter(pk=redemption.item_id).update(stock=F("stock") + redemption.quantity)
    redemption.status = Redemption.Status.CANCELLED
    redemption.closed_at = timezone.now()
    redemption.closed_by = by
    redemption.save(update_fields=["status", "closed_at", "closed_by"])
    append_entry(
        account=account, kind=LedgerEntry.Kind.REFUND, amount=redemption.points, redemption=redemption, by=by
    )
    return redemption


def may_keep(*, user: User, shop: Shop) -> bool:
    """Shop keepers of ``shop`` and field staff of its center hand out goods."""
    if not getattr(user, "is_authenticated", False):
        return False
    return shop.keepers.filter(pk=user.pk).exists() or access.can(user, "change", shop)


@transaction.atomic
def fulfil_redemption(*, shop: Shop, code: str, by: User) -> Redemption:
    """Hand the goods over against the pickup code. A code works once."""
    if not may_keep(user=by, shop=shop):
        raise PermissionDenied(_("Only the shop's keepers hand out goods."))
    redemption = (
        Redemption.objects.select_for_update(of=("self",))
        .select_related("item", "volunteer__user")
        .filter(code=normalize_code(code), item__shop=shop)
        .first()
    )
    if redemption is None:
        raise ValidationError({"code": _("No redemption of this shop has that code.")})
    if redemption.status == Redemption.Status.FULFILLED:
        raise ValidationError(
            {
                "code": _("This code was used on %(when)s.")
                % {"when": timezone.localtime(redemption.closed_at).strftime("%Y-%m-%d %H:%M")}
            }
        )
    if redemption.status == Redemption.Status.CANCELLED:
        raise ValidationError({"code": _("This redemption was cancelled.")})
    redemption.status = Redemption.Status.FULFILLED
    redemption.closed_at = timezone.now()
    redemption.closed_by = by
    redemption.save(update_fields=["status", "closed_at", "closed_by"])
    return redemption


@transaction.atomic
def restock_item(*, item: ShopItem, quantity: int) -> ShopItem:
    """Add (or, negative, remove) stock without overwriting concurrent redemptions."""
    item = ShopItem.objects.select_for_update().get(pk=item.pk)
    if item.stock + quantity < 0:
        raise ValidationError({"add_stock": _("Only %(stock)s in stock.") % {"stock": item.stock}})
    ShopItem.objects.filter(pk=item.pk).update(stock=F("stock") + quantity)
    item.refresh_from_db(fields=["stock"])
    return item

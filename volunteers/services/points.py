"""Writes to the points ledger. Every one locks the volunteer's account row first.

See ``volunteers.models.points`` for the design: a stored running balance with a
``CHECK (balance >= 0)``, changed only here, under ``SELECT ... FOR UPDATE`` of the account,
together with an appended entry; so the balance always equals the sum of the ledger.
"""

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import User

from ..models import CategoryWeight, HourRecord, LedgerEntry, PointAccount, PointRule, Redemption, Volunteer

DEFAULT_POINTS_PER_HOUR = 10


def lock_account(*, volunteer: Volunteer) -> PointAccount:
    """The volunteer's account, locked until the end of the caller's transaction."""
    account = PointAccount.objects.select_for_update().filter(volunteer=volunteer).first()
    if account is None:
        PointAccount.objects.get_or_create(volunteer=volunteer)
        account = PointAccount.objects.select_for_update().get(volunteer=volunteer)
    return account


def append_entry(
    *,
    account: PointAccount,
    kind: str,
    amount: int,
    by: User | None = None,
    hour_record: HourRecord | None = None,
    redemption: Redemption | None = None,
    reason: str = "",
    expires_at: datetime | None = None,
) -> LedgerEntry:
    """Append one entry to a *locked* account and move its balance; refuses to go below zero."""
    new_balance = account.balance + amount
    if new_balance < 0:
        raise ValidationError(
            _("Not enough points: this needs %(needed)s points and the balance is %(balance)s.")
            % {"needed": -amount, "balance": account.balance},
            code="insufficient_points",
        )
    entry = LedgerEntry(
        account=account,
        kind=kind,
        amount=amount,
        balance_after=new_balance,
        hour_record=hour_record,
        redemption=redemption,
        reason=reason,
        expires_at=expires_at,
        created_by=by if by is not None and by.is_authenticated else None,
    )
    entry.full_clean(validate_constraints=False)  # the database checks them; the queries would only cost time
    entry.save()
    account.balance = new_balance
    account.save(update_fields=["balance", "updated_at"])
    return entry


def active_rule() -> PointRule:
    """The active rule set; an unsaved default (10 points an hour, no cap, no expiry) when none is."""
    return PointRule.objects.filter(is_active=True).first() or PointRule(
        name="default", points_per_hour=DEFAULT_POINTS_PER_HOUR
    )


def weight_for(*, rule: PointRule, category: str) -> Decimal:
    if rule.pk is None:
        return Decimal(1)
    weight = (
        CategoryWeight.objects.filter(rule=rule, category=category).values_list("weight", flat=True).first()
    )
    return Decimal(1) if weight is None else weight


def _earned_for_same_activity(*, record: HourRecord) -> int:
    """Points the volunteer already earned for the activity (or, without one, the duty) of ``record``."""
    duty = record.duty
    if duty is None:
        return 0
    activity_id = getattr(duty, "activity_id", None)
    same = Q(hour_record__duty__activity_id=activity_id) if activity_id else Q(hour_record__duty_id=duty.pk)
    total = (
        LedgerEntry.objects.filter(
            same, account__volunteer_id=record.volunteer_id, kind=LedgerEntry.Kind.EARN
        )
        .aggregate(total=Sum("amount"))
        .get("total")
    )
    return total or 0


def points_for(*, record: HourRecord, rule: PointRule) -> int:
    """Hours × points per hour × the category's weight, rounded, within the cap per activity."""
    raw = record.hours * rule.points_per_hour * weight_for(rule=rule, category=record.category)
    points = int(raw.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if rule.cap_per_activity is not None and record.duty_id:
        points = min(points, max(0, rule.cap_per_activity - _earned_for_same_activity(record=record)))
    return max(points, 0)


@transaction.atomic
def award_points(*, record: HourRecord, by: User | None = None) -> LedgerEntry | None:
    """Credit the points for one verified hour record. Idempotent: a second call returns the first entry.

    Returns None when the record earns nothing (a zero weight, or the activity's cap is reached).
    """
    if record.status != HourRecord.Status.VERIFIED:
        raise ValidationError(_("Only verified hours earn points."))
    account = lock_account(volunteer=record.volunteer)
    existing = LedgerEntry.objects.filter(hour_record=record, kind=LedgerEntry.Kind.EARN).first()
    if existing is not None:
        return existing
    rule = active_rule()
    points = points_for(record=record, rule=rule)
    if points <= 0:
        return None
    expires_at = timezone.now() + relativedelta(years=rule.expiry_years) if rule.expiry_years else None
    return append_entry(
        account=account,
        kind=LedgerEntry.Kind.EARN,
        amount=points,
        hour_record=record,
        expires_at=expires_at,
        by=by,
    )


@transaction.atomic
def adjust_points(*, volunteer: Volunteer, amount: int, reason: str, by: User | None) -> LedgerEntry:
    """A staff correction, positive or negative, which must say why; never takes the balance below zero."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the points are adjusted.")})
    if not amount:
        raise ValidationError({"amount": _("Enter a number of points other than zero.")})
    account = lock_account(volunteer=volunteer)
    return append_entry(account=account, kind=LedgerEntry.Kind.ADJUST, amount=amount, reason=reason, by=by)


@transaction.atomic
def expire_points(*, volunteer: Volunteer, now: datetime | None = None) -> LedgerEntry | None:
    """Expire earned points past their date that were not spent; the oldest points are spent first.

    Idempotent: what already expired is subtracted, so a second run finds nothing due.
    """
    now = now or timezone.now()
    account = lock_account(volunteer=volunteer)
    Kind = LedgerEntry.Kind
    sums = account.entries.aggregate(
        expired_earnings=Sum("amount", filter=Q(kind=Kind.EARN, expires_at__lte=now)),
        spent=Sum("amount", filter=Q(kind__in=[Kind.REDEEM, Kind.ADJUST], amount__lt=0)),
        refunded=Sum("amount", filter=Q(kind=Kind.REFUND)),
        expired=Sum("amount", filter=Q(kind=Kind.EXPIRE)),
    )
    spent = -(sums["spent"] or 0) - (sums["refunded"] or 0)
    due = (sums["expired_earnings"] or 0) - max(spent, 0) + (sums["expired"] or 0)
    due = min(due, account.balance)
    if due <= 0:
        return None
    return append_entry(
        account=account,
        kind=Kind.EXPIRE,
        amount=-due,
        reason=_("Points older than the rules allow expired."),
    )

"""The points ledger: configurable rules, one account per volunteer, append-only entries.

Design (why the balance can never go below zero, even under concurrent redemptions):

* ``PointAccount`` holds a stored running balance with ``CHECK (balance >= 0)``.
* Every write to the ledger happens in ``volunteers.services.points`` inside one transaction
  that first locks the volunteer's account row (``SELECT ... FOR UPDATE``), so writes for one
  volunteer are serialised; it computes the new balance, refuses a negative one with a clear
  message, appends a ``LedgerEntry`` carrying ``balance_after`` and saves the account.
* The database checks ``balance >= 0`` and ``balance_after >= 0`` again, so a code path that
  forgot the lock would fail with an integrity error instead of overspending.
* Hence: balance == sum(entries.amount) == the latest entry's ``balance_after``.
* Entries are never updated or deleted (a database trigger refuses, so does the queryset, and
  the admin is read-only);
  corrections are new ``adjust`` entries with a reason. Earning is idempotent: at most one
  ``earn`` entry per hour record, and at most one debit and one refund per redemption
  (unique constraints).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.access import NOBODY, governed
from core.models import Role

from .hours import HourRecord
from .people import Volunteer

MANAGERS = frozenset({Role.CENTER_MANAGER})


@governed(view=NOBODY, add=NOBODY, change=NOBODY, delete=NOBODY)
class PointRule(models.Model):
    """How verified hours turn into points. Exactly one rule set is active at a time."""

    name = models.CharField(_("name"), max_length=100)
    points_per_hour = models.PositiveIntegerField(_("points per verified hour"), default=10)
    cap_per_activity = models.PositiveIntegerField(
        _("cap per activity"),
        null=True,
        blank=True,
        help_text=_("Most points one volunteer can earn from one activity (or one duty); empty for no cap."),
    )
    expiry_years = models.PositiveSmallIntegerField(
        _("points expire after (years)"), null=True, blank=True, help_text=_("Empty: points never expire.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("points rule")
        verbose_name_plural = _("points rules")
        ordering = ["-is_active", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="point_rule_one_active"
            ),
        ]

    def __str__(self) -> str:
        return self.name


@governed(view=NOBODY, add=NOBODY, change=NOBODY, delete=NOBODY)
class CategoryWeight(models.Model):
    """A multiplier for one kind of service (an activity category or a duty category)."""

    rule = models.ForeignKey(
        PointRule, on_delete=models.CASCADE, related_name="weights", verbose_name=_("rule")
    )
    category = models.CharField(_("category"), max_length=40)
    weight = models.DecimalField(
        _("weight"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(0)],
    )

    class Meta:
        verbose_name = _("category weight")
        verbose_name_plural = _("category weights")
        ordering = ["category"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "category"], name="category_weight_unique"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="category_weight_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.category} × {self.weight}"


@governed(center="volunteer__center", owner="volunteer__user", add=NOBODY, change=NOBODY, delete=NOBODY)
class PointAccount(models.Model):
    """One per volunteer: the row that is locked for every ledger write, with the running balance."""

    volunteer = models.OneToOneField(
        Volunteer, on_delete=models.PROTECT, related_name="point_account", verbose_name=_("volunteer")
    )
    balance = models.IntegerField(_("balance"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("points account")
        verbose_name_plural = _("points accounts")
        ordering = ["-balance", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(balance__gte=0), name="point_account_never_negative")
        ]

    def __str__(self) -> str:
        return f"{self.volunteer}: {self.balance}"


class AppendOnlyQuerySet(models.QuerySet):
    """The ledger is append-only: bulk updates and deletes are refused outright."""

    def update(self, **kwargs):
        raise TypeError("The points ledger is append-only: add an adjustment instead of updating.")

    def delete(self):
        raise TypeError("The points ledger is append-only: add an adjustment instead of deleting.")


@governed(
    center="account__volunteer__center",
    owner="account__volunteer__user",
    add=MANAGERS,
    change=NOBODY,
    delete=NOBODY,
)
class LedgerEntry(models.Model):
    class Kind(models.TextChoices):
        EARN = "earn", _("Earned for verified hours")
        REDEEM = "redeem", _("Redeemed in the shop")
        REFUND = "refund", _("Returned (redemption cancelled)")
        ADJUST = "adjust", _("Adjusted by staff")
        EXPIRE = "expire", _("Expired")

    # Lookups by account use the (account, kind, expires_at) index; by hour record or redemption,
    # the partial unique indexes below: plain foreign-key indexes would only slow the inserts.
    account = models.ForeignKey(
        PointAccount,
        on_delete=models.PROTECT,
        related_name="entries",
        verbose_name=_("account"),
        db_index=False,
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    amount = models.IntegerField(_("points"))
    balance_after = models.IntegerField(_("balance after"))
    hour_record = models.ForeignKey(
        HourRecord,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
        verbose_name=_("hour record"),
        db_index=False,
    )
    redemption = models.ForeignKey(
        "volunteers.Redemption",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
        verbose_name=_("redemption"),
        db_index=False,
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    created_by = models.ForeignKey(  # PROTECT: SET_NULL would update entries, which the database refuses
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
        db_index=False,
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("points ledger entry")
        verbose_name_plural = _("points ledger")
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="ledger_amount_not_zero"),
            models.CheckConstraint(condition=Q(balance_after__gte=0), name="ledger_balance_never_negative"),
            models.CheckConstraint(
                name="ledger_kind_matches_amount_and_source",
                condition=(
                    Q(kind="earn", amount__gt=0, hour_record__isnull=False, redemption__isnull=True)
                    | Q(kind="redeem", amount__lt=0, redemption__isnull=False, hour_record__isnull=True)
                    | Q(kind="refund", amount__gt=0, redemption__isnull=False, hour_record__isnull=True)
                    | (Q(kind="adjust", hour_record__isnull=True, redemption__isnull=True) & ~Q(reason=""))
                    | Q(kind="expire", amount__lt=0, hour_record__isnull=True, redemption__isnull=True)
                ),
            ),
            # Earning is idempotent: one entry per verified hour record.
            models.UniqueConstraint(
                fields=["hour_record"], condition=Q(kind="earn"), name="ledger_one_earn_per_hour_record"
            ),
            # A redemption is paid once and refunded at most once.
            models.UniqueConstraint(
                fields=["redemption", "kind"],
                condition=Q(redemption__isnull=False),
                name="ledger_one_entry_per_redemption_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["account", "kind", "expires_at"]),
            models.Index(fields=["created_at"], name="ledger_created_at"),  # monthly reports
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount:+d}"


__all__ = ["AppendOnlyQuerySet", "CategoryWeight", "LedgerEntry", "PointAccount", "PointRule"]

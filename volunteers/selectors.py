"""Reads of the volunteers app, with the joins their pages need and public/own visibility applied."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import CharField, Count, DecimalField, F, OuterRef, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import TruncDate
from django.utils import timezone

from core.expressions import count_of, sum_of
from core.models import Center, User

from .models import (
    Certificate,
    Counter,
    Duty,
    DutySignup,
    Honour,
    HourRecord,
    LedgerEntry,
    Membership,
    PointAccount,
    Redemption,
    Shop,
    ShopItem,
    Team,
    Volunteer,
)

APPROVED = Membership.Status.APPROVED


def get_volunteer(user: User) -> Volunteer | None:
    """The signed-in user's volunteer profile with its account, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Volunteer.objects.select_related("center", "point_account", "user").filter(user=user).first()


def list_teams(*, center: Center | None = None) -> QuerySet[Team]:
    """Public list of teams with their center, leader and number of members."""
    teams = (
        Team.objects.select_related("center", "leader")
        .order_by("center__name", "name", "pk")
        .annotate(member_count=Count("memberships", filter=Q(memberships__status=APPROVED)))
    )
    return teams.filter(center=center) if center is not None else teams


def open_duties() -> QuerySet[Duty]:
    """Duties still open for sign-up and not over, soonest first, with the places taken."""
    return (
        Duty.objects.filter(status=Duty.Status.OPEN, ends_at__gt=timezone.now())
        .select_related("center", "team")
        .annotate(taken=Count("signups", filter=~Q(signups__status=DutySignup.Status.CANCELLED)))
        .order_by("starts_at", "pk")
    )


def get_duty(pk: int) -> Duty:
    return (
        Duty.objects.select_related("center", "team__leader", "activity")
        .annotate(taken=Count("signups", filter=~Q(signups__status=DutySignup.Status.CANCELLED)))
        .get(pk=pk)
    )


def list_recent_honours(*, limit: int = 6) -> QuerySet[Honour]:
    return Honour.objects.select_related("center", "team", "volunteer__user")[:limit]


def is_member(*, volunteer: Volunteer | None, team: Team) -> bool:
    if volunteer is None:
        return False
    return Membership.objects.filter(team=team, volunteer=volunteer, status=APPROVED).exists()


def membership_of(*, volunteer: Volunteer | None, team: Team) -> Membership | None:
    if volunteer is None:
        return None
    return Membership.objects.filter(team=team, volunteer=volunteer).first()


def signup_of(*, volunteer: Volunteer | None, duty: Duty) -> DutySignup | None:
    if volunteer is None:
        return None
    return DutySignup.objects.filter(duty=duty, volunteer=volunteer).select_related("hour_record").first()


def approved_teams(*, volunteer: Volunteer) -> QuerySet[Team]:
    return Team.objects.filter(memberships__volunteer=volunteer, memberships__status=APPROVED).select_related(
        "center"
    )


@dataclass
class VolunteerSummary:
    verified_hours: Decimal
    verified_count: int
    pending_count: int
    balance: int


def get_volunteer_with_summary(user: User) -> Volunteer | None:
    """``get_volunteer`` with the hour figures of ``summarize`` annotated: one query for both."""
    if not getattr(user, "is_authenticated", False):
        return None
    records = HourRecord.objects.filter(volunteer=OuterRef("pk"))
    verified = records.filter(status=HourRecord.Status.VERIFIED)
    return (
        Volunteer.objects.select_related("center", "point_account")
        .annotate(
            verified_hours=sum_of(verified, "hours", "volunteer"),
            verified_count=count_of(verified),
            pending_count=count_of(records.filter(status=HourRecord.Status.PENDING)),
        )
        .filter(user=user)
        .first()
    )


def summarize(*, volunteer: Volunteer) -> VolunteerSummary:
    """Verified hours and the points balance: the account's running balance, which the ledger's
    services keep equal to the sum of its entries (see ``ledger_total``). No query when the
    volunteer comes from ``get_volunteer_with_summary``, one when it comes from ``get_volunteer``."""
    if hasattr(volunteer, "verified_count"):
        hours = {
            name: getattr(volunteer, name) for name in ("verified_hours", "verified_count", "pending_count")
        }
    else:
        hours = HourRecord.objects.filter(volunteer=volunteer).aggregate(
            verified_hours=Sum("hours", filter=Q(status=HourRecord.Status.VERIFIED)),
            verified_count=Count("pk", filter=Q(status=HourRecord.Status.VERIFIED)),
            pending_count=Count("pk", filter=Q(status=HourRecord.Status.PENDING)),
        )
    account = getattr(volunteer, "point_account", None)
    return VolunteerSummary(
        verified_hours=hours["verified_hours"] or Decimal(0),
        verified_count=hours["verified_count"],
        pending_count=hours["pending_count"],
        balance=account.balance if account is not None else 0,
    )


def ledger_total(*, volunteer: Volunteer) -> int:
    """The sum of the volunteer's ledger entries (always equal to the account's balance)."""
    return (
        LedgerEntry.objects.filter(account__volunteer=volunteer).aggregate(total=Sum("amount"))["total"] or 0
    )


def balance_of(*, volunteer: Volunteer) -> int:
    return PointAccount.objects.filter(volunteer=volunteer).values_list("balance", flat=True).first() or 0


def my_memberships(*, volunteer: Volunteer) -> QuerySet[Membership]:
    return volunteer.memberships.select_related("team__center").exclude(status=Membership.Status.LEFT)


def my_upcoming_signups(*, volunteer: Volunteer, limit: int = 10) -> QuerySet[DutySignup]:
    return (
        volunteer.duty_signups.filter(duty__ends_at__gt=timezone.now())
        .exclude(status__in=[DutySignup.Status.CANCELLED, DutySignup.Status.CHECKED_OUT])
        .select_related("duty__center", "duty__team")
        .order_by("duty__starts_at")[:limit]
    )


def my_hour_records(*, volunteer: Volunteer, limit: int = 10) -> QuerySet[HourRecord]:
    return volunteer.hour_records.select_related("team", "duty", "center")[:limit]


def my_redemptions(*, volunteer: Volunteer, limit: int = 20) -> QuerySet[Redemption]:
    return volunteer.redemptions.select_related("item__shop__center")[:limit]


def my_ledger(*, volunteer: Volunteer, limit: int = 10) -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.filter(account__volunteer=volunteer).select_related("redemption__item")[:limit]


def my_honours(*, volunteer: Volunteer) -> QuerySet[Honour]:
    teams = volunteer.memberships.filter(status=APPROVED).values("team_id")
    return Honour.objects.filter(Q(volunteer=volunteer) | Q(team_id__in=teams)).select_related(
        "team", "center"
    )


def my_certificates(*, volunteer: Volunteer, limit: int = 5) -> QuerySet[Certificate]:
    return volunteer.certificates.all()[:limit]


def my_honours_and_certificates(*, volunteer: Volunteer, limit: int = 20) -> list[dict]:
    """Honours (the volunteer's and their teams') and certificates, newest first, in one query:
    dicts with ``kind`` ("honour" or "certificate"), ``title``, ``team``, ``hours``, ``number``, ``on``."""
    text, hours = CharField(), DecimalField(max_digits=9, decimal_places=2)
    honours = my_honours(volunteer=volunteer).annotate(
        kind=Value("honour", output_field=text),
        team_name=F("team__name"),
        hours_=Value(None, output_field=hours),
        number_=Value(None, output_field=text),
        on=F("awarded_on"),
    )
    certificates = volunteer.certificates.annotate(
        kind=Value("certificate", output_field=text),
        title_=Value(None, output_field=text),
        team_name=Value(None, output_field=text),
        on=TruncDate("issued_at"),
    )
    columns = ("kind", "title", "team_name", "hours", "number", "on")
    rows = (
        honours.order_by()
        .values_list("kind", "title", "team_name", "hours_", "number_", "on")
        .union(
            certificates.order_by().values_list("kind", "title_", "team_name", "hours", "number", "on"),
            all=True,
        )
        .order_by("-on", "kind")[:limit]
    )
    return [dict(zip(columns, row, strict=True)) for row in rows]


def list_shops() -> QuerySet[Shop]:
    return (
        Shop.objects.filter(is_active=True)
        .select_related("center")
        .order_by("center__name", "name", "pk")
        .annotate(item_count=Count("items", filter=Q(items__is_active=True)))
    )


def get_shop(pk: int) -> Shop:
    items = ShopItem.objects.filter(is_active=True).order_by("counter", "name", "pk")
    return (
        Shop.objects.filter(is_active=True)
        .select_related("center")
        .prefetch_related(Prefetch("items", queryset=items, to_attr="shelf"))
        .get(pk=pk)
    )


def counters_of(shop: Shop) -> list[tuple[str, str, list[ShopItem]]]:
    """The shop's four counters in order, each with its items (from ``get_shop``'s prefetch)."""
    by_counter: dict[str, list[ShopItem]] = {code: [] for code in Counter.values}
    for item in shop.shelf:
        by_counter[item.counter].append(item)
    return [(code, label, by_counter[code]) for code, label in Counter.choices]


def get_certificate(number: str) -> Certificate:
    return Certificate.objects.select_related("volunteer__user", "issuer__street").get(number=number)


def waiting_pickups(*, shop: Shop) -> QuerySet[ShopItem]:
    """Items of ``shop`` with redemptions waiting for pickup, and how many (codes stay secret)."""
    return (
        ShopItem.objects.filter(shop=shop, redemptions__status=Redemption.Status.RESERVED)
        .annotate(waiting=Sum("redemptions__quantity"))
        .order_by("counter", "name")
    )

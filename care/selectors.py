"""Reads for care. Rows go only to the recipient's own social workers and managers;
street staff and the district get aggregates (counts per center), never a person."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from core import access
from core.models import Center, Role, User
from core.timeline import TimelineEntry

from .models import Alert, Consent, Recipient, Referral, RiskTier, Visit

FIELD_WORKERS = access.FIELD_WORKERS


# ------------------------------------------------------------------ rows (need-to-know)
def visible_recipients(user, action: str = "view") -> QuerySet[Recipient]:
    return access.scope(user, Recipient.objects.all(), action)


def get_recipient(user, pk: int) -> Recipient:
    """The recipient if ``user`` may see it; 404 otherwise (never says that it exists)."""
    recipient = (
        visible_recipients(user).select_related("center", "social_worker", "volunteer").filter(pk=pk).first()
    )
    if recipient is None:
        raise Http404
    return recipient


def with_consent_state(queryset: QuerySet[Recipient]) -> QuerySet[Recipient]:
    """``consent_scope`` on each row: the widest scope of a consent in force ("sensitive" sorts
    after "care"), or None. One subquery a row, answered from the partial index of consents in
    force; two EXISTS made PostgreSQL hash every consent of the district instead."""
    widest = (
        Consent.objects.filter(recipient=OuterRef("pk"), withdrawn_on__isnull=True)
        .order_by("-scope")
        .values("scope")[:1]
    )
    return queryset.annotate(consent_scope=Subquery(widest))


def social_workers_for(user) -> QuerySet[User]:
    """Social workers and managers of the centers ``user`` works in (to assign a recipient)."""
    centers = access.visible_centers(user, FIELD_WORKERS)
    return (
        User.objects.filter(roles__role__in=list(FIELD_WORKERS), roles__center__in=centers, is_active=True)
        .distinct()
        .order_by("real_name", "id")
    )


def volunteers_for(user) -> QuerySet[User]:
    """Volunteers registered at the centers ``user`` works in (to pair with a recipient).

    Never the whole district: the choice list shows each volunteer's name to whoever opens it.
    """
    centers = access.visible_centers(user, FIELD_WORKERS)
    return (
        User.objects.filter(roles__role=Role.VOLUNTEER, volunteer_profile__center__in=centers, is_active=True)
        .distinct()
        .order_by("real_name", "id")
    )


def works_at(user: User, center_id: int) -> bool:
    return user.roles.filter(role__in=list(FIELD_WORKERS), center_id=center_id).exists()


def can_export(user) -> bool:
    """Exports are restricted to center managers (of their own centers) and superusers."""
    return bool(getattr(user, "is_superuser", False)) or access.has_role(user, Role.CENTER_MANAGER)


def recipients_for_export(user) -> QuerySet[Recipient]:
    queryset = Recipient.objects.filter(anonymised_at__isnull=True)
    if not user.is_superuser:
        queryset = queryset.filter(center_id__in=access.center_ids(user, frozenset({Role.CENTER_MANAGER})))
    return (
        with_consent_state(queryset)
        .select_related("center", "social_worker")
        .order_by("center__name", "name", "id")
    )


def recipient_timeline(recipient: Recipient) -> list[TimelineEntry]:
    """Visits (with follow-ups), referrals and consent events, newest first."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    items: list[TimelineEntry] = []
    # Visits and their follow-ups in one query: a row per follow-up (one for a visit without).
    rows = (
        recipient.visits.select_related("visited_by")
        .annotate(follow_up=F("follow_ups__action"))
        .order_by("-visited_on", "-id", "follow_ups__due_on", "follow_ups__id")
    )
    visits: dict[int, tuple[Visit, list[str]]] = {}
    for row in rows:
        visit, follow_ups = visits.setdefault(row.pk, (row, []))
        if row.follow_up is not None:
            follow_ups.append(row.follow_up)
    for visit, follow_ups in visits.values():
        detail = " ".join(filter(None, [visit.observations, visit.needs_found]))
        items.append(
            TimelineEntry(
                when=visit.visited_on,
                kind=visit.get_kind_display(),
                title=_("%(kind)s by %(who)s, %(minutes)s minutes")
                % {
                    "kind": visit.get_kind_display(),
                    "who": visit.visited_by,
                    "minutes": visit.duration_minutes,
                },
                detail=detail,
                url=reverse("admin:care_visit_change", args=[visit.pk]),
                extra=follow_ups,
            )
        )
    for referral in recipient.referrals.all():
        items.append(
            TimelineEntry(
                when=referral.referred_on,
                kind=_("Referral"),
                title=f"{referral.get_resource_display()} · {referral.get_status_display()}",
                detail=referral.outcome,
                url=reverse("admin:care_referral_change", args=[referral.pk]),
            )
        )
    for consent in recipient.consents.all():
        items.append(
            TimelineEntry(when=consent.given_on, kind=_("Consent"), title=consent.get_scope_display())
        )
        if consent.withdrawn_on:
            items.append(
                TimelineEntry(when=consent.withdrawn_on, kind=_("Consent"), title=_("Consent withdrawn"))
            )
    return sorted(items, key=lambda item: item.when, reverse=True)


def unread_alerts(user) -> QuerySet[Alert]:
    return (
        Alert.objects.filter(addressee=user, read_at__isnull=True)
        .select_related("recipient__center")
        .order_by("-created_at", "-id")
    )


# ------------------------------------------------------------------ aggregates (street, district)
@dataclass
class CenterFigures:
    center: Center
    active: int = 0
    high: int = 0
    medium: int = 0
    low: int = 0
    very_old: int = 0
    lives_alone: int = 0
    due_soon: int = 0
    overdue: int = 0
    visits: int = 0
    crisis: int = 0
    referrals_made: int = 0
    referrals_delivered: int = 0
    referrals_open: int = 0


def month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    start = day.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return start, end


def center_figures(
    *, centers: QuerySet[Center], start: dt.date, end: dt.date, today: dt.date | None = None
) -> list[CenterFigures]:
    """Per center: recipients by tier and flag, visits due and overdue (as of ``today``), visits
    and crisis interventions between ``start`` and ``end``, referrals made, delivered and open.

    Counts only: safe for street staff and the monthly report. Three grouped queries in all.
    """
    today = today or timezone.localdate()
    rows = {c.pk: CenterFigures(center=c) for c in centers}
    if not rows:
        return []
    ids = list(rows)
    active = Q(status=Recipient.Status.ACTIVE, anonymised_at__isnull=True)
    for row in (
        Recipient.objects.filter(center_id__in=ids)
        .values("center_id")
        .annotate(
            active=Count("id", filter=active),
            high=Count("id", filter=active & Q(risk_tier=RiskTier.HIGH)),
            medium=Count("id", filter=active & Q(risk_tier=RiskTier.MEDIUM)),
            low=Count("id", filter=active & Q(risk_tier=RiskTier.LOW)),
            very_old=Count("id", filter=active & Q(very_old=True)),
            lives_alone=Count("id", filter=active & Q(lives_alone=True)),
            due_soon=Count(
                "id",
                filter=active
                & Q(next_visit_due__gte=today, next_visit_due__lte=today + dt.timedelta(days=7)),
            ),
            overdue=Count("id", filter=active & Q(next_visit_due__lt=today)),
        )
        .order_by()
    ):
        figures = rows[row.pop("center_id")]
        for name, value in row.items():
            setattr(figures, name, value)
    for row in (
        Visit.objects.filter(center_id__in=ids, visited_on__range=(start, end))
        .values("center_id")
        .annotate(visits=Count("id"), crisis=Count("id", filter=Q(crisis=True)))
        .order_by()
    ):
        figures = rows[row["center_id"]]
        figures.visits, figures.crisis = row["visits"], row["crisis"]
    for row in (
        Referral.objects.filter(recipient__center_id__in=ids)
        .values("recipient__center_id")
        .annotate(
            made=Count("id", filter=Q(referred_on__range=(start, end))),
            delivered=Count("id", filter=Q(status=Referral.Status.DELIVERED, closed_on__range=(start, end))),
            open=Count("id", filter=Q(closed_on__isnull=True)),
        )
        .order_by()
    ):
        figures = rows[row["recipient__center_id"]]
        figures.referrals_made = row["made"]
        figures.referrals_delivered = row["delivered"]
        figures.referrals_open = row["open"]
    return list(rows.values())


def overview_for(user, *, today: dt.date | None = None) -> list[CenterFigures]:
    """The care figures of every center ``user`` may oversee (street staff: their street)."""
    today = today or timezone.localdate()
    start, end = month_bounds(today)
    centers = access.visible_centers(user).select_related("street").order_by("street__name", "name")
    return center_figures(centers=centers, start=start, end=end, today=today)

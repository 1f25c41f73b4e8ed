"""Reminders, escalations and crisis notices: in-app alerts plus a text message or e-mail."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext

from core.models import Role, User
from core.tasks import send_sms_task

from ..models import (
    Alert,
    Recipient,
    Visit,
)
from .recipients import cadences

logger = logging.getLogger(__name__)


# ------------------------------------------------------------------ notices
def _deliver(user: User, body: str) -> None:
    """A text message, or an e-mail for an account without a mobile number; after commit."""
    if user.phone:
        send_sms_task.delay_on_commit(user.phone, body)
    elif user.email:
        transaction.on_commit(
            lambda: send_mail(
                gettext("Happy Neighborhood: care notice"), body, None, [user.email], fail_silently=True
            )
        )


def _create_alert(**fields) -> Alert | None:
    """The alert, or None when it already exists (the unique constraints keep tasks idempotent)."""
    try:
        with transaction.atomic():
            return Alert.objects.create(**fields)
    except IntegrityError:
        return None


def center_staff(center_id: int, role: str) -> list[User]:
    return list(
        User.objects.filter(roles__role=role, roles__center_id=center_id, is_active=True)
        .order_by("id")
        .distinct()
    )


def street_staff(street_id: int) -> list[User]:
    return list(
        User.objects.filter(roles__role=Role.STREET_STAFF, roles__street_id=street_id, is_active=True)
        .order_by("id")
        .distinct()
    )


@transaction.atomic
def notify_crisis(*, visit_id: int) -> int:
    """Tell the center's managers (else the street staff, without a name) about a crisis. Idempotent."""
    visit = Visit.objects.select_related("recipient__center").filter(pk=visit_id, crisis=True).first()
    if visit is None:
        return 0
    center = visit.recipient.center
    addressees = [(u, True) for u in center_staff(center.pk, Role.CENTER_MANAGER)]
    if not addressees:
        addressees = [(u, False) for u in street_staff(center.street_id)]
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        body = gettext(
            "[Happy Neighborhood] A crisis was logged at %(center)s: please follow up now. Details in the work desk."
        ) % {"center": center.name}
    for user, named in addressees:
        alert = _create_alert(
            kind=Alert.Kind.CRISIS,
            addressee=user,
            recipient=visit.recipient,
            visit=visit,
            names_recipient=named,
        )
        if alert is not None:
            _deliver(user, body)
            sent += 1
    return sent


@dataclass
class ReminderRun:
    reminders: int = 0
    escalations: int = 0
    messages: int = 0
    per_user: dict[int, list[Alert]] = field(default_factory=dict)


@transaction.atomic
def send_due_reminders(*, today: dt.date | None = None) -> ReminderRun:
    """Remind workers of visits falling due, and escalate long-overdue ones. Idempotent.

    One in-app reminder per recipient per due date (to the assigned worker, else the first
    manager); past the tier's threshold one escalation per due date to each manager (named) and
    each street staff member (no name). Each person gets one text message per run, a digest.
    """
    today = today or timezone.localdate()
    tiers = cadences()
    horizon = today + dt.timedelta(days=max(c.remind_days_before for c in tiers.values()))
    reminded = Alert.objects.filter(
        kind=Alert.Kind.DUE, recipient=OuterRef("pk"), due_on=OuterRef("next_visit_due")
    )
    candidates = (
        Recipient.objects.filter(
            status=Recipient.Status.ACTIVE, anonymised_at__isnull=True, next_visit_due__lte=horizon
        )
        .select_related("center", "social_worker")
        .annotate(reminded=Exists(reminded))
        .order_by("center_id", "next_visit_due", "id")
    )
    run = ReminderRun()
    managers: dict[int, list[User]] = {}
    street: dict[int, list[User]] = {}
    for recipient in candidates.iterator(chunk_size=2000):
        cadence = tiers[recipient.risk_tier]
        due = recipient.next_visit_due
        if due > today + dt.timedelta(days=cadence.remind_days_before):
            continue
        if recipient.center_id not in managers:
            managers[recipient.center_id] = center_staff(recipient.center_id, Role.CENTER_MANAGER)
        overdue = max((today - due).days, 0)
        if not recipient.reminded:
            worker = (
                recipient.social_worker
                if recipient.social_worker and recipient.social_worker.is_active
                else None
            )
            worker = worker or next(iter(managers[recipient.center_id]), None)
            if worker is not None:
                alert = _create_alert(
                    kind=Alert.Kind.DUE,
                    addressee=worker,
                    recipient=recipient,
                    due_on=due,
                    days_overdue=overdue,
                )
                if alert is not None:
                    run.reminders += 1
                    run.per_user.setdefault(worker.pk, []).append(alert)
        if overdue > cadence.escalate_after_days:
            street_id = recipient.center.street_id
            if street_id not in street:
                street[street_id] = street_staff(street_id)
            addressees = [(u, True) for u in managers[recipient.center_id]] + [
                (u, False) for u in street[street_id]
            ]
            for user, named in addressees:
                alert = _create_alert(
                    kind=Alert.Kind.ESCALATION,
                    addressee=user,
                    recipient=recipient,
                    due_on=due,
                    days_overdue=overdue,
                    names_recipient=named,
                )
                if alert is not None:
                    run.escalations += 1
                    run.per_user.setdefault(user.pk, []).append(alert)
    users = User.objects.in_bulk(list(run.per_user))
    with translation.override(settings.LANGUAGE_CODE):
        for user_id, alerts in run.per_user.items():
            due = sum(1 for a in alerts if a.kind == Alert.Kind.DUE)
            escalated = len(alerts) - due
            body = gettext(
                "[Happy Neighborhood] Visits due: %(due)s; overdue and escalated to you: %(escalated)s. Details in the work desk."
            ) % {
                "due": due,
                "escalated": escalated,
            }
            _deliver(users[user_id], body)
            run.messages += 1
    logger.info(
        "care reminders: %s due, %s escalations, %s messages", run.reminders, run.escalations, run.messages
    )
    return run


def mark_alerts_read(*, alerts: QuerySet[Alert]) -> int:
    return alerts.filter(read_at__isnull=True).update(read_at=timezone.now())

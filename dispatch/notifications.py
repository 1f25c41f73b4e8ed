"""Messages: the requester hears of every change, assignees of their task, dispatchers of waits.

Each message is handed to the backend inside a transaction that also marks its row as sent,
so a re-delivered task sends nothing twice.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.models import Role, RoleAssignment
from core.sms import send_sms

from . import selectors
from .models import (
    Assignment,
    CallAnswer,
    DispatchReminder,
    Mobilisation,
    ServiceRequest,
    Status,
    StatusChange,
)

logger = logging.getLogger(__name__)


def absolute(path: str) -> str:
    """A link for a text message; PORTAL_URL (e.g. https://portal.example.org) makes it absolute."""
    return f"{getattr(settings, 'PORTAL_URL', '').rstrip('/')}{path}"


def status_message(request: ServiceRequest, change: StatusChange) -> str:
    """What the requester reads about one change of their request."""
    facts = {
        "number": request.display_number,
        "url": absolute(request.get_absolute_url()),
        "note": change.note,
    }
    if change.to_status == Status.NEW and not change.from_status:
        text = _("Your request %(number)s has been received. Follow it at %(url)s")
    elif change.to_status == Status.NEW:
        text = _("Your request %(number)s is being given to someone else; we will tell you who. %(url)s")
    elif change.to_status == Status.ASSIGNED:
        active = next(iter(getattr(request, "active_assignments", [])), None)
        facts["who"] = selectors.assignee_description(active) if active else _("a helper")
        text = _("Your request %(number)s has been given to %(who)s. %(url)s")
    elif change.to_status == Status.IN_PROGRESS:
        text = _("Service for your request %(number)s has started. %(url)s")
    elif change.to_status == Status.DONE:
        text = _("Your request %(number)s is done. Please tell us how satisfied you are: %(url)s")
    else:
        text = _(
            "Sorry, your request %(number)s cannot be done: %(note)s. Call the 24-hour hotline if you need more help."
        )
    return _("Happy Neighborhood: ") + text % facts


def notify_requester(*, change_id: int) -> bool:
    """Tell the requester of one change by SMS (and e-mail when they have an account with one)."""
    with transaction.atomic():
        change = (
            StatusChange.objects.select_for_update().filter(pk=change_id, notified_at__isnull=True).first()
        )
        if change is None:
            return False
        request = selectors.get_request_by_public_id(public_id=change.request.public_id)
        with translation.override(settings.LANGUAGE_CODE):
            body = status_message(request, change)
            subject = _("Your request %(number)s: %(status)s") % {
                "number": request.display_number,
                "status": Status(change.to_status).label,
            }
        phone = request.contact_phone or (request.requester.phone if request.requester else "")
        if phone:
            send_sms(phone=phone, body=body)
        if request.requester and request.requester.email:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [request.requester.email])
        StatusChange.objects.filter(pk=change.pk).update(notified_at=timezone.now())
    return True


def _assignee_contacts(assignment: Assignment) -> list[tuple[str, str]]:
    """(phone, e-mail) of the people who answer for an assignee."""
    if assignment.kind == Assignment.Kind.VOLUNTEER:
        users = [assignment.volunteer.user]
    elif assignment.kind == Assignment.Kind.TEAM:
        users = [assignment.team.leader]
    else:
        center_id = (assignment.site or assignment.vehicle).center_id
        users = [
            ra.user
            for ra in RoleAssignment.objects.filter(
                center_id=center_id, role__in=[Role.SOCIAL_WORKER, Role.CENTER_MANAGER]
            ).select_related("user")
        ]
    return [(u.phone or "", u.email or "") for u in users if u.is_active]


def notify_assignee(*, assignment_id: int) -> bool:
    """Tell the assignee a request waits for their answer. Skipped once it has been answered."""
    assignment = (
        Assignment.objects.select_related("request__community", *selectors.assignee_relations())
        .filter(pk=assignment_id, response=Assignment.Response.PENDING)
        .first()
    )
    if assignment is None:
        return False
    request = assignment.request
    with translation.override(settings.LANGUAGE_CODE):
        body = _(
            "Happy Neighborhood: a request for help (%(category)s, %(community)s, number %(number)s) "
            "has been given to %(who)s. Please accept or decline it: %(url)s"
        ) % {
            "category": request.get_category_display(),
            "community": request.community or request.center,
            "number": request.display_number,
            "who": assignment.assignee_label,
            "url": absolute(reverse("dispatch:task_list"))
            if assignment.kind == Assignment.Kind.VOLUNTEER
            else absolute(request.get_desk_url()),
        }
        subject = _("A request for help waits for your answer")
    for phone, email in _assignee_contacts(assignment):
        if phone:
            send_sms(phone=phone, body=body)
        elif email:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
    return True


def notify_dispatchers(*, center_id: int, level: str) -> int:
    """One digest per center: the requests waiting too long. Escalations also reach the center
    manager and the street office. Each reminder row is sent once."""
    with transaction.atomic():
        due = list(
            DispatchReminder.objects.select_for_update(of=("self",))
            .filter(request__center_id=center_id, level=level, sent_at__isnull=True)
            .select_related("request__center", "request__community")
            .order_by("waiting_since")
        )
        if not due:
            return 0
        center = due[0].request.center
        if level == DispatchReminder.Level.REMIND:
            roles = RoleAssignment.objects.filter(
                center_id=center_id, role__in=[Role.SOCIAL_WORKER, Role.CENTER_MANAGER]
            )
        else:
            roles = RoleAssignment.objects.filter(
                center_id=center_id, role=Role.CENTER_MANAGER
            ) | RoleAssignment.objects.filter(street_id=center.street_id, role=Role.STREET_STAFF)
        users = {ra.user_id: ra.user for ra in roles.select_related("user") if ra.user.is_active}
        now = timezone.now()
        with translation.override(settings.LANGUAGE_CODE):
            lines = [
                _("%(number)s · %(category)s · %(community)s · waiting %(hours)s hours")
                % {
                    "number": r.request.display_number,
                    "category": r.request.get_category_display(),
                    "community": r.request.community or center,
                    "hours": int((now - r.waiting_since).total_seconds() // 3600),
                }
                for r in due
            ]
            if level == DispatchReminder.Level.REMIND:
                subject = _("%(count)s requests at %(center)s are waiting to be assigned")
            else:
                subject = _("Escalation: %(count)s requests at %(center)s are still unassigned")
            subject = subject % {"count": len(due), "center": center.name}
            body = "\n".join([subject, "", *lines, "", absolute(reverse("dispatch:desk") + "?status=new")])
            text = _("Happy Neighborhood: ") + subject
        for user in users.values():
            if user.email:
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
            if level == DispatchReminder.Level.ESCALATE and user.phone:
                send_sms(phone=user.phone, body=text)
        DispatchReminder.objects.filter(pk__in=[r.pk for r in due]).update(sent_at=now)
        if not users:
            logger.warning("No dispatcher to remind at center %s", center_id)
    return len(due)


def notify_call_wave(*, mobilisation_id: int, wave: int) -> int:
    """Text the volunteers of one wave of an emergency call (each row is marked when told)."""
    with transaction.atomic():
        call = Mobilisation.objects.select_related("center").filter(pk=mobilisation_id).first()
        if call is None or call.status != Mobilisation.Status.OPEN:
            return 0
        rows = list(
            CallAnswer.objects.select_for_update(of=("self",))
            .filter(mobilisation=call, wave=wave, notified_at__isnull=True)
            .select_related("volunteer__user")
        )
        with translation.override(settings.LANGUAGE_CODE):
            body = _(
                "Happy Neighborhood emergency call from %(center)s: %(title)s. Please answer received, "
                "coming or cannot: %(url)s"
            ) % {"center": call.center.name, "title": call.title, "url": absolute(call.get_answer_url())}
            subject = _("Emergency call: %(title)s") % {"title": call.title}
        for row in rows:
            user = row.volunteer.user
            if user.phone:
                send_sms(phone=user.phone, body=body)
            elif user.email:
                send_mail(subject, f"{body}\n\n{call.message}", settings.DEFAULT_FROM_EMAIL, [user.email])
        CallAnswer.objects.filter(pk__in=[r.pk for r in rows]).update(notified_at=timezone.now())
    return len(rows)

"""Writes for service requests: filing, confirming by SMS code, dispatching, closing, rating.

Every change of state locks the request row (``select_for_update``; on SQLite the portal's
BEGIN IMMEDIATE transactions serialise writers the same way), checks the move against
``TRANSITIONS``, writes a time-stamped StatusChange and queues the requester's notice on commit.
"""

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from core.models import Community, User

from .. import selectors
from ..models import (
    OPEN_STATUSES,
    TRANSITIONS,
    Assignment,
    Channel,
    CollectionSite,
    Feedback,
    PendingRequest,
    ServiceRequest,
    ServiceVehicle,
    Status,
    StatusChange,
)

NUMBER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out on the phone
CODE_LIFETIME = dt.timedelta(minutes=10)
CODE_RESEND_AFTER = dt.timedelta(seconds=60)
MAX_CODE_ATTEMPTS = 5
MAX_CODES_PER_DRAFT = 3


def _tasks():
    from .. import tasks  # tasks import services; imported late to keep the cycle harmless

    return tasks


def new_request_number(now: dt.datetime | None = None) -> str:
    """Twelve characters: the local date and six random ones (about 10^9 per day)."""
    day = timezone.localtime(now or timezone.now()).strftime("%y%m%d")
    return day + "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(6))


def _record_change(
    *, request: ServiceRequest, from_status: str, by: User | None, note: str = "", at=None
) -> StatusChange:
    change = StatusChange.objects.create(
        request=request,
        from_status=from_status,
        to_status=request.status,
        by=by if by is not None and by.is_authenticated else None,
        note=note[:500],
        at=at or timezone.now(),
    )
    _tasks().notify_requester_task.delay_on_commit(change.pk)
    return change


def _lock(request: ServiceRequest) -> ServiceRequest:
    return ServiceRequest.objects.select_for_update().get(pk=request.pk)


def _move(request: ServiceRequest, to: str, *, by: User | None, note: str = "", at=None) -> StatusChange:
    if to not in TRANSITIONS[request.status]:
        raise ValidationError(
            _("A request that is “%(now)s” cannot become “%(new)s”. Reload the page to see its state.")
            % {"now": Status(request.status).label, "new": Status(to).label},
            code="transition",
        )
    now = at or timezone.now()
    from_status = request.status
    request.status = to
    if to == Status.NEW:
        request.waiting_since = now
    elif to == Status.ASSIGNED:
        request.waiting_since = None
        request.assigned_at = request.assigned_at or now
    elif to == Status.IN_PROGRESS:
        request.started_at = request.started_at or now
    elif to in (Status.DONE, Status.CANNOT_BE_DONE):
        request.waiting_since = None
        request.closed_at = now
        request.closing_note = note[:500]
    request.full_clean()
    request.save()
    return _record_change(request=request, from_status=from_status, by=by, note=note, at=now)


# ------------------------------------------------------------------ filing
@transaction.atomic
def submit_request(
    *,
    category: str,
    description: str,
    community: Community | None,
    requester: User | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    address: str = "",
    photo: File | str | None = None,
    channel: str = Channel.WEB,
    collection_site: CollectionSite | None = None,
    recorded_by: User | None = None,
    phone_confirmed: bool = False,
    at: dt.datetime | None = None,
) -> ServiceRequest:
    """File a request; it is ``new`` and waiting for a dispatcher from this moment.

    The handling center is the community's own center, else its street's. Staff recording a
    call on someone's behalf pass ``recorded_by`` and the channel; a resident account with the
    caller's mobile number becomes the requester, so the request shows on their page too.
    """
    if community is None:
        raise ValidationError({"community": _("Choose your community.")})
    center = selectors.center_for_community(community)
    if center is None:
        raise ValidationError(
            {"community": _("No center serves this community yet. Please call the 24-hour hotline.")}
        )
    if channel == Channel.COLLECTION_SITE and collection_site is None:
        raise ValidationError({"collection_site": _("Choose the collection site where the request came in.")})
    if requester is None and recorded_by is not None and contact_phone:
        requester = User.objects.filter(phone=contact_phone, is_active=True).first()
    if requester is not None and not contact_phone:
        contact_phone = requester.phone or ""
    if requester is not None and not contact_name:
        contact_name = requester.real_name
    now = at or timezone.now()
    request = ServiceRequest(
        number=new_request_number(now),
        category=category,
        description=description.strip(),
        address=address.strip(),
        center=center,
        community=community,
        channel=channel,
        collection_site=collection_site if channel == Channel.COLLECTION_SITE else None,
        requester=requester,
        contact_name=contact_name.strip(),
        contact_phone=contact_phone,
        phone_confirmed=phone_confirmed or bool(requester and requester.phone_verified and not recorded_by),
        recorded_by=recorded_by,
        status=Status.NEW,
        waiting_since=now,
        created_at=now,
    )
    if isinstance(photo, str):
        request.photo.name = photo
    elif photo is not None:
        request.photo = photo
    request.full_clean()
    request.save()
    _record_change(request=request, from_status="", by=recorded_by or requester, at=now)
    return request


# ------------------------------------------------------------------ the SMS code for residents without an account
def _code_hash(pending: PendingRequest, code: str) -> str:
    return salted_hmac("dispatch.pending-request", f"{pending.token}:{code}", algorithm="sha256").hexdigest()


def _issue_code(pending: PendingRequest, now: dt.datetime) -> None:
    code = f"{secrets.randbelow(10**6):06d}"
    pending.code_hash = _code_hash(pending, code)
    pending.code_sent_at = now
    pending.expires_at = now + CODE_LIFETIME
    pending.attempts = 0
    body = _(
        "Happy Neighborhood: your code to confirm your request for help is %(code)s, valid for "
        "10 minutes. If you did not ask for help, ignore this message."
    ) % {"code": code}
    from core.tasks import send_sms_task

    send_sms_task.delay_on_commit(pending.phone, body)


@transaction.atomic
def start_pending_request(*, phone: str, data: dict, photo: File | None = None) -> PendingRequest:
    """Hold a request from someone without an account and text a 6-digit code to ``phone``.

    Only a salted hash of the code is stored; it expires after 10 minutes and allows five tries.
    """
    now = timezone.now()
    pending = PendingRequest(phone=phone, data=data, created_at=now, codes_sent=1)
    if photo is not None:
        pending.photo = photo
    _issue_code(pending, now)
    pending.full_clean()
    pending.save()
    return pending


@transaction.atomic
def resend_code(*, pending: PendingRequest) -> PendingRequest:
    """A new code for the same draft, at most once a minute and three times in all."""
    pending = PendingRequest.objects.select_for_update().get(pk=pending.pk)
    now = timezone.now()
    if pending.request_id:
        raise ValidationError(_("This request has already been confirmed."), code="confirmed")
    if now - pending.code_sent_at < CODE_RESEND_AFTER:
        raise ValidationError(_("Please wait a minute before asking for a new code."), code="too_soon")
    if pending.codes_sent >= MAX_CODES_PER_DRAFT:
        raise ValidationError(
            _("No more codes can be sent for this request. Please call the 24-hour hotline."), code="too_many"
        )
    pending.codes_sent += 1
    _issue_code(pending, now)
    pending.save()
    return pending


def confirm_pending_request(*, pending: PendingRequest, code: str) -> ServiceRequest:
    """Turn the draft into a request if ``code`` is right, fresh and not guessed at too often.

    A wrong code is counted even though this raises, so the count cannot be reset by failing.
    Confirming twice returns the same request.
    """
    with transaction.atomic():
        pending = PendingRequest.objects.select_for_update().get(pk=pending.pk)
        if pending.request_id:
            return pending.request
        problem = reason = None
        if pending.attempts >= MAX_CODE_ATTEMPTS:
            problem, reason = _("Too many wrong codes. Ask for a new code."), "attempts"
        elif timezone.now() > pending.expires_at:
            problem, reason = _("The code has expired. Ask for a new code."), "expired"
        elif not constant_time_compare(_code_hash(pending, (code or "").strip()), pending.code_hash):
            PendingRequest.objects.filter(pk=pending.pk).update(attempts=F("attempts") + 1)
            left = MAX_CODE_ATTEMPTS - pending.attempts - 1
            problem, reason = (
                _("The code is not right. %(left)s tries left.") % {"left": max(left, 0)},
                "wrong",
            )
        if problem is None:
            data = pending.data
            request = submit_request(
                category=data.get("category", ""),
                description=data.get("description", ""),
                community=Community.objects.filter(pk=data.get("community")).first(),
                contact_name=data.get("contact_name", ""),
                contact_phone=pending.phone,
                address=data.get("address", ""),
                photo=pending.photo.name or None,
                phone_confirmed=True,
            )
            pending.request = request
            pending.save(update_fields=["request"])
            return request
    raise ValidationError(problem, code=reason)


def purge_pending_requests(*, older_than: dt.timedelta = dt.timedelta(days=1)) -> int:
    """Delete drafts older than a day, with the photos of those never confirmed."""
    stale = PendingRequest.objects.filter(created_at__lt=timezone.now() - older_than)
    count = 0
    for pending in stale.iterator():
        if pending.photo and pending.request_id is None:
            pending.photo.delete(save=False)
        pending.delete()
        count += 1
    return count


# ------------------------------------------------------------------ dispatching
@transaction.atomic
def assign_request(
    *,
    request: ServiceRequest,
    by: User,
    site: CollectionSite | None = None,
    vehicle: ServiceVehicle | None = None,
    volunteer=None,
    team=None,
    note: str = "",
) -> Assignment:
    """Give a new request to exactly one assignee, who then accepts or declines.

    Two dispatchers assigning the same request at once: the second finds it assigned and is
    refused (and the partial unique constraint allows one active assignment per request).
    """
    request = _lock(request)
    if request.status != Status.NEW:
        raise ValidationError(
            _("This request has already been assigned or closed. Reload the page."), code="not_new"
        )
    chosen = {
        k: v for k, v in {"volunteer": volunteer, "team": team, "site": site, "vehicle": vehicle}.items() if v
    }
    if len(chosen) != 1:
        raise ValidationError(_("Choose one volunteer, team, site or vehicle."), code="assignee")
    kind, target = next(iter(chosen.items()))
    if not getattr(target, "is_active", True):
        raise ValidationError(_("%(name)s is not active.") % {"name": target}, code="inactive")
    assignment = Assignment(request=request, kind=kind, assigned_by=by, note=note[:255], **{kind: target})
    assignment.full_clean(exclude=["request"])
    assignment.save()
    _move(request, Status.ASSIGNED, by=by, note=note)
    _tasks().notify_assignee_task.delay_on_commit(assignment.pk)
    return assignment


def _active_assignment(request: ServiceRequest) -> Assignment | None:
    return (
        Assignment.objects.select_for_update()
        .filter(request=request, response__in=Assignment.ACTIVE)
        .order_by("-assigned_at")
        .first()
    )


@transaction.atomic
def answer_assignment(*, assignment: Assignment, accept: bool, by: User, note: str = "") -> Assignment:
    """The assignee (or staff for them) accepts or declines; a decline puts the request back
    in the queue, waiting for a dispatcher again."""
    request = _lock(assignment.request)
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.response != Assignment.Response.PENDING:
        raise ValidationError(_("This assignment has already been answered."), code="answered")
    assignment.response = Assignment.Response.ACCEPTED if accept else Assignment.Response.DECLINED
    assignment.responded_at = timezone.now()
    if note:
        assignment.note = note[:255]
    assignment.save(update_fields=["response", "responded_at", "note"])
    if not accept and request.status == Status.ASSIGNED:
        _move(request, Status.NEW, by=by, note=note)
    return assignment


@transaction.atomic
def withdraw_assignment(*, request: ServiceRequest, by: User, note: str = "") -> ServiceRequest:
    """Staff take an assigned request back (to give it to someone else)."""
    request = _lock(request)
    if request.status != Status.ASSIGNED:
        raise ValidationError(_("Only an assigned request can be taken back."), code="not_assigned")
    active = _active_assignment(request)
    if active is not None:
        active.response = Assignment.Response.WITHDRAWN
        active.responded_at = timezone.now()
        active.save(update_fields=["response", "responded_at"])
    _move(request, Status.NEW, by=by, note=note)
    return request


@transaction.atomic
def start_request(*, request: ServiceRequest, by: User, note: str = "") -> ServiceRequest:
    """The service has begun; an assignment still waiting for an answer counts as accepted."""
    request = _lock(request)
    _move(request, Status.IN_PROGRESS, by=by, note=note)
    active = _active_assignment(request)
    if active is not None and active.response == Assignment.Response.PENDING:
        active.response = Assignment.Response.ACCEPTED
        active.responded_at = timezone.now()
        active.save(update_fields=["response", "responded_at"])
    return request


@transaction.atomic
def complete_request(*, request: ServiceRequest, by: User, note: str = "") -> ServiceRequest:
    """Done: the requester is told and asked to rate the service."""
    request = _lock(request)
    if request.status == Status.ASSIGNED:
        active = _active_assignment(request)
        if active is not None and active.response == Assignment.Response.PENDING:
            active.response = Assignment.Response.ACCEPTED
            active.responded_at = timezone.now()
            active.save(update_fields=["response", "responded_at"])
    _move(request, Status.DONE, by=by, note=note)
    return request


@transaction.atomic
def close_request_as_impossible(*, request: ServiceRequest, by: User, note: str) -> ServiceRequest:
    """Cannot be done, with the reason the requester will read."""
    if not note.strip():
        raise ValidationError({"note": _("Say why, so that the resident understands.")})
    request = _lock(request)
    if request.status not in OPEN_STATUSES:
        raise ValidationError(_("This request is already closed."), code="closed")
    active = _active_assignment(request)
    if active is not None and active.response == Assignment.Response.PENDING:
        active.response = Assignment.Response.WITHDRAWN
        active.responded_at = timezone.now()
        active.save(update_fields=["response", "responded_at"])
    _move(request, Status.CANNOT_BE_DONE, by=by, note=note)
    return request


# ------------------------------------------------------------------ closing the loop
@transaction.atomic
def record_feedback(
    *, request: ServiceRequest, rating: int, comment: str = "", source: str, recorded_by: User | None = None
) -> Feedback:
    """The satisfaction callback: one rating per done request, online or taken down by staff."""
    request = _lock(request)
    if request.status != Status.DONE:
        raise ValidationError(_("A request can be rated once it is done."), code="not_done")
    if Feedback.objects.filter(request=request).exists():
        raise ValidationError(_("This request has already been rated. Thank you!"), code="rated")
    feedback = Feedback(
        request=request,
        rating=rating,
        comment=comment.strip(),
        source=source,
        recorded_by=recorded_by if recorded_by is not None and recorded_by.is_authenticated else None,
    )
    feedback.full_clean()
    feedback.save()
    return feedback


def remind_hours() -> tuple[int, int]:
    """(N, M): remind the dispatcher after N hours unassigned, escalate after M hours."""
    return (
        int(getattr(settings, "DISPATCH_REMIND_AFTER_HOURS", 2)),
        int(getattr(settings, "DISPATCH_ESCALATE_AFTER_HOURS", 8)),
    )

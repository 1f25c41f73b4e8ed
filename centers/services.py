"""Writes for spaces, activities and sign-ups. Each service owns its transaction.

Locking: a booking locks its space row, a sign-up or cancellation locks its activity row
(``select_for_update``). On SQLite, where row locks do nothing, the portal opens every
transaction with BEGIN IMMEDIATE (settings), which serialises writers just the same.
"""

import datetime as dt
import secrets

from dateutil.rrule import rrulestr
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import User

from .models import Activity, ActivitySeries, Booking, CalendarToken, Child, Signup, Space


# ------------------------------------------------------------------ spaces
def find_overlapping_bookings(*, space: Space, starts_at, ends_at, exclude_pk: int | None = None):
    qs = Booking.objects.filter(
        space=space, cancelled_at__isnull=True, starts_at__lt=ends_at, ends_at__gt=starts_at
    )
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs


def _overlap_error(space: Space, clash: Booking | None) -> ValidationError:
    if clash is None:
        return ValidationError(_("%(space)s is already booked at that time.") % {"space": space.name})
    start, end = timezone.localtime(clash.starts_at), timezone.localtime(clash.ends_at)
    return ValidationError(
        _("%(space)s is already booked from %(start)s to %(end)s (%(purpose)s).")
        % {
            "space": space.name,
            "start": f"{start:%Y-%m-%d %H:%M}",
            "end": f"{end:%H:%M}" if start.date() == end.date() else f"{end:%Y-%m-%d %H:%M}",
            "purpose": clash.purpose,
        },
        code="overlap",
    )


@transaction.atomic
def book_space(
    *,
    space: Space,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    purpose: str,
    booked_by: User | None,
    activity: Activity | None = None,
) -> Booking:
    """Hold ``space`` for [starts_at, ends_at). Raises ValidationError when the space is not
    bookable, the times are wrong, or another live booking overlaps (the PostgreSQL exclusion
    constraint backs this check up)."""
    space = Space.objects.select_for_update().get(pk=space.pk)
    if not space.is_bookable:
        raise ValidationError(_("%(space)s cannot be booked.") % {"space": space.name})
    if ends_at <= starts_at:
        raise ValidationError(_("The end must be after the start."), code="invalid")
    clash = find_overlapping_bookings(space=space, starts_at=starts_at, ends_at=ends_at).first()
    if clash is not None:
        raise _overlap_error(space, clash)
    booking = Booking(
        space=space,
        starts_at=starts_at,
        ends_at=ends_at,
        purpose=purpose,
        booked_by=booked_by,
        activity=activity,
    )
    booking.full_clean()
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError as exc:  # the exclusion constraint, if a writer slipped past the lock
        raise _overlap_error(space, None) from exc
    return booking


@transaction.atomic
def move_booking(*, booking: Booking, starts_at: dt.datetime, ends_at: dt.datetime) -> Booking:
    """Change a booking's times under the same no-overlap rule."""
    Space.objects.select_for_update().get(pk=booking.space_id)
    if ends_at <= starts_at:
        raise ValidationError(_("The end must be after the start."), code="invalid")
    clash = find_overlapping_bookings(
        space=booking.space, starts_at=starts_at, ends_at=ends_at, exclude_pk=booking.pk
    ).first()
    if clash is not None:
        raise _overlap_error(booking.space, clash)
    booking.starts_at, booking.ends_at = starts_at, ends_at
    booking.full_clean()
    try:
        with transaction.atomic():
            booking.save(update_fields=["starts_at", "ends_at"])
    except IntegrityError as exc:
        raise _overlap_error(booking.space, None) from exc
    return booking


@transaction.atomic
def cancel_booking(*, booking: Booking) -> Booking:
    if booking.cancelled_at is None:
        booking.cancelled_at = timezone.now()
        booking.save(update_fields=["cancelled_at"])
    return booking


# ------------------------------------------------------------------ activities
@transaction.atomic
def save_activity(*, activity: Activity, by: User | None) -> Activity:
    """Create or update an activity; its space is booked for its times (or the booking moved),
    and seats added to a full activity go to the first people on its waitlist."""
    is_new = activity.pk is None
    if is_new and activity.created_by_id is None and by is not None:
        activity.created_by = by
    if not is_new:
        # Lock first: the counter must not move between the check and the save.
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        activity.confirmed_count = locked.confirmed_count
    activity.full_clean()
    activity.save()
    booking = Booking.objects.filter(activity=activity).first()
    if activity.space_id and activity.status != Activity.Status.CANCELLED:
        if booking is None:
            book_space(
                space=activity.space,
                starts_at=activity.starts_at,
                ends_at=activity.ends_at,
                purpose=activity.title,
                booked_by=by,
                activity=activity,
            )
        elif booking.space_id != activity.space_id:
            booking.delete()
            book_space(
                space=activity.space,
                starts_at=activity.starts_at,
                ends_at=activity.ends_at,
                purpose=activity.title,
                booked_by=by,
                activity=activity,
            )
        elif (booking.starts_at, booking.ends_at) != (activity.starts_at, activity.ends_at):
            move_booking(booking=booking, starts_at=activity.starts_at, ends_at=activity.ends_at)
    elif booking is not None:
        booking.delete()
    if not is_new:
        promote_from_waitlist(activity=activity)
    return activity


@transaction.atomic
def create_activity(*, by: User | None = None, **fields) -> Activity:
    return save_activity(activity=Activity(**fields), by=by)


def _skip_dates(series: ActivitySeries) -> set[dt.date]:
    dates = set()
    for line in series.skip_dates.replace(",", "\n").splitlines():
        line = line.strip()
        if line:
            try:
                dates.add(dt.date.fromisoformat(line))
            except ValueError:
                continue
    return dates


def occurrence_dates(*, series: ActivitySeries, until: dt.date) -> list[dt.date]:
    """The dates the series' rule gives from its first date to ``until`` (or its last date)."""
    end = min(until, series.last_date) if series.last_date else until
    start = dt.datetime.combine(series.first_date, dt.time())
    rule = rrulestr(series.rrule, dtstart=start)
    skipped = _skip_dates(series)
    return [
        d.date()
        for d in rule.between(start, dt.datetime.combine(end, dt.time()), inc=True)
        if d.date() not in skipped
    ]


def validate_rrule(value: str) -> None:
    try:
        rrulestr(value, dtstart=dt.datetime(2026, 1, 1))
    except (ValueError, TypeError) as exc:
        raise ValidationError(_("This is not a valid recurrence rule.")) from exc


@transaction.atomic
def generate_occurrences(*, series: ActivitySeries, until: dt.date, by: User | None = None) -> list[Activity]:
    """Create the missing occurrences of ``series`` up to ``until``; idempotent (one activity per
    series and start). A date whose space is already booked is skipped, not double-booked."""
    series = ActivitySeries.objects.select_for_update().get(pk=series.pk)
    if not series.is_active:
        return []
    tz = timezone.get_current_timezone()
    existing = set(Activity.objects.filter(series=series).values_list("starts_at", flat=True))
    created = []
    for day in occurrence_dates(series=series, until=until):
        starts_at = timezone.make_aware(dt.datetime.combine(day, series.start_time), tz)
        if starts_at in existing or starts_at <= timezone.now():
            continue
        activity = Activity(
            center_id=series.center_id,
            space_id=series.space_id,
            series=series,
            title=series.title,
            description=series.description,
            category=series.category,
            audience=series.audience,
            capacity=series.capacity,
            starts_at=starts_at,
            ends_at=timezone.make_aware(dt.datetime.combine(day, series.end_time), tz),
            signup_opens_at=starts_at - dt.timedelta(days=series.signup_opens_days_before),
        )
        try:
            with transaction.atomic():
                created.append(save_activity(activity=activity, by=by))
        except ValidationError:
            continue  # the space is taken that day
    return created


# ------------------------------------------------------------------ sign-ups
def _new_code(activity: Activity) -> str:
    taken = set(Signup.objects.filter(activity=activity).values_list("code", flat=True))
    while True:
        code = f"{secrets.randbelow(1_000_000):06d}"
        if code not in taken:
            return code


@transaction.atomic
def sign_up(
    *,
    activity: Activity,
    resident: User,
    child: Child | None = None,
    channel: str = Signup.Channel.ONLINE,
    registered_by: User | None = None,
) -> Signup:
    """Give ``resident`` (or their ``child``) a seat, or a place on the waitlist when the activity
    is full. Never overbooks (the activity row is locked); a second sign-up by the same person
    returns the existing one unchanged. Raises ValidationError outside the sign-up window."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    problem = activity.signup_window_problem()
    if problem:
        raise ValidationError(problem, code="closed")
    if activity.for_children and child is None:
        raise ValidationError(_("This activity is for children: choose which child you are signing up."))
    if child is not None and child.guardian_id != resident.pk:
        raise ValidationError(_("You can only sign up your own children."))
    existing = Signup.objects.filter(activity=activity, resident=resident, child=child).first()
    if existing is not None and existing.status != Signup.Status.CANCELLED:
        return existing
    now = timezone.now()
    confirmed = activity.confirmed_count < activity.capacity
    signup = existing or Signup(activity=activity, resident=resident, child=child, code=_new_code(activity))
    signup.status = Signup.Status.CONFIRMED if confirmed else Signup.Status.WAITLISTED
    signup.channel = channel
    signup.registered_by = registered_by
    signup.signed_up_at = now
    signup.confirmed_at = now if confirmed else None
    signup.cancelled_at = None
    signup.save()
    if confirmed:
        Activity.objects.filter(pk=activity.pk).update(confirmed_count=F("confirmed_count") + 1)
    return signup


@transaction.atomic
def cancel_signup(*, signup: Signup, by: User | None = None) -> Signup | None:
    """Cancel a sign-up. A freed seat goes to the first person on the waitlist, who is told.
    Returns the promoted sign-up, if any. Residents cannot cancel once the activity started."""
    activity = Activity.objects.select_for_update().get(pk=signup.activity_id)
    signup = Signup.objects.select_for_update().get(pk=signup.pk)
    if signup.status == Signup.Status.CANCELLED:
        return None
    is_staff_action = by is not None and by.pk != signup.resident_id
    if activity.has_started and not is_staff_action:
        raise ValidationError(_("This activity has already started and can no longer be cancelled."))
    was_confirmed = signup.status == Signup.Status.CONFIRMED
    signup.status = Signup.Status.CANCELLED
    signup.cancelled_at = timezone.now()
    signup.attended_at = None
    signup.save(update_fields=["status", "cancelled_at", "attended_at"])
    if was_confirmed:
        Activity.objects.filter(pk=activity.pk).update(confirmed_count=F("confirmed_count") - 1)
    promoted = promote_from_waitlist(activity=activity)
    return promoted[0] if promoted else None


@transaction.atomic
def promote_from_waitlist(*, activity: Activity) -> list[Signup]:
    """Fill free seats from the head of the waitlist; each promoted resident is told."""
    from .tasks import notify_promotion_task

    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    free = activity.capacity - activity.confirmed_count
    if free <= 0 or activity.has_started or activity.status != Activity.Status.PUBLISHED:
        return []
    promoted = list(
        Signup.objects.select_for_update()
        .filter(activity=activity, status=Signup.Status.WAITLISTED)
        .order_by("signed_up_at", "id")[:free]
    )
    now = timezone.now()
    for signup in promoted:
        signup.status = Signup.Status.CONFIRMED
        signup.confirmed_at = now
        signup.save(update_fields=["status", "confirmed_at"])
        notify_promotion_task.delay_on_commit(signup.pk)
    if promoted:
        Activity.objects.filter(pk=activity.pk).update(confirmed_count=F("confirmed_count") + len(promoted))
    return promoted


@transaction.atomic
def sign_up_on_behalf(
    *, activity: Activity, phone: str, channel: str, staff: User, child_name: str = ""
) -> Signup:
    """Staff sign a resident up at the counter or by phone; the resident is found by mobile number."""
    if channel not in (Signup.Channel.COUNTER, Signup.Channel.PHONE):
        raise ValidationError(_("Choose how the resident asked: at the counter or by phone."))
    resident = User.objects.filter(phone=phone.strip(), is_active=True).first()
    if resident is None:
        raise ValidationError(_("No resident has the mobile number %(phone)s.") % {"phone": phone})
    child = None
    if child_name.strip():
        child, _created = Child.objects.get_or_create(guardian=resident, name=child_name.strip())
    return sign_up(activity=activity, resident=resident, child=child, channel=channel, registered_by=staff)


# ------------------------------------------------------------------ attendance
@transaction.atomic
def check_in(*, signup: Signup, by: User) -> Signup:
    """Record that a confirmed attendee came. Idempotent: the first check-in time is kept."""
    signup = Signup.objects.select_for_update().get(pk=signup.pk)
    if signup.status != Signup.Status.CONFIRMED:
        raise ValidationError(_("Only confirmed sign-ups can be checked in."))
    if signup.attended_at is None:
        signup.attended_at = timezone.now()
        signup.checked_in_by = by
        signup.save(update_fields=["attended_at", "checked_in_by"])
    return signup


@transaction.atomic
def check_in_by_code(*, activity: Activity, code: str, by: User) -> Signup:
    signup = (
        Signup.objects.filter(activity=activity, code=code.strip())
        .exclude(status=Signup.Status.CANCELLED)
        .first()
    )
    if signup is None:
        raise ValidationError(_("No sign-up of this activity has the code %(code)s.") % {"code": code})
    return check_in(signup=signup, by=by)


@transaction.atomic
def record_collection(*, signup: Signup, collected_by: str, by: User) -> Signup:
    """The 3:30 classroom: who collected the child, and when."""
    if not signup.child_id:
        raise ValidationError(_("Collection is recorded for children only."))
    if not collected_by.strip():
        raise ValidationError(_("Enter who collected the child."))
    signup.collected_by = collected_by.strip()[:50]
    signup.collected_at = timezone.now()
    signup.save(update_fields=["collected_by", "collected_at"])
    return signup


# ------------------------------------------------------------------ residents' own things
@transaction.atomic
def add_child(*, guardian: User, name: str, birth_year: int | None = None, relation: str = "") -> Child:
    child = Child(guardian=guardian, name=name.strip(), birth_year=birth_year, relation=relation.strip())
    if Child.objects.filter(guardian=guardian, name=child.name).exists():
        raise ValidationError({"name": _("%(name)s is already on your account.") % {"name": child.name}})
    child.full_clean()
    child.save()
    return child


@transaction.atomic
def get_calendar_token(*, user: User) -> CalendarToken:
    token, _created = CalendarToken.objects.get_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    return token


@transaction.atomic
def reset_calendar_token(*, user: User) -> CalendarToken:
    """A new secret address; the old one stops working at once."""
    token, _created = CalendarToken.objects.get_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    if not _created:
        token.token = secrets.token_urlsafe(32)
        token.save(update_fields=["token", "created_at"])
    return token


SERIES_HORIZON_DAYS = 28


def extend_all_series(*, horizon_days: int = SERIES_HORIZON_DAYS) -> int:
    """Generate every active series' occurrences for the coming weeks; returns how many were new."""
    until = timezone.localdate() + dt.timedelta(days=horizon_days)
    total = 0
    for series in ActivitySeries.objects.filter(is_active=True):
        total += len(generate_occurrences(series=series, until=until))
    return total

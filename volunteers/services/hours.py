"""Duties, sign-ups, check-in and check-out, hour records, verification and certificates."""

import secrets
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Min, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from centers.models import Activity
from core import access
from core.models import Center, User

from ..models import Category, Certificate, Duty, DutySignup, HourRecord, Membership, Team, Volunteer
from .points import award_points

CHECK_IN_OPENS = timedelta(hours=1)  # before the start
CHECK_OUT_CLOSES = timedelta(hours=4)  # after the end
SELF_REPORT_WINDOW_DAYS = 90
QUARTER = Decimal("0.25")


def new_check_in_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def _require(user: User, action: str, obj) -> None:
    if not access.can(user, action, obj):
        raise PermissionDenied(_("This belongs to another center."))


def require_in_center(user: User, model, action: str, center: Center) -> None:
    """``user`` may ``action`` rows of ``model`` in ``center`` (for rows that do not exist yet)."""
    if access.is_district_wide(user):
        return
    if center.pk not in access.center_ids(user, access.rule_for(model).roles_for(action)):
        raise PermissionDenied(_("This belongs to another center."))


@transaction.atomic
def post_duty(
    *,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    slots: int,
    team: Team | None = None,
    activity: Activity | None = None,
    center: Center | None = None,
    category: str = Category.OTHER,
    location: str = "",
    description: str = "",
    by: User | None = None,
) -> Duty:
    """Post a shift for a team or an activity; it gets a fresh six-digit check-in code.

    An activity's duty belongs to the activity's center (and may also name a team of that center).
    """
    if team is None and activity is None:
        raise ValidationError(_("A duty belongs to a team or an activity."))
    center = center or (activity.center if activity else team.center)
    if team is not None and team.center_id != center.pk:
        raise ValidationError({"team": _("The team belongs to another center.")})
    if activity is not None and activity.center_id != center.pk:
        raise ValidationError({"activity": _("The activity belongs to another center.")})
    duty = Duty(
        center=center,
        team=team,
        activity=activity,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        slots=slots,
        category=activity.category if activity is not None and category == Category.OTHER else category,
        location=location,
        description=description,
        check_in_code=new_check_in_code(),
        created_by=by,
    )
    duty.full_clean()
    duty.save()
    return duty


@transaction.atomic
def sign_up_for_duty(*, duty: Duty, volunteer: Volunteer) -> DutySignup:
    """Take a place on an open duty; a team's duties are for its approved members. Idempotent."""
    duty = Duty.objects.select_for_update().get(pk=duty.pk)
    existing = DutySignup.objects.filter(duty=duty, volunteer=volunteer).first()
    if existing is not None and existing.status != DutySignup.Status.CANCELLED:
        return existing
    if duty.status != Duty.Status.OPEN or duty.ends_at <= timezone.now():
        raise ValidationError(_("This duty is no longer open for sign-up."))
    if (
        duty.team_id
        and not Membership.objects.filter(
            team_id=duty.team_id, volunteer=volunteer, status=Membership.Status.APPROVED
        ).exists()
    ):
        raise ValidationError(
            _("Only members of %(team)s can sign up; ask to join the team first.") % {"team": duty.team}
        )
    taken = duty.signups.exclude(status=DutySignup.Status.CANCELLED).count()
    if taken >= duty.slots:
        raise ValidationError(_("All places on this duty are taken."))
    if existing is not None:
        existing.status = DutySignup.Status.SIGNED_UP
        existing.save(update_fields=["status"])
        return existing
    signup = DutySignup(duty=duty, volunteer=volunteer)
    signup.full_clean()
    signup.save()
    return signup


@transaction.atomic
def cancel_duty_signup(*, signup: DutySignup) -> DutySignup:
    signup = DutySignup.objects.select_for_update().get(pk=signup.pk)
    if signup.status != DutySignup.Status.SIGNED_UP:
        raise ValidationError(_("Only a sign-up that has not been checked in can be cancelled."))
    signup.status = DutySignup.Status.CANCELLED
    signup.save(update_fields=["status"])
    return signup


def _check_code_or_leader(*, signup: DutySignup, code: str | None, by: User | None) -> None:
    if by is not None:
        _require(by, "change", signup.duty)
    # Bytes: compare_digest refuses str with non-ASCII characters (TypeError) and a typed code may hold any.
    elif not code or not secrets.compare_digest(code.strip().encode(), signup.duty.check_in_code.encode()):
        raise ValidationError({"code": _("The code is wrong: use the code shown at the site.")})


@transaction.atomic
def check_in(*, signup: DutySignup, code: str | None = None, by: User | None = None) -> DutySignup:
    """Check in with the code shown at the site, or by the leader (``by``)."""
    signup = DutySignup.objects.select_for_update(of=("self",)).select_related("duty").get(pk=signup.pk)
    _check_code_or_leader(signup=signup, code=code, by=by)
    if signup.status != DutySignup.Status.SIGNED_UP:
        raise ValidationError(_("This sign-up has already been checked in or was cancelled."))
    now = timezone.now()
    if by is None and not (signup.duty.starts_at - CHECK_IN_OPENS <= now <= signup.duty.ends_at):
        raise ValidationError(_("Check-in opens an hour before the duty starts and closes when it ends."))
    signup.status = DutySignup.Status.CHECKED_IN
    signup.checked_in_at = now
    signup.checked_in_by = by
    signup.save(update_fields=["status", "checked_in_at", "checked_in_by"])
    return signup


def hours_between(start: datetime, end: datetime) -> Decimal:
    """Whole quarter hours, rounded to the nearest."""
    hours = Decimal((end - start).total_seconds()) / Decimal(3600)
    return (hours / QUARTER).quantize(Decimal(1), rounding=ROUND_HALF_UP) * QUARTER


@transaction.atomic
def check_out(*, signup: DutySignup, code: str | None = None, by: User | None = None) -> HourRecord | None:
    """Check out and record the hours served (waiting for the leader's verification).

    The time counted lies within the duty (plus an hour either side), so a forgotten
    check-out never turns into a day of service. Returns None when under a quarter hour.
    """
    signup = (
        DutySignup.objects.select_for_update(of=("self",))
        .select_related("duty", "volunteer")
        .get(pk=signup.pk)
    )
    _check_code_or_leader(signup=signup, code=code, by=by)
    if signup.status != DutySignup.Status.CHECKED_IN:
        raise ValidationError(_("Check in first."))
    duty = signup.duty
    now = timezone.now()
    if by is None and now > duty.ends_at + CHECK_OUT_CLOSES:
        raise ValidationError(_("Check-out has closed for this duty; ask the leader to record your hours."))
    signup.status = DutySignup.Status.CHECKED_OUT
    signup.checked_out_at = now
    signup.save(update_fields=["status", "checked_out_at"])
    start = max(signup.checked_in_at, duty.starts_at - CHECK_IN_OPENS)
    end = min(now, duty.ends_at + CHECK_IN_OPENS)
    hours = hours_between(start, end) if end > start else Decimal(0)
    if hours < QUARTER:
        return None
    record = HourRecord(
        volunteer=signup.volunteer,
        center_id=duty.center_id,
        team_id=duty.team_id,
        duty=duty,
        signup=signup,
        source=HourRecord.Source.ATTENDANCE,
        category=duty.weight_category,
        served_on=timezone.localdate(signup.checked_in_at),
        hours=min(hours, Decimal(24)),
        description=duty.title,
        recorded_by=by,
    )
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def record_hours(
    *,
    volunteer: Volunteer,
    served_on: date,
    hours: Decimal,
    by: User,
    team: Team | None = None,
    duty: Duty | None = None,
    center: Center | None = None,
    description: str = "",
    category: str | None = None,
) -> HourRecord:
    """The leader enters hours for a volunteer (e.g. a forgotten check-out); they still need verifying."""
    center = center or (duty.center if duty else team.center if team else None)
    if center is None:
        raise ValidationError(_("Hours belong to a team, a duty or a center."))
    require_in_center(by, HourRecord, "add", center)
    signup = DutySignup.objects.filter(duty=duty, volunteer=volunteer).first() if duty else None
    if signup is not None and HourRecord.objects.filter(signup=signup).exists():
        signup = None  # the duty's record exists already; this is an extra record for the same duty
    record = HourRecord(
        volunteer=volunteer,
        center=center,
        team=team or (duty.team if duty else None),
        duty=duty,
        signup=signup,
        source=HourRecord.Source.LEADER,
        category=category or (duty.weight_category if duty else Category.OTHER),
        served_on=served_on,
        hours=hours,
        description=description,
        recorded_by=by,
    )
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def report_hours(
    *, volunteer: Volunteer, team: Team, served_on: date, hours: Decimal, description: str, category: str
) -> HourRecord:
    """A volunteer reports hours served for one of their teams; the team's leader verifies them."""
    if not Membership.objects.filter(
        team=team, volunteer=volunteer, status=Membership.Status.APPROVED
    ).exists():
        raise ValidationError({"team": _("You can report hours only for a team you belong to.")})
    today = timezone.localdate()
    if served_on > today:
        raise ValidationError({"served_on": _("The date cannot be in the future.")})
    if served_on < today - timedelta(days=SELF_REPORT_WINDOW_DAYS):
        raise ValidationError(
            {
                "served_on": _("Hours older than %(days)s days cannot be reported.")
                % {"days": SELF_REPORT_WINDOW_DAYS}
            }
        )
    record = HourRecord(
        volunteer=volunteer,
        center_id=team.center_id,
        team=team,
        source=HourRecord.Source.SELF,
        category=category if category in Category.values else Category.OTHER,
        served_on=served_on,
        hours=hours,
        description=description,
    )
    record.full_clean()
    record.save()
    return record


def _reviewable(record: HourRecord, by: User) -> HourRecord:
    _require(by, "change", record)
    record = (
        HourRecord.objects.select_for_update(of=("self",))
        .select_related("volunteer", "duty")
        .get(pk=record.pk)
    )
    if record.volunteer.user_id == by.pk:
        raise PermissionDenied(_("Nobody verifies their own hours."))
    return record


@transaction.atomic
def verify_hours(*, record: HourRecord, by: User) -> HourRecord:
    """The leader confirms the hours; the points are credited in the same transaction. Idempotent."""
    record = _reviewable(record, by)
    if record.status != HourRecord.Status.VERIFIED:
        record.status = HourRecord.Status.VERIFIED
        record.reviewed_by = by
        record.reviewed_at = timezone.now()
        record.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    award_points(record=record, by=by)
    return record


@transaction.atomic
def dispute_hours(*, record: HourRecord, by: User, reason: str) -> HourRecord:
    """The leader questions the hours, saying why. Verified hours have earned points and stay verified."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"review_note": _("Say why the hours are disputed.")})
    record = _reviewable(record, by)
    if record.status == HourRecord.Status.VERIFIED:
        raise ValidationError(_("Verified hours cannot be disputed; adjust the points instead."))
    record.status = HourRecord.Status.DISPUTED
    record.reviewed_by = by
    record.reviewed_at = timezone.now()
    record.review_note = reason[:300]
    record.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    return record


def _certificate_number(issued: date) -> str:
    return f"ZYFW{issued:%Y%m%d}-{secrets.randbelow(1_000_000):06d}"


@transaction.atomic
def issue_certificate(*, volunteer: Volunteer) -> Certificate:
    """A numbered certificate of the verified hours so far, issued by the volunteer's home center."""
    totals = HourRecord.objects.filter(volunteer=volunteer, status=HourRecord.Status.VERIFIED).aggregate(
        hours=Sum("hours"), first=Min("served_on"), last=Max("served_on")
    )
    count = HourRecord.objects.filter(volunteer=volunteer, status=HourRecord.Status.VERIFIED).count()
    if not count:
        raise ValidationError(_("A certificate needs verified hours; none are verified yet."))
    for _attempt in range(5):
        certificate = Certificate(
            number=_certificate_number(timezone.localdate()),
            volunteer=volunteer,
            issuer_id=volunteer.center_id,
            hours=totals["hours"],
            record_count=count,
            first_served_on=totals["first"],
            last_served_on=totals["last"],
        )
        try:
            with transaction.atomic():
                certificate.save()
            return certificate
        except IntegrityError:
            continue
    raise ValidationError(_("Could not number the certificate; please try again."))


__all__ = [
    "cancel_duty_signup",
    "check_in",
    "check_out",
    "dispute_hours",
    "hours_between",
    "issue_certificate",
    "post_duty",
    "record_hours",
    "report_hours",
    "sign_up_for_duty",
    "verify_hours",
]

"""Spaces and their bookings, activities (one-off and recurring), sign-ups with a waitlist,
attendance, reminders, a center's notices and photos.

The Center itself lives in core; everything a center runs lives here.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.access import ALL_STAFF, FIELD_WORKERS, NOBODY, governed
from core.models import Center, Role


# ------------------------------------------------------------------ spaces and bookings
@governed(center="center", add=frozenset({Role.CENTER_MANAGER}), change=FIELD_WORKERS)
class Space(models.Model):
    """A room of a center that staff book for activities and meetings."""

    class Kind(models.TextChoices):
        DELIBERATION_HALL = "deliberation_hall", _("Deliberation hall")
        INCUBATION_ROOM = "incubation_room", _("Incubation room")
        CLASSROOM = "classroom", _("3:30 classroom")
        GREEN_LIVING_ROOM = "green_living_room", _("Green living room")
        ACTIVITY_ROOM = "activity_room", _("Activity room")
        OTHER = "other", _("Other")

    center = models.ForeignKey(
        Center, on_delete=models.CASCADE, related_name="spaces", verbose_name=_("center")
    )
    name = models.CharField(pgettext_lazy("space", "name"), max_length=100)
    kind = models.CharField(
        pgettext_lazy("space", "kind"), max_length=20, choices=Kind.choices, default=Kind.ACTIVITY_ROOM
    )
    capacity = models.PositiveIntegerField(_("seats"), default=0, help_text=_("0 when not relevant"))
    description = models.TextField(_("description"), blank=True)
    is_bookable = models.BooleanField(_("bookable"), default=True)

    class Meta:
        verbose_name = _("space")
        verbose_name_plural = _("spaces")
        ordering = ["center_id", "name"]
        constraints = [models.UniqueConstraint(fields=["center", "name"], name="space_unique_name")]

    def __str__(self) -> str:
        return f"{self.center.name} · {self.name}"


@governed(center="space__center")
class Booking(models.Model):
    """A space held from ``starts_at`` to ``ends_at`` (half-open). Two live bookings of one
    space never overlap: centers.services.book_space checks it, and on PostgreSQL an exclusion
    constraint (migration 0002) enforces it."""

    space = models.ForeignKey(
        Space, on_delete=models.CASCADE, related_name="bookings", verbose_name=_("space")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    purpose = models.CharField(_("purpose"), max_length=200)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("booked by"),
        db_index=False,
    )
    activity = models.OneToOneField(
        "Activity",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="booking",
        verbose_name=_("activity"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["space", "starts_at"], name="booking_space_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="booking_ends_after_start",
                violation_error_message=_("The end must be after the start."),
            ),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.space.name} {local:%Y-%m-%d %H:%M} {self.purpose}"


# ------------------------------------------------------------------ activities
MAX_ACTIVITY_DAYS = 7  # longer programmes are recurring activities


class Category(models.TextChoices):
    ELDERLY = "elderly", _("Elderly care")
    CHILDREN = "children", _("Children")
    ENVIRONMENT = "environment", pgettext_lazy("activity category", "Environment")
    CULTURE = "culture", _("Culture")
    PARTY_BUILDING = "party_building", _("Party building")
    HEALTH = "health", _("Health")
    SKILLS = "skills", _("Skills")
    VOLUNTEERING = "volunteering", _("Volunteering")
    DELIBERATION = "deliberation", _("Deliberation")
    OTHER = "other", _("Other")


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("Everyone")
    ELDERLY = "elderly", _("Older people")
    CHILDREN = "children", _("Children (signed up by a guardian)")
    FAMILIES = "families", _("Families")
    YOUTH = "youth", _("Young people")
    DISABLED = "disabled", _("People with disabilities")
    NEW_RESIDENTS = "new_residents", _("New residents")


@governed(center="center")
class ActivitySeries(models.Model):
    """A recurring activity (e.g. the 3:30 classroom every school day): a recurrence rule that
    generates dated occurrences, each an ordinary Activity with ``series`` set."""

    center = models.ForeignKey(
        Center, on_delete=models.CASCADE, related_name="activity_series", verbose_name=_("center")
    )
    space = models.ForeignKey(
        Space, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("space")
    )
    title = models.CharField(pgettext_lazy("activity", "title"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.EVERYONE
    )
    capacity = models.PositiveIntegerField(_("seats"))
    rrule = models.CharField(
        _("recurrence rule"),
        max_length=200,
        default="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        help_text=_("iCalendar RRULE, e.g. FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR for every school day"),
    )
    first_date = models.DateField(_("first date"))
    last_date = models.DateField(_("last date"), null=True, blank=True)
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))
    skip_dates = models.TextField(
        _("dates to skip"), blank=True, help_text=_("Holidays: one date per line, e.g. 2026-10-01")
    )
    signup_opens_days_before = models.PositiveSmallIntegerField(_("sign-up opens (days before)"), default=7)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("recurring activity")
        verbose_name_plural = _("recurring activities")
        ordering = ["center_id", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")),
                name="series_ends_after_start",
                violation_error_message=_("The end must be after the start."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


@governed(center="center")
class Activity(models.Model):
    """One dated activity of a center. ``confirmed_count`` is kept by the sign-up services under a
    row lock, and the database refuses more confirmed seats than ``capacity``."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    center = models.ForeignKey(
        Center, on_delete=models.CASCADE, related_name="activities", verbose_name=_("center")
    )
    space = models.ForeignKey(
        Space,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("space"),
    )
    series = models.ForeignKey(
        ActivitySeries,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="occurrences",
        verbose_name=_("recurring activity"),
    )
    title = models.CharField(pgettext_lazy("activity", "title"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.EVERYONE
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("seats"))
    confirmed_count = models.PositiveIntegerField(_("seats taken"), default=0, editable=False)
    signup_opens_at = models.DateTimeField(
        _("sign-up opens"), null=True, blank=True, help_text=_("Empty: open as soon as published")
    )
    signup_closes_at = models.DateTimeField(
        _("sign-up closes"), null=True, blank=True, help_text=_("Empty: open until the start")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
        db_index=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["status", "starts_at"], name="activity_status_start"),
            models.Index(fields=["center", "starts_at"], name="activity_center_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="activity_ends_after_start",
                violation_error_message=_("The end must be after the start."),
            ),
            models.CheckConstraint(
                condition=Q(confirmed_count__lte=F("capacity")),
                name="activity_not_overbooked",
                violation_error_message=_("There are more confirmed sign-ups than seats."),
            ),
            models.UniqueConstraint(
                fields=["series", "starts_at"],
                condition=Q(series__isnull=False),
                name="activity_unique_occurrence",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({timezone.localtime(self.starts_at):%Y-%m-%d %H:%M})"

    def get_absolute_url(self) -> str:
        return reverse("centers:activity_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        super().clean()
        if (
            self.starts_at
            and self.ends_at
            and self.ends_at - self.starts_at > dt.timedelta(days=MAX_ACTIVITY_DAYS)
        ):
            raise ValidationError(
                {
                    "ends_at": _(
                        "An activity lasts at most %(days)s days; make a longer programme a recurring activity."
                    )
                    % {"days": MAX_ACTIVITY_DAYS}
                }
            )

    @property
    def free_seats(self) -> int:
        return max(self.capacity - self.confirmed_count, 0)

    @property
    def is_full(self) -> bool:
        return self.confirmed_count >= self.capacity

    @property
    def for_children(self) -> bool:
        return self.audience == Audience.CHILDREN

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def has_ended(self) -> bool:
        return self.ends_at <= timezone.now()

    def signup_window_problem(self, now=None) -> str | None:
        """Why sign-up is refused right now (a translated message), or None when it is open."""
        now = now or timezone.now()
        if self.status != self.Status.PUBLISHED:
            return _("This activity is not open for sign-up.")
        if self.starts_at <= now:
            return _("This activity has already started; sign-up is closed.")
        if self.signup_opens_at and now < self.signup_opens_at:
            local = timezone.localtime(self.signup_opens_at)
            return _("Sign-up opens on %(when)s.") % {"when": f"{local:%Y-%m-%d %H:%M}"}
        if self.signup_closes_at and now >= self.signup_closes_at:
            return _("Sign-up for this activity has closed.")
        return None

    @property
    def is_open_for_signup(self) -> bool:
        return self.signup_window_problem() is None


# ------------------------------------------------------------------ people who sign up
@governed(owner="guardian", view=NOBODY, add=NOBODY, change=NOBODY, delete=NOBODY, district_admin=frozenset())
class Child(models.Model):
    """A child held under a guardian's account, so that the guardian can sign them up."""

    guardian = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="children",
        verbose_name=_("guardian"),
    )
    name = models.CharField(_("child's name"), max_length=50)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    relation = models.CharField(_("relation to the child"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("child")
        verbose_name_plural = _("children")
        ordering = ["guardian_id", "name"]
        constraints = [models.UniqueConstraint(fields=["guardian", "name"], name="child_unique_name")]

    def __str__(self) -> str:
        return self.name


@governed(center="activity__center", owner="resident", view=ALL_STAFF, delete=NOBODY)
class Signup(models.Model):
    """A resident's place in an activity (for a child: the guardian's, with ``child`` set).

    One row per person and activity: a cancelled row is reused when the person signs up again.
    Attendance (check-in) and, for children, who collected them, are recorded on the row.
    """

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waitlist")
        CANCELLED = "cancelled", _("Cancelled")

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online")
        COUNTER = "counter", _("At the counter")
        PHONE = "phone", _("By phone")

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="signups", verbose_name=_("activity")
    )
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="activity_signups",
        verbose_name=_("resident"),
    )
    child = models.ForeignKey(
        Child,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="signups",
        verbose_name=_("child"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
        db_index=False,
    )
    # Waitlist order: the time of the latest (re-)sign-up, then the id.
    signed_up_at = models.DateTimeField(_("signed up at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    code = models.CharField(_("check-in code"), max_length=6)
    attended_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked in by"),
        db_index=False,
    )
    collected_by = models.CharField(_("collected by"), max_length=50, blank=True)
    collected_at = models.DateTimeField(_("collected at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["activity_id", "signed_up_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "resident"],
                condition=Q(child__isnull=True),
                name="signup_unique_resident",
            ),
            models.UniqueConstraint(
                fields=["activity", "child"],
                condition=Q(child__isnull=False),
                name="signup_unique_child",
            ),
            models.CheckConstraint(
                condition=Q(status="confirmed") | Q(attended_at__isnull=True),
                name="signup_only_confirmed_attend",
            ),
        ]

    def __str__(self) -> str:
        who = self.child.name if self.child_id else str(self.resident)
        return f"{who} · {self.activity.title}"

    @property
    def is_active(self) -> bool:
        return self.status != self.Status.CANCELLED


@governed(center="signup__activity__center", add=NOBODY, change=NOBODY, delete=NOBODY)
class Reminder(models.Model):
    """The log of reminders sent: at most one per sign-up and moment (hours before the start)."""

    signup = models.ForeignKey(
        Signup, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("sign-up")
    )
    hours_before = models.PositiveSmallIntegerField(_("hours before"))
    channel = models.CharField(_("sent by"), max_length=10)
    sent_at = models.DateTimeField(pgettext_lazy("reminder", "sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("activity reminder")
        verbose_name_plural = _("activity reminders")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["signup", "hours_before"], name="reminder_once_per_moment"),
        ]

    def __str__(self) -> str:
        return f"{self.signup_id} -{self.hours_before}h"


class CalendarToken(models.Model):
    """The secret in a resident's personal iCal address; replacing it revokes the old address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_token",
        verbose_name=_("user"),
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now=True)

    class Meta:
        verbose_name = _("calendar address")
        verbose_name_plural = _("calendar addresses")

    def __str__(self) -> str:
        return f"{self.user_id}"


governed(owner="user", view=NOBODY, add=NOBODY, change=NOBODY, delete=NOBODY, district_admin=frozenset())(
    CalendarToken
)


# ------------------------------------------------------------------ what a center shows
@governed(center="center")
class CenterNotice(models.Model):
    """A short notice on a center's page (opening hours at the holidays, a new service, ...)."""

    center = models.ForeignKey(
        Center, on_delete=models.CASCADE, related_name="notices", verbose_name=_("center")
    )
    title = models.CharField(pgettext_lazy("activity", "title"), max_length=150)
    body = models.TextField(_("text"))
    published_at = models.DateTimeField(pgettext_lazy("notice", "published at"), default=timezone.now)
    expires_at = models.DateTimeField(_("shown until"), null=True, blank=True)
    is_published = models.BooleanField(_("published"), default=True)

    class Meta:
        verbose_name = _("center notice")
        verbose_name_plural = _("center notices")
        ordering = ["-published_at"]
        indexes = [models.Index(fields=["center", "published_at"], name="notice_center_published")]

    def __str__(self) -> str:
        return self.title


def _photo_path(instance, filename: str) -> str:
    # The name comes from the server, never from the upload.
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"photos/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{ext}"


def _thumb_path(instance, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"photos/{timezone.now():%Y/%m}/{uuid.uuid4().hex}-thumb.{ext}"


@governed(center="center")
class Photo(models.Model):
    """A photo of a center or of one of its activities, re-encoded by centers.photos."""

    center = models.ForeignKey(
        Center, on_delete=models.CASCADE, related_name="photos", verbose_name=_("center")
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="photos",
        verbose_name=_("activity"),
    )
    image = models.ImageField(_("photo"), upload_to=_photo_path, width_field="width", height_field="height")
    thumbnail = models.ImageField(_("thumbnail"), upload_to=_thumb_path)
    width = models.PositiveIntegerField(_("width"), default=0, editable=False)
    height = models.PositiveIntegerField(_("height"), default=0, editable=False)
    caption = models.CharField(_("caption"), max_length=150, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
        db_index=False,
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.caption or self.image.name

"""Service requests (我要服务), their assignment, history, reminders and the resident's feedback."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.access import ALL_STAFF, NOBODY, governed
from core.models import Center, Community
from core.validators import validate_mobile

from .sites import CollectionSite, ServiceVehicle


def request_photo_path(instance, filename: str) -> str:
    """Server-generated names: the uploaded file name is never used (it may carry personal data)."""
    return f"requests/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.jpg"


class Category(models.TextChoices):
    ELDERLY_HELP = "elderly_help", _("Elderly help")
    REPAIRS = "repairs", _("Repairs")
    COMPANIONSHIP = "companionship", _("Companionship")
    MEDIATION = "mediation", _("Mediation")
    ENVIRONMENT = "environment", _("Environment")
    CHILD_CARE = "child_care", _("Child care")
    OTHER = "other", _("Other")


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    HOTLINE = "hotline", _("24-hour hotline")
    COLLECTION_SITE = "site", _("Collection site")
    APP = "app", _("App")
    WECHAT = "wechat", _("WeChat")


class Status(models.TextChoices):
    NEW = "new", _("New")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANNOT_BE_DONE = "cannot", _("Cannot be done")


OPEN_STATUSES = frozenset({Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS})
CLOSED_STATUSES = frozenset({Status.DONE, Status.CANNOT_BE_DONE})
# The only moves a request can make; services refuse every other one.
TRANSITIONS = {
    Status.NEW: frozenset({Status.ASSIGNED, Status.CANNOT_BE_DONE}),
    Status.ASSIGNED: frozenset({Status.NEW, Status.IN_PROGRESS, Status.DONE, Status.CANNOT_BE_DONE}),
    Status.IN_PROGRESS: frozenset({Status.DONE, Status.CANNOT_BE_DONE}),
    Status.DONE: frozenset(),
    Status.CANNOT_BE_DONE: frozenset(),
}


@governed(center="center", view=ALL_STAFF, add=ALL_STAFF, change=ALL_STAFF, delete=NOBODY)
class ServiceRequest(models.Model):
    """A resident's request for help, from the web or recorded by staff from another channel.

    Residents reach their own requests through ``public_id`` (the status page) and /me/; the
    access rule therefore names no owner: staff see the requests of their centers.
    """

    number = models.CharField(_("request number"), max_length=12, unique=True, editable=False)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    description = models.TextField(_("what do you need"), max_length=2000)
    photo = models.ImageField(_("photo"), upload_to=request_photo_path, blank=True)
    address = models.CharField(_("where"), max_length=255, blank=True)
    center = models.ForeignKey(
        Center, on_delete=models.PROTECT, related_name="service_requests", verbose_name=_("center")
    )
    community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_requests",
        verbose_name=_("community"),
    )
    channel = models.CharField(
        pgettext_lazy("service request", "channel"),
        max_length=10,
        choices=Channel.choices,
        default=Channel.WEB,
    )
    collection_site = models.ForeignKey(
        CollectionSite,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_requests",
        verbose_name=_("collection site"),
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="service_requests",
        verbose_name=_("requester"),
    )
    contact_name = models.CharField(_("contact name"), max_length=50, blank=True)
    contact_phone = models.CharField(
        _("contact mobile number"), max_length=11, blank=True, validators=[validate_mobile]
    )
    phone_confirmed = models.BooleanField(_("mobile number confirmed by SMS code"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NEW)
    # Unassigned since: set on arrival and whenever an assignee declines (drives reminders).
    waiting_since = models.DateTimeField(_("waiting since"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("first assigned at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closing_note = models.CharField(_("closing note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["center", "status", "-created_at"], name="dispatch_req_center_status"),
            models.Index(fields=["status", "waiting_since"], name="dispatch_req_waiting"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(status__in=["done", "cannot"], closed_at__isnull=False)
                    | (~Q(status__in=["done", "cannot"]) & Q(closed_at__isnull=True))
                ),
                name="dispatch_request_closed_at_iff_closed",
            ),
            models.CheckConstraint(
                condition=~Q(status="new") | Q(waiting_since__isnull=False),
                name="dispatch_request_new_is_waiting",
            ),
            models.CheckConstraint(
                condition=~Q(channel="site") | Q(collection_site__isnull=False),
                name="dispatch_request_site_channel_names_site",
            ),
            models.CheckConstraint(
                condition=Q(requester__isnull=False) | ~Q(contact_phone=""),
                name="dispatch_request_reachable",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.get_category_display()}"

    def get_absolute_url(self) -> str:
        return reverse("dispatch:status", kwargs={"public_id": self.public_id})

    def get_desk_url(self) -> str:
        return reverse("dispatch:desk_detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def display_number(self) -> str:
        return f"{self.number[:6]}-{self.number[6:]}" if len(self.number) == 12 else self.number

    @property
    def masked_phone(self) -> str:
        p = self.contact_phone
        return f"{p[:3]}****{p[-4:]}" if p else ""


@governed(center="request__center", view=ALL_STAFF, add=ALL_STAFF, change=ALL_STAFF, delete=NOBODY)
class Assignment(models.Model):
    """Who was asked to serve a request, and their answer. At most one is active per request."""

    class Kind(models.TextChoices):
        VOLUNTEER = "volunteer", _("Volunteer")
        TEAM = "team", _("Volunteer team")
        SITE = "site", _("Fixed service site")
        VEHICLE = "vehicle", _("Mobile service vehicle")

    class Response(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", pgettext_lazy("assignment", "Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    ACTIVE = (Response.PENDING, Response.ACCEPTED)

    request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("request")
    )
    kind = models.CharField(_("assigned to"), max_length=10, choices=Kind.choices)
    volunteer = models.ForeignKey(
        "volunteers.Volunteer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dispatch_assignments",
        verbose_name=_("volunteer"),
    )
    team = models.ForeignKey(
        "volunteers.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dispatch_assignments",
        verbose_name=_("volunteer team"),
    )
    site = models.ForeignKey(
        CollectionSite,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("fixed service site"),
    )
    vehicle = models.ForeignKey(
        ServiceVehicle,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("mobile service vehicle"),
    )
    response = models.CharField(
        _("answer"), max_length=10, choices=Response.choices, default=Response.PENDING
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-assigned_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(response__in=["pending", "accepted"]),
                name="dispatch_one_active_assignment",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        kind="volunteer",
                        volunteer__isnull=False,
                        team__isnull=True,
                        site__isnull=True,
                        vehicle__isnull=True,
                    )
                    | Q(
                        kind="team",
                        team__isnull=False,
                        volunteer__isnull=True,
                        site__isnull=True,
                        vehicle__isnull=True,
                    )
                    | Q(
                        kind="site",
                        site__isnull=False,
                        volunteer__isnull=True,
                        team__isnull=True,
                        vehicle__isnull=True,
                    )
                    | Q(
                        kind="vehicle",
                        vehicle__isnull=False,
                        volunteer__isnull=True,
                        team__isnull=True,
                        site__isnull=True,
                    )
                ),
                name="dispatch_assignment_target_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(response="pending") | Q(responded_at__isnull=False),
                name="dispatch_assignment_answer_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request.number} → {self.assignee_label}"

    @property
    def assignee(self):
        return getattr(self, self.kind, None)

    @property
    def assignee_label(self) -> str:
        return str(self.assignee or self.get_kind_display())

    @property
    def is_active(self) -> bool:
        return self.response in self.ACTIVE


@governed(center="request__center", view=ALL_STAFF, add=NOBODY, change=NOBODY, delete=NOBODY)
class StatusChange(models.Model):
    """One time-stamped step in a request's life; append-only. The requester is told of each."""

    request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="history", verbose_name=_("request")
    )
    from_status = models.CharField(
        pgettext_lazy("status change", "from"), max_length=12, choices=Status.choices, blank=True
    )
    to_status = models.CharField(pgettext_lazy("status change", "to"), max_length=12, choices=Status.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    notified_at = models.DateTimeField(_("requester told at"), null=True, blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["request", "at"], name="dispatch_change_request_at")]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.from_status or '-'} → {self.to_status}"


@governed(center="request__center", view=ALL_STAFF, add=NOBODY, change=NOBODY, delete=NOBODY)
class DispatchReminder(models.Model):
    """A nudge to the dispatcher about a request left unassigned; one per level per waiting spell."""

    class Level(models.TextChoices):
        REMIND = "remind", _("Reminder")
        ESCALATE = "escalate", _("Escalation")

    request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("request")
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    waiting_since = models.DateTimeField(_("waiting since"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("dispatch reminder")
        verbose_name_plural = _("dispatch reminders")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "level", "waiting_since"], name="dispatch_one_reminder_per_level"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} · {self.request_id}"


@governed(center="request__center", view=ALL_STAFF, add=ALL_STAFF, change=NOBODY, delete=NOBODY)
class Feedback(models.Model):
    """The satisfaction callback after a request is done: given online or recorded by staff."""

    class Source(models.TextChoices):
        ONLINE = "online", _("Online, by the resident")
        STAFF = "staff", _("Recorded by staff on a call-back")

    request = models.OneToOneField(
        ServiceRequest, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("request")
    )
    rating = models.PositiveSmallIntegerField(_("satisfaction (1 to 5)"))
    comment = models.TextField(_("comment"), max_length=1000, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("given at"), default=timezone.now)

    class Meta:
        verbose_name = _("satisfaction feedback")
        verbose_name_plural = _("satisfaction feedback")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="dispatch_rating_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.rating}"


@governed(view=NOBODY, add=NOBODY, change=NOBODY, delete=NOBODY)
class PendingRequest(models.Model):
    """A web request from a resident who is not signed in, held until the SMS code is typed.

    Only the code's salted hash is kept; it expires and allows a few attempts. Confirming turns
    the draft into a ServiceRequest; unconfirmed drafts are purged by the periodic task.
    """

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    phone = models.CharField(_("mobile number"), max_length=11, validators=[validate_mobile])
    data = models.JSONField(_("what was typed"), default=dict)
    photo = models.ImageField(_("photo"), upload_to=request_photo_path, blank=True)
    code_hash = models.CharField(max_length=64)
    code_sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    codes_sent = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    request = models.OneToOneField(
        ServiceRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("request awaiting its SMS code")
        verbose_name_plural = _("requests awaiting their SMS code")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(self.token)

"""3+1 four-party meetings, from invitation to public notice and follow-up.

A meeting moves through ``Meeting.Status`` only by the services in ``deliberation.services``;
every move is logged as a ``Transition`` (when, who).

Scope rule: a meeting belongs to the center that hosts it (``center``; it must be in the street
of the meeting's ``community``). That center's social workers and manager see and run it; street
staff see every center of their street, read-only; the district administrator sees all. The
public sees only meetings on public notice or closed. Mediation cases follow the same rule,
plus the case's mediator.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.access import ALL_STAFF, FIELD_WORKERS, NOBODY, governed
from core.models import Center, Community
from core.validators import validate_mobile


class Party(models.TextChoices):
    """The four parties of a 3+1 meeting (引领方, 主体方, 资源方, +1 专业社工)."""

    LEADING = "leading", _("Leading party")
    PRINCIPAL = "principal", _("Principal party")
    RESOURCE = "resource", _("Resource party")
    PROFESSIONAL = "professional", _("Professional social work")


PARTY_MEMBERS = {
    Party.LEADING: _("community committees"),
    Party.PRINCIPAL: _("residents, owners, owners' committee"),
    Party.RESOURCE: _("property company, units based in the community"),
    Party.PROFESSIONAL: _("the social organization that organizes and chairs"),
}

PUBLIC_STATUSES = ("notice", "closed")
# The parties in their usual order (引领方, 主体方, 资源方, +1), for sorting participants.
PARTY_ORDER = models.Case(
    *[models.When(party=party, then=models.Value(i)) for i, party in enumerate(Party.values)],
    output_field=models.IntegerField(),
)


@governed(center="center", view=ALL_STAFF, add=FIELD_WORKERS, change=FIELD_WORKERS)
class Meeting(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        OPINIONS = "opinions", _("Opinions recorded")
        VOTING = "voting", _("Voting")
        PRELIMINARY = "preliminary", _("Preliminary plan")
        INSPECTION = "inspection", _("Site inspection")
        FINAL = "final", _("Final plan")
        NOTICE = "notice", _("Public notice")
        CLOSED = "closed", pgettext_lazy("meeting", "Closed")
        CANCELLED = "cancelled", _("Cancelled")

    topic = models.CharField(_("topic"), max_length=200)
    background = models.TextField(_("background"), blank=True, help_text=_("What is to be decided, and why."))
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="deliberation_meetings", verbose_name=_("community")
    )
    center = models.ForeignKey(
        Center,
        on_delete=models.PROTECT,
        related_name="deliberation_meetings",
        verbose_name=_("hosting center"),
        help_text=_("The center whose staff run the meeting; it decides who may see and change it."),
    )
    space = models.ForeignKey(
        "centers.Space",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliberation_meetings",
        verbose_name=_("space"),
        help_text=_(
            "A space of the hosting center (e.g. its deliberation hall), booked when the meeting is scheduled."
        ),
    )
    booking = models.OneToOneField(
        "centers.Booking",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="deliberation_meeting",
        verbose_name=_("booking"),
    )
    location = models.CharField(
        _("place"), max_length=200, blank=True, help_text=_("Where, in words (used when no space is booked).")
    )
    organizer = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliberation_meetings",
        verbose_name=_("organizing organization (+1)"),
        help_text=_("The professional social organization that organizes and chairs."),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    chair = models.ForeignKey(
        "Participant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chair"),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    quorum_percent = models.PositiveSmallIntegerField(
        _("quorum (%)"),
        default=50,
        help_text=_(
            "A vote counts only when at least this share of the attending participants cast a ballot."
        ),
    )
    notice_days = models.PositiveSmallIntegerField(
        _("public notice (days)"), default=7, help_text=_("How long the final plan is posted for residents.")
    )
    chosen_option = models.ForeignKey(
        "Option",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("option chosen by the vote"),
    )
    preliminary_plan = models.TextField(_("preliminary plan"), blank=True)
    final_plan = models.TextField(_("final plan"), blank=True)
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
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("3+1 meeting")
        verbose_name_plural = _("3+1 meetings")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["status", "starts_at"], name="delib_meeting_status_start"),
            models.Index(fields=["center", "starts_at"], name="delib_meeting_center_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="delib_meeting_ends_after_start",
                violation_error_message=_("The end must be after the start."),
            ),
            models.CheckConstraint(
                condition=Q(quorum_percent__gte=1, quorum_percent__lte=100),
                name="delib_meeting_quorum_percent",
                violation_error_message=_("The quorum is a share between 1 and 100 per cent."),
            ),
            models.CheckConstraint(
                condition=Q(notice_days__gte=1, notice_days__lte=90),
                name="delib_meeting_notice_days",
                violation_error_message=_("A public notice lasts between 1 and 90 days."),
            ),
        ]

    def __str__(self) -> str:
        return self.topic

    def get_absolute_url(self) -> str:
        return reverse("deliberation:detail", kwargs={"pk": self.pk})

    def get_manage_url(self) -> str:
        return reverse("deliberation:manage", kwargs={"pk": self.pk})

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    def clean(self) -> None:
        super().clean()
        if self.center_id and self.community_id and self.center.street_id != self.community.street_id:
            raise ValidationError({"center": _("The hosting center must be in the street of the community.")})
        if self.space_id and self.center_id and self.space.center_id != self.center_id:
            raise ValidationError({"space": _("Choose a space of the hosting center.")})

    @property
    def place(self) -> str:
        if self.space_id:
            return f"{self.center.name}{self.space.name}"
        return self.location or self.center.name


@governed(center="meeting__center")
class Participant(models.Model):
    """Someone invited to a meeting, in one of the four parties. Attendance is recorded once the
    meeting is held (``attended`` stays empty until then)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="participants", verbose_name=_("meeting")
    )
    party = models.CharField(_("party"), max_length=12, choices=Party.choices)
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    affiliation = models.CharField(
        _("affiliation"),
        max_length=100,
        blank=True,
        help_text=_("e.g. community party secretary, owner of building 3"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliberation_participations",
        verbose_name=_("account"),
    )
    phone = models.CharField(
        _("mobile number"),
        max_length=11,
        blank=True,
        validators=[validate_mobile],
        help_text=_("For the invitation and the reminder by text message."),
    )
    invited_at = models.DateTimeField(_("invited at"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["meeting_id", PARTY_ORDER, "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=Q(user__isnull=False),
                name="delib_participant_unique_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_party_display()}）"

    @property
    def contact_phone(self) -> str:
        return self.phone or (self.user.phone if self.user_id and self.user.phone else "")


@governed(center="participant__meeting__center", view=ALL_STAFF, add=NOBODY, change=NOBODY, delete=NOBODY)
class Reminder(models.Model):
    """One text message sent to one participant for one reason: the unique constraint makes
    the reminder tasks idempotent."""

    class Kind(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        DAY_BEFORE = "day_before", _("Reminder the day before")

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("participant")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "kind"], name="delib_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.participant} {self.get_kind_display()}"


@governed(center="meeting__center")
class OpinionCategory(models.Model):
    """A heading under which the organizer groups what was said (location, hygiene, safety...)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="categories", verbose_name=_("meeting")
    )
    name = models.CharField(_("name"), max_length=30)

    class Meta:
        verbose_name = _("opinion category")
        verbose_name_plural = _("opinion categories")
        ordering = ["meeting_id", "name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "name"], name="delib_category_unique_name")]

    def __str__(self) -> str:
        return self.name


@governed(center="meeting__center")
class Opinion(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="opinions", verbose_name=_("meeting")
    )
    speaker = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="opinions", verbose_name=_("speaker")
    )
    party = models.CharField(_("speaker's party"), max_length=12, choices=Party.choices)
    text = models.TextField(_("opinion"))
    categories = models.ManyToManyField(
        OpinionCategory, related_name="opinions", blank=True, verbose_name=_("categories")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
        db_index=False,
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")
        ordering = ["meeting_id", "recorded_at", "id"]

    def __str__(self) -> str:
        return self.text[:40]


@governed(center="meeting__center")
class Option(models.Model):
    """A proposal put to the vote (e.g. one site for the garbage drop station)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="options", verbose_name=_("meeting")
    )
    title = models.CharField(_("option"), max_length=150)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["meeting_id", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "title"], name="delib_option_unique_title")]

    def __str__(self) -> str:
        return self.title


@governed(center="meeting__center")
class Ballot(models.Model):
    """One round of voting. A tie or a missed quorum decides nothing: the organizer opens a new
    round (a run-off between the tied options). At most one round of a meeting is open."""

    class Outcome(models.TextChoices):
        OPEN = "open", _("Open")
        DECIDED = "decided", _("Decided")
        TIE = "tie", _("Tie")
        NO_QUORUM = "no_quorum", _("Quorum not reached")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="ballots", verbose_name=_("meeting")
    )
    number = models.PositiveSmallIntegerField(_("round"))
    options = models.ManyToManyField(Option, related_name="ballots", verbose_name=_("options"))
    quorum = models.PositiveIntegerField(_("ballots needed"), help_text=_("Computed when the round opens."))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.OPEN)
    winner = models.ForeignKey(
        Option, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("winner")
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["meeting_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="delib_ballot_unique_round"),
            models.UniqueConstraint(
                fields=["meeting"], condition=Q(outcome="open"), name="delib_ballot_one_open_round"
            ),
            models.CheckConstraint(
                condition=Q(outcome="decided", winner__isnull=False)
                | (~Q(outcome="decided") & Q(winner__isnull=True)),
                name="delib_ballot_winner_iff_decided",
            ),
            models.CheckConstraint(
                condition=Q(outcome="open", closed_at__isnull=True)
                | (~Q(outcome="open") & Q(closed_at__isnull=False)),
                name="delib_ballot_closed_iff_not_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} #{self.number}"

    @property
    def is_open(self) -> bool:
        return self.outcome == self.Outcome.OPEN


@governed(center="ballot__meeting__center")
class Vote(models.Model):
    """One participant's vote in one round: for an option, or an abstention (no option)."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="votes", verbose_name=_("vote"))
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="votes", verbose_name=_("participant")
    )
    option = models.ForeignKey(
        Option,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="votes",
        verbose_name=_("option"),
        help_text=_("Empty: abstention."),
    )
    cast_at = models.DateTimeField(_("cast at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
        db_index=False,
    )

    class Meta:
        verbose_name = _("ballot paper")
        verbose_name_plural = _("ballot papers")
        ordering = ["ballot_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "participant"],
                name="delib_vote_one_per_participant",
                violation_error_message=_("This participant has already voted in this round."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant}: {self.option or _('abstains')}"


@governed(center="meeting__center")
class SiteInspection(models.Model):
    """The visit to the site before the final plan: a task with a due date, then its record."""

    meeting = models.OneToOneField(
        Meeting, on_delete=models.CASCADE, related_name="inspection", verbose_name=_("meeting")
    )
    task = models.TextField(_("what to inspect"))
    responsible = models.CharField(_("responsible"), max_length=100)
    due_on = models.DateField(pgettext_lazy("deadline", "due on"))
    findings = models.TextField(_("findings"), blank=True)
    inspected_on = models.DateField(_("inspected on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
        db_index=False,
    )

    class Meta:
        verbose_name = _("site inspection")
        verbose_name_plural = _("site inspections")
        ordering = ["due_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(inspected_on__isnull=True, findings="")
                | (Q(inspected_on__isnull=False) & ~Q(findings="")),
                name="delib_inspection_record_complete",
                violation_error_message=_("A recorded inspection has both a date and findings."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.due_on}"

    @property
    def is_done(self) -> bool:
        return self.inspected_on is not None

    @property
    def is_overdue(self) -> bool:
        return not self.is_done and self.due_on < timezone.localdate()


@governed(center="inspection__meeting__center")
class InspectionPhoto(models.Model):
    """A photo of the site; checked and re-encoded by deliberation.photos (no EXIF, no GPS)."""

    inspection = models.ForeignKey(
        SiteInspection, on_delete=models.CASCADE, related_name="photos", verbose_name=_("site inspection")
    )
    image = models.ImageField(
        _("photo"), upload_to="deliberation/inspections/%Y/%m/", width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(_("width"), default=0, editable=False)
    height = models.PositiveIntegerField(_("height"), default=0, editable=False)
    caption = models.CharField(_("caption"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("inspection photo")
        verbose_name_plural = _("inspection photos")
        ordering = ["inspection_id", "id"]

    def __str__(self) -> str:
        return self.caption or self.image.name


@governed(center="meeting__center", add=NOBODY, delete=NOBODY)
class Notice(models.Model):
    """The public notice (公示) of a final plan. An unanswered objection pauses it; when every
    objection is answered it resumes and its end moves by the time it stood paused."""

    class Status(models.TextChoices):
        OPEN = "open", _("On public notice")
        PAUSED = "paused", _("Paused: an objection awaits an answer")
        ENDED = "ended", _("Notice period over")

    meeting = models.OneToOneField(
        Meeting, on_delete=models.CASCADE, related_name="notice", verbose_name=_("meeting")
    )
    text = models.TextField(_("plan as posted"))
    days = models.PositiveSmallIntegerField(_("days"))
    published_at = models.DateTimeField(_("published at"))
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    paused_at = models.DateTimeField(_("paused since"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
        db_index=False,
    )

    class Meta:
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        ordering = ["-published_at"]
        indexes = [models.Index(fields=["status", "ends_at"], name="delib_notice_status_end")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="paused", paused_at__isnull=False)
                | (~Q(status="paused") & Q(paused_at__isnull=True)),
                name="delib_notice_paused_since",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("published_at")), name="delib_notice_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting}（{self.get_status_display()}）"

    @property
    def is_paused(self) -> bool:
        return self.status == self.Status.PAUSED

    @property
    def accepts_objections(self) -> bool:
        """Open or paused, and (when open) its end not yet reached."""
        if self.status == self.Status.PAUSED:
            return True
        return self.status == self.Status.OPEN and self.ends_at > timezone.now()

    @property
    def display_status(self) -> str:
        if self.status == self.Status.OPEN and self.ends_at <= timezone.now():
            return self.Status.ENDED.label
        return self.get_status_display()

    @property
    def status_key(self) -> str:
        if self.status == self.Status.OPEN and self.ends_at <= timezone.now():
            return self.Status.ENDED
        return self.status


@governed(center="notice__meeting__center", owner="author", add=NOBODY, delete=NOBODY)
class Objection(models.Model):
    """A resident's objection to a posted plan. Shown publicly without the author's name."""

    notice = models.ForeignKey(
        Notice, on_delete=models.CASCADE, related_name="objections", verbose_name=_("public notice")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="deliberation_objections",
        verbose_name=_("resident"),
    )
    text = models.TextField(_("objection"))
    created_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
        db_index=False,
    )

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["notice_id", "created_at", "id"]
        constraints = [
            # One waiting objection per resident and notice: a double post files one objection.
            models.UniqueConstraint(
                fields=["notice", "author"],
                condition=Q(answered_at__isnull=True),
                name="delib_objection_one_waiting_per_resident",
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True, answer="")
                | (Q(answered_at__isnull=False) & ~Q(answer="")),
                name="delib_objection_answer_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


@governed(center="meeting__center")
class FollowUp(models.Model):
    """What must happen after the decision, tracked until it is implemented."""

    class Status(models.TextChoices):
        TODO = "todo", _("To do")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Implemented")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("meeting")
    )
    title = models.CharField(pgettext_lazy("follow-up", "item"), max_length=200)
    responsible = models.CharField(_("responsible"), max_length=100)
    due_on = models.DateField(pgettext_lazy("deadline", "due on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.TODO)
    note = models.CharField(_("progress note"), max_length=255, blank=True)
    done_on = models.DateField(_("implemented on"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("follow-up item")
        verbose_name_plural = _("follow-up items")
        ordering = ["meeting_id", "due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="done", done_on__isnull=False)
                | (~Q(status="done") & Q(done_on__isnull=True)),
                name="delib_followup_done_on_iff_done",
            ),
        ]

    def __str__(self) -> str:
        return self.title


@governed(center="meeting__center", add=NOBODY, change=NOBODY, delete=NOBODY)
class Transition(models.Model):
    """The log of a meeting's moves: from which status to which, when and by whom. Append-only."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("meeting")
    )
    from_status = models.CharField(
        pgettext_lazy("status", "from"), max_length=12, choices=Meeting.Status.choices
    )
    to_status = models.CharField(pgettext_lazy("status", "to"), max_length=12, choices=Meeting.Status.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
        db_index=False,
    )
    note = models.CharField(pgettext_lazy("remark", "note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["meeting_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


__all__ = [
    "Party",
    "PARTY_MEMBERS",
    "PUBLIC_STATUSES",
    "Meeting",
    "Participant",
    "Reminder",
    "OpinionCategory",
    "Opinion",
    "Option",
    "Ballot",
    "Vote",
    "SiteInspection",
    "InspectionPhoto",
    "Notice",
    "Objection",
    "FollowUp",
    "Transition",
]

"""Emergency mobilisation (应急动员): a call to volunteers, their answers, and the waves it went out in."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.access import ALL_STAFF, NOBODY, governed
from core.models import Center, Community


@governed(center="center", view=ALL_STAFF, add=ALL_STAFF, change=ALL_STAFF, delete=NOBODY)
class Mobilisation(models.Model):
    """A call such as epidemic prevention, first sent to volunteers matching its filters.

    If fewer than ``needed`` say they are coming within ``answer_within_minutes``, the call goes
    to the next, wider group (see ``Wave.Group``), until the district has been asked.
    """

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("emergency call", "Open")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=150)
    message = models.TextField(_("what, where and when"), max_length=1000)
    center = models.ForeignKey(
        Center, on_delete=models.PROTECT, related_name="mobilisations", verbose_name=_("calling center")
    )
    communities = models.ManyToManyField(
        Community,
        blank=True,
        related_name="mobilisations",
        verbose_name=_("volunteers serving these communities"),
    )
    team = models.ForeignKey(
        "volunteers.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mobilisations",
        verbose_name=_("members of this team"),
    )
    skill = models.ForeignKey(
        "volunteers.Skill",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mobilisations",
        verbose_name=_("with this skill"),
    )
    needed = models.PositiveSmallIntegerField(_("volunteers needed"), default=10)
    answer_within_minutes = models.PositiveSmallIntegerField(_("answer within (minutes)"), default=30)
    wave = models.PositiveSmallIntegerField(_("current group"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    exhausted = models.BooleanField(_("every group has been asked"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("called by"),
    )
    created_at = models.DateTimeField(_("called at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("emergency call")
        verbose_name_plural = _("emergency calls")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(needed__gte=1), name="dispatch_call_needs_someone"),
            models.CheckConstraint(
                condition=Q(answer_within_minutes__gte=1), name="dispatch_call_has_deadline"
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | Q(status="closed", closed_at__isnull=False),
                name="dispatch_call_closed_at_iff_closed",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("dispatch:mobilisation_detail", kwargs={"pk": self.pk})

    def get_answer_url(self) -> str:
        return reverse("dispatch:call_answer", kwargs={"pk": self.pk})


@governed(center="mobilisation__center", view=ALL_STAFF, add=NOBODY, change=NOBODY, delete=NOBODY)
class Wave(models.Model):
    """One group a call went out to. The unique (call, number) makes escalation happen once."""

    class Group(models.TextChoices):
        MATCHING = "matching", _("Volunteers matching the call's filters")
        STREET_SKILL = "street_skill", _("Volunteers of the street with the skill")
        STREET = "street", _("All volunteers of the street")
        DISTRICT = "district", _("All volunteers of the district")

    ORDER = [Group.MATCHING, Group.STREET_SKILL, Group.STREET, Group.DISTRICT]

    mobilisation = models.ForeignKey(
        Mobilisation, on_delete=models.CASCADE, related_name="waves", verbose_name=_("emergency call")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    group = models.CharField(pgettext_lazy("emergency call", "group"), max_length=15, choices=Group.choices)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    recipients = models.PositiveIntegerField(_("volunteers asked"), default=0)

    class Meta:
        verbose_name = _("call group")
        verbose_name_plural = _("call groups")
        ordering = ["mobilisation_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["mobilisation", "number"], name="dispatch_one_wave_per_number"),
        ]

    def __str__(self) -> str:
        return f"{self.mobilisation_id} #{self.number} {self.get_group_display()}"


@governed(
    center="mobilisation__center",
    owner="volunteer__user",
    view=ALL_STAFF,
    add=NOBODY,
    change=NOBODY,
    delete=NOBODY,
)
class CallAnswer(models.Model):
    """A volunteer on a call's roster and what they answered."""

    class Answer(models.TextChoices):
        WAITING = "waiting", _("No answer yet")
        RECEIVED = "received", _("Received")
        COMING = "coming", _("Coming")
        CANNOT = "cannot", _("Cannot come")

    mobilisation = models.ForeignKey(
        Mobilisation, on_delete=models.CASCADE, related_name="answers", verbose_name=_("emergency call")
    )
    volunteer = models.ForeignKey(
        "volunteers.Volunteer",
        on_delete=models.CASCADE,
        related_name="call_answers",
        verbose_name=_("volunteer"),
    )
    wave = models.PositiveSmallIntegerField(pgettext_lazy("emergency call", "group"))
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices, default=Answer.WAITING)
    notified_at = models.DateTimeField(_("told at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("answer to an emergency call")
        verbose_name_plural = _("answers to emergency calls")
        ordering = ["mobilisation_id", "wave", "pk"]
        indexes = [models.Index(fields=["mobilisation", "answer"], name="dispatch_answer_call")]
        constraints = [
            models.UniqueConstraint(
                fields=["mobilisation", "volunteer"], name="dispatch_one_answer_per_volunteer"
            ),
            models.CheckConstraint(
                condition=Q(answer="waiting") | Q(answered_at__isnull=False), name="dispatch_answer_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer_id}: {self.answer}"

"""Volunteers, their teams and honours."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.access import FIELD_WORKERS, NOBODY, governed
from core.models import Center, Community


class Availability(models.TextChoices):
    WEEKDAY_DAYTIME = "weekday_day", _("Weekday daytime")
    WEEKDAY_EVENING = "weekday_evening", _("Weekday evenings")
    WEEKEND = "weekend", _("Weekends")
    ON_CALL = "on_call", _("On call in emergencies")


@governed(view=NOBODY, add=NOBODY, change=NOBODY, delete=NOBODY)
class Skill(models.Model):
    """A skill volunteers offer (a district-wide list kept by the district administrator)."""

    name = models.CharField(_("name"), max_length=50, unique=True)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


@governed(center="center", owner="user", add=NOBODY, change=FIELD_WORKERS, delete=NOBODY)
class Volunteer(models.Model):
    """A resident who serves. Registering needs real-name consent (PIPL); the profile proves it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="volunteer_profile",
        verbose_name=_("user"),
    )
    center = models.ForeignKey(
        Center,
        on_delete=models.PROTECT,
        related_name="volunteers",
        verbose_name=_("home center"),
        help_text=_("The center where the volunteer registered; it issues the service certificate."),
    )
    communities = models.ManyToManyField(
        Community, blank=True, related_name="volunteers", verbose_name=_("communities served")
    )
    skills = models.ManyToManyField(Skill, blank=True, related_name="volunteers", verbose_name=_("skills"))
    availability = models.CharField(
        _("availability"),
        max_length=100,
        blank=True,
        help_text=_("Comma-separated codes of the times the volunteer can serve."),
    )
    consented_at = models.DateTimeField(_("real-name consent given at"))
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["-registered_at"]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def availability_codes(self) -> list[str]:
        return [code for code in self.availability.split(",") if code]

    @property
    def availability_labels(self) -> list[str]:
        labels = dict(Availability.choices)
        return [str(labels.get(code, code)) for code in self.availability_codes]


@governed(center="center")
class Team(models.Model):
    """A volunteer team, led by a social worker of its center (社工带义工)."""

    center = models.ForeignKey(
        Center, on_delete=models.PROTECT, related_name="volunteer_teams", verbose_name=_("center")
    )
    name = models.CharField(_("name"), max_length=100)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="led_teams",
        verbose_name=_("leader"),
        help_text=_("A social worker of the team's center."),
    )
    description = models.TextField(_("description"), blank=True)
    is_open = models.BooleanField(_("accepts new members"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["center__name", "name"]
        constraints = [models.UniqueConstraint(fields=["center", "name"], name="team_unique_name_per_center")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("volunteers:team_detail", kwargs={"pk": self.pk})


@governed(center="team__center", owner="volunteer__user", add=NOBODY, delete=NOBODY)
class Membership(models.Model):
    """A volunteer's request to join a team, and the leader's answer."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the leader")
        APPROVED = "approved", _("Member")
        DECLINED = "declined", pgettext_lazy("membership", "Declined")
        LEFT = "left", _("Left the team")

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("team")
    )
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("volunteer")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    message = models.CharField(_("message to the leader"), max_length=200, blank=True)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["team", "volunteer"], name="membership_unique"),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(decided_at__isnull=False),
                name="membership_decision_has_a_date",
            ),
        ]
        indexes = [models.Index(fields=["team", "status"])]

    def __str__(self) -> str:
        return f"{self.volunteer} · {self.team}"


@governed(center="center")
class Honour(models.Model):
    """An honour such as 最美志愿者, given to a volunteer or a whole team on a date."""

    center = models.ForeignKey(
        Center, on_delete=models.PROTECT, related_name="volunteer_honours", verbose_name=_("awarded by")
    )
    title = models.CharField(_("title"), max_length=100)
    volunteer = models.ForeignKey(
        Volunteer,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="honours",
        verbose_name=_("volunteer"),
    )
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, null=True, blank=True, related_name="honours", verbose_name=_("team")
    )
    awarded_on = models.DateField(_("awarded on"))
    citation = models.TextField(_("citation"), blank=True)

    class Meta:
        verbose_name = _("honour")
        verbose_name_plural = _("honours")
        ordering = ["-awarded_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(volunteer__isnull=False) | Q(team__isnull=False), name="honour_has_a_recipient"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} · {self.volunteer or self.team}"


__all__ = ["Availability", "Honour", "Membership", "Skill", "Team", "Volunteer"]

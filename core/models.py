"""Places (district, street, community, center), people (the user) and scoped roles."""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .validators import validate_mobile


# ------------------------------------------------------------------ places
class District(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Street(models.Model):
    """A street (subdistrict) or a town: the level whose office buys services."""

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="streets", verbose_name=_("district")
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("street")
        verbose_name_plural = _("streets")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["district", "name"], name="street_unique_name")]

    def __str__(self) -> str:
        return self.name


class Community(models.Model):
    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, related_name="communities", verbose_name=_("street")
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["street", "name"], name="community_unique_name")]

    def __str__(self) -> str:
        return self.name


class Center(models.Model):
    """A Happy Neighborhood Center: one per street, and more in communities."""

    class Level(models.TextChoices):
        STREET = "street", _("Street center")
        COMMUNITY = "community", _("Community center")

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("web address"), max_length=80, unique=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, related_name="centers", verbose_name=_("street")
    )
    community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        related_name="centers",
        null=True,
        blank=True,
        verbose_name=_("community"),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=255, blank=True)
    phone = models.CharField(_("telephone"), max_length=30, blank=True)
    services = models.CharField(
        _("services"),
        max_length=255,
        blank=True,
        help_text=_("Comma-separated, e.g. elderly care, 3:30 classroom"),
    )
    description = models.TextField(_("description"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="centers/", blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("center")
        verbose_name_plural = _("centers")
        ordering = ["street__name", "level", "name"]
        constraints = [
            # A community-level center belongs to a community; a street-level center does not.
            models.CheckConstraint(
                condition=(
                    Q(level="street", community__isnull=True) | Q(level="community", community__isnull=False)
                ),
                name="center_level_matches_community",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("centers:detail", kwargs={"slug": self.slug})

    @property
    def service_list(self) -> list[str]:
        return [s.strip() for s in self.services.replace("，", ",").split(",") if s.strip()]


# ------------------------------------------------------------------ people
class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, *, email: str | None, phone: str | None, password: str | None, **extra):
        if not email and not phone:
            raise ValueError("A user needs an e-mail address or a mobile number.")
        user = self.model(email=self.normalize_email(email) or None, phone=phone or None, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(
        self, email: str | None = None, password: str | None = None, *, phone: str | None = None, **extra
    ):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email=email, phone=phone, password=password, **extra)

    def create_superuser(self, email: str, password: str, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email=email, phone=extra.pop("phone", None), password=password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    real_name = models.CharField(_("real name"), max_length=50, blank=True)
    phone = models.CharField(
        _("mobile number"), max_length=11, unique=True, null=True, blank=True, validators=[validate_mobile]
    )
    phone_verified = models.BooleanField(_("mobile number verified"), default=False)
    email = models.EmailField(_("e-mail address"), unique=True, null=True, blank=True)
    is_staff = models.BooleanField(
        _("staff status"), default=False, help_text=_("May sign in to the administration.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(email__isnull=False) | Q(phone__isnull=False), name="user_has_email_or_phone"
            ),
        ]

    def __str__(self) -> str:
        return self.real_name or self.phone or self.email or f"#{self.pk}"

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email) or None
        self.phone = self.phone or None

    @property
    def masked_phone(self) -> str:
        return f"{self.phone[:3]}****{self.phone[-4:]}" if self.phone else ""


# ------------------------------------------------------------------ roles
class Role(models.TextChoices):
    VOLUNTEER = "volunteer", _("Volunteer")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    CENTER_MANAGER = "center_manager", _("Center manager")
    STREET_STAFF = "street_staff", _("Street-office staff")
    DISTRICT_ADMIN = "district_admin", _("District administrator")


STAFF_ROLES = {Role.SOCIAL_WORKER, Role.CENTER_MANAGER, Role.STREET_STAFF, Role.DISTRICT_ADMIN}


class RoleAssignment(models.Model):
    """A role a user holds, in the scope the role needs (centers, a street or the district).

    Every signed-in user is a resident; other roles are granted here.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles", verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    center = models.ForeignKey(
        Center,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="staff_roles",
        verbose_name=_("center"),
    )
    street = models.ForeignKey(
        Street,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="staff_roles",
        verbose_name=_("street"),
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["user_id", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "center"],
                condition=Q(center__isnull=False),
                name="role_unique_center",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "street"],
                condition=Q(street__isnull=False),
                name="role_unique_street",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(center__isnull=True, street__isnull=True),
                name="role_unique_unscoped",
            ),
            models.CheckConstraint(
                name="role_scope_matches_role",
                condition=(
                    Q(role__in=["social_worker", "center_manager"], center__isnull=False, street__isnull=True)
                    | Q(role="street_staff", center__isnull=True, street__isnull=False)
                    | Q(role__in=["district_admin", "volunteer"], center__isnull=True, street__isnull=True)
                ),
            ),
        ]

    def __str__(self) -> str:
        scope = self.center or self.street or ""
        return f"{self.get_role_display()} {scope}".strip()


# ------------------------------------------------------------------ audit and operations
class AuditEntry(models.Model):
    """Who read or changed sensitive data, and when (PIPL). Append-only."""

    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("actor")
    )
    role = models.CharField(_("role"), max_length=30, blank=True, default="")
    action = models.CharField(_("action"), max_length=30)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    reason = models.CharField(_("purpose"), max_length=200, blank=True, default="")
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=255, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_type}#{self.object_id}"


class SmsMessage(models.Model):
    """An outgoing text message, as handed to the SMS backend (the log of what was sent)."""

    phone = models.CharField(_("mobile number"), max_length=11)
    body = models.CharField(_("text"), max_length=500)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("text message")
        verbose_name_plural = _("text messages")
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.phone}: {self.body[:30]}"


class WorkerPing(models.Model):
    """A heartbeat written by the background worker: proves queued tasks really run."""

    token = models.CharField(max_length=40, unique=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)
    hostname = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = _("worker ping")
        verbose_name_plural = _("worker pings")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return self.token

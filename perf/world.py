"""The benchmark's actors and sample rows, picked from the seeded district once per process.

Actors are real accounts with real role assignments (``bench-<role>@example.invalid``), made
idempotently; sample rows are the busiest center, a busy activity, and so on, so that each page
is measured where it has the most to show.
"""

from __future__ import annotations

from functools import cached_property

from django.db.models import Count
from django.utils import timezone

from core.models import Center, Role, RoleAssignment, User

ACTORS = {
    # actor: (role, scope) -- scope "center" = the busiest center, "street" = its street
    "resident": (None, None),
    "volunteer": (None, None),
    "worker": (Role.SOCIAL_WORKER, "center"),
    "manager": (Role.CENTER_MANAGER, "center"),
    "street": (Role.STREET_STAFF, "street"),
    "district": (Role.DISTRICT_ADMIN, None),
    "superuser": (None, None),
}
PHONE_BASE = 19_900_000_000  # 199xxxxxxxx: outside the seed's 17x numbers


class World:
    """Lazy look-ups: each property costs one query the first time and nothing after."""

    @cached_property
    def now(self):
        return timezone.now()

    @cached_property
    def center(self) -> Center:
        """The active community center with the most activities (community centers have it all:
        activities, care recipients, service requests)."""
        from centers.models import Activity

        row = (
            Activity.objects.filter(center__is_active=True, center__level=Center.Level.COMMUNITY)
            .values("center")
            .annotate(n=Count("id"))
            .order_by("-n", "center")
            .first()
        )
        qs = Center.objects.select_related("street", "community")
        return qs.get(pk=row["center"]) if row else qs.filter(is_active=True).order_by("pk").first()

    @cached_property
    def quiet_center(self) -> Center:
        """An active center with the fewest upcoming activities (for the flatness check)."""
        from centers.models import Activity

        busy = set(
            Activity.objects.filter(ends_at__gte=self.now, status="published")
            .values_list("center_id", flat=True)
            .distinct()
        )
        centers = Center.objects.filter(is_active=True).order_by("pk")
        quiet = centers.exclude(pk__in=busy).first()
        return quiet or centers.last()

    @cached_property
    def activity(self):
        """An upcoming published activity of the busiest center with the most sign-ups."""
        from centers.models import Activity

        qs = Activity.objects.filter(center=self.center, status="published", ends_at__gte=self.now)
        return (
            qs.order_by("-confirmed_count", "starts_at", "pk").first()
            or Activity.objects.order_by("pk").first()
        )

    @cached_property
    def empty_activity(self):
        """An upcoming published activity with no sign-up (made if the data has none)."""
        from centers.models import Activity

        found = (
            Activity.objects.filter(
                status="published", ends_at__gte=self.now, confirmed_count=0, center__is_active=True
            )
            .order_by("pk")
            .first()
        )
        if found is None:
            base = self.activity
            found = Activity.objects.create(
                center=base.center,
                title="基准空活动",
                category=base.category,
                starts_at=base.starts_at,
                ends_at=base.ends_at,
                capacity=10,
                status="published",
            )
        return found

    @cached_property
    def last_activity_day(self) -> str:
        """The local date of the last published activity: listing from it shows only a few rows."""
        from centers.models import Activity

        last = (
            Activity.objects.filter(status="published")
            .order_by("-starts_at")
            .values_list("starts_at", flat=True)
            .first()
        )
        return timezone.localdate(last).isoformat() if last else timezone.localdate().isoformat()

    @cached_property
    def users(self) -> dict[str, User]:
        """The actors made so far (each is made on first use)."""
        return {}

    def user(self, name: str | None) -> User | None:
        if name in (None, "anonymous"):
            return None
        if name not in self.users:
            self.users[name] = self._actor(name, list(ACTORS).index(name) + 1)
        return self.users[name]

    def _actor(self, name: str, number: int) -> User:
        role, scope = ACTORS[name]
        if name == "resident":
            return self._resident()
        if name == "volunteer":
            return self._volunteer_user()
        user, _created = User.objects.get_or_create(
            email=f"bench-{name}@example.invalid",
            defaults={
                "phone": str(PHONE_BASE + number),
                "real_name": f"基准{name}",
                "is_staff": True,
                "is_superuser": name == "superuser",
            },
        )
        if role is not None:
            center = self.center if scope == "center" else None
            street = self.center.street if scope == "street" else None
            RoleAssignment.objects.get_or_create(user=user, role=role, center=center, street=street)
        return user

    def _resident(self) -> User:
        """A seeded resident with upcoming sign-ups (their /me/ page has rows to show)."""
        from centers.models import Signup

        resident_id = (
            Signup.objects.filter(activity=self.activity)
            .order_by("pk")
            .values_list("resident_id", flat=True)
            .first()
        )
        if resident_id is None:
            user, _created = User.objects.get_or_create(
                email="bench-resident@example.invalid",
                defaults={"phone": str(PHONE_BASE), "real_name": "基准居民"},
            )
            return user
        return User.objects.get(pk=resident_id)

    def _volunteer_user(self) -> User:
        """A seeded volunteer of the busiest center with the most hours (the richest /me/ page)."""
        from volunteers.models import Volunteer

        volunteer = (
            Volunteer.objects.filter(is_active=True)
            .annotate(n=Count("hour_records"))
            .order_by("-n", "pk")
            .select_related("user")
            .first()
        )
        if volunteer is None:
            raise LookupError("no volunteer in the data set")
        return volunteer.user

    # ------------------------------------------------------------ sample rows of the other apps
    @cached_property
    def organization(self):
        from orgs.selectors import list_public_organizations

        return list_public_organizations().order_by("pk").first()

    @cached_property
    def team(self):
        from volunteers.models import Team

        return Team.objects.annotate(n=Count("memberships")).order_by("-n", "pk").first()

    @cached_property
    def duty(self):
        from volunteers.models import Duty
        from volunteers.selectors import open_duties

        return open_duties().order_by("pk").first() or Duty.objects.order_by("-pk").first()

    @cached_property
    def shop(self):
        from volunteers.models import Shop

        return Shop.objects.filter(is_active=True).annotate(n=Count("items")).order_by("-n", "pk").first()

    @cached_property
    def service_request(self):
        from dispatch.models import ServiceRequest

        # A new one where there is one: its desk page and assign page are the heaviest.
        requests = ServiceRequest.objects.order_by("-pk")
        return (
            requests.filter(center=self.center, status="new").first()
            or requests.filter(center=self.center).first()
            or requests.first()
        )

    @cached_property
    def recipient(self):
        from care.models import Recipient

        return Recipient.objects.filter(center=self.center).order_by("pk").first() or (
            Recipient.objects.order_by("pk").first()
        )

    @cached_property
    def meeting(self):
        from deliberation.selectors import get_public_meeting_queryset

        return get_public_meeting_queryset().order_by("-pk").first()

    @cached_property
    def report(self):
        """Last month's published report of the busiest center's street (generated here if missing)."""
        from reports.models import Report
        from reports.periods import Period, Scope
        from reports.services import generate_report, request_report

        street = self.center.street
        found = (
            Report.objects.filter(street=street, kind="street", status="published").order_by("-pk").first()
        )
        if found is None:
            report, _created = request_report(
                scope=Scope.for_street(street), period=Period.last_month(), requested_by=None, trigger="admin"
            )
            found = generate_report(report_id=report.pk)
        return found


_world: World | None = None


def world() -> World:
    global _world
    if _world is None:
        _world = World()
    return _world


def reset() -> None:
    global _world
    _world = None

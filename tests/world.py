"""A small district with one user per role, scoped to center A; center B is "the other scope"."""

from dataclasses import dataclass, field

from core.models import Center, Role, User
from core.services import grant_role

from .factories import CenterFactory, UserFactory

ROLES = ["resident", "volunteer", "worker", "manager", "street", "district", "admin"]
SCOPED_ROLES = ["worker", "manager", "street"]


@dataclass
class World:
    center_a: Center
    center_b: Center
    users: dict[str, User] = field(default_factory=dict)

    def center(self, scope: str = "own") -> Center:
        return self.center_a if scope == "own" else self.center_b

    def user(self, role: str) -> User:
        return self.users[role]


def build_world() -> World:
    world = World(center_a=CenterFactory(), center_b=CenterFactory())
    users = {role: UserFactory(real_name=f"{role}-user", email=f"{role}@world.test") for role in ROLES}
    grant_role(user=users["volunteer"], role=Role.VOLUNTEER)
    grant_role(user=users["worker"], role=Role.SOCIAL_WORKER, center=world.center_a)
    grant_role(user=users["manager"], role=Role.CENTER_MANAGER, center=world.center_a)
    grant_role(user=users["street"], role=Role.STREET_STAFF, street=world.center_a.street)
    grant_role(user=users["district"], role=Role.DISTRICT_ADMIN)
    users["admin"].is_superuser = users["admin"].is_staff = True
    users["admin"].save()
    world.users = users
    return world

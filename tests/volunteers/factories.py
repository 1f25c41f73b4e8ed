"""Factories for the volunteers app. Volunteers, points and redemptions are made through the
services, so that every test starts from states the portal itself can reach."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from core.models import Role
from core.services import grant_role
from tests.factories import CenterFactory, UserFactory
from volunteers import services
from volunteers.models import Category, Duty, Shop, ShopItem, Skill, Team


def social_worker(center):
    worker = UserFactory(real_name="社工")
    grant_role(user=worker, role=Role.SOCIAL_WORKER, center=center)
    return worker


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"技能{n}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    center = factory.SubFactory(CenterFactory)
    name = factory.Sequence(lambda n: f"志愿服务队{n}")
    leader = factory.LazyAttribute(lambda o: social_worker(o.center))
    description = "社工带义工"


class DutyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Duty

    team = factory.SubFactory(TeamFactory)
    center = factory.SelfAttribute("team.center")
    title = factory.Sequence(lambda n: f"月月助老走访{n}")
    category = Category.ELDERLY
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=3))
    slots = 5
    check_in_code = "123456"


class ShopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shop

    center = factory.SubFactory(CenterFactory)
    name = factory.Sequence(lambda n: f"匠心坊{n}")


class ShopItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShopItem

    shop = factory.SubFactory(ShopFactory)
    counter = "points"
    name = factory.Sequence(lambda n: f"保温杯{n}")
    stock = 10
    point_price = 50


def make_volunteer(*, user=None, center=None, team=None, points: int = 0, by=None):
    """A registered volunteer, optionally an approved member of ``team`` and with ``points``."""
    user = user or UserFactory()
    center = center or (team.center if team else CenterFactory())
    volunteer = services.register_volunteer(
        user=user, center=center, real_name=user.real_name or "志愿者", consent=True
    )
    if team is not None:
        membership = services.request_membership(volunteer=volunteer, team=team)
        services.decide_membership(membership=membership, approve=True, by=team.leader)
    if points:
        admin = by or UserFactory(is_superuser=True, is_staff=True)
        services.adjust_points(volunteer=volunteer, amount=points, reason="测试初始积分", by=admin)
    volunteer.refresh_from_db()
    return volunteer


def verified_record(*, volunteer, team, hours: str = "2", duty=None, category=Category.OTHER):
    """Hours entered and verified by the team's leader (which credits the points)."""
    record = services.record_hours(
        volunteer=volunteer,
        team=team,
        duty=duty,
        served_on=timezone.localdate() - timedelta(days=1),
        hours=Decimal(hours),
        description="走访高龄老人",
        category=category,
        by=team.leader,
    )
    return services.verify_hours(record=record, by=team.leader)

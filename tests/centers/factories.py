"""Factories for centers: spaces, activities (open for sign-up by default), children, sign-ups."""

import datetime as dt

import factory
from django.utils import timezone

from centers.models import Activity, Category, Child, Signup, Space
from tests.factories import CenterFactory, UserFactory


class SpaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Space

    center = factory.SubFactory(CenterFactory)
    name = factory.Sequence(lambda n: f"活动室{n}")
    kind = Space.Kind.ACTIVITY_ROOM
    capacity = 30


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    center = factory.SubFactory(CenterFactory)
    title = factory.Sequence(lambda n: f"社区活动{n}")
    description = "一起来参加"
    category = Category.CULTURE
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=3))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=2))
    capacity = 20
    status = Activity.Status.PUBLISHED


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    guardian = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"小朋友{n}")
    birth_year = 2017


class SignupFactory(factory.django.DjangoModelFactory):
    """A raw row: tests that care about counters go through centers.services.sign_up."""

    class Meta:
        model = Signup

    activity = factory.SubFactory(ActivityFactory)
    resident = factory.SubFactory(UserFactory)
    status = Signup.Status.CONFIRMED
    code = factory.Sequence(lambda n: f"{n % 1_000_000:06d}")

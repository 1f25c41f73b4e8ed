"""Factories for dispatch; requests in a given state are built through the real services."""

import factory
from django.utils import timezone

from core.models import Center, User
from dispatch import services
from dispatch.models import Category, CollectionSite, PendingRequest, ServiceRequest, ServiceVehicle, Status
from tests.factories import CenterFactory, UserFactory
from volunteers.models import Membership, Skill, Team, Volunteer


class CollectionSiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CollectionSite
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"测试采集站点{n}")
    center = factory.SubFactory(CenterFactory)
    address = "测试路8号"
    opening_hours = "每天 8:30–17:30"

    @factory.post_generation
    def communities(obj, create, extracted, **kwargs):
        if create:
            obj.communities.set(extracted if extracted is not None else [obj.center.community])


class ServiceVehicleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceVehicle

    name = factory.Sequence(lambda n: f"测试流动服务车{n}")
    plate = factory.Sequence(lambda n: f"浙E·T{n:04d}")
    center = factory.SubFactory(CenterFactory)


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ["name"]

    name = "家电维修"


class VolunteerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Volunteer
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    center = factory.SubFactory(CenterFactory)
    consented_at = factory.LazyFunction(timezone.now)
    availability = "weekday_day,weekday_evening,weekend"

    @factory.post_generation
    def communities(obj, create, extracted, **kwargs):
        if create:
            obj.communities.set(extracted if extracted is not None else [obj.center.community])

    @factory.post_generation
    def skills(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.skills.set(extracted)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    center = factory.SubFactory(CenterFactory)
    name = factory.Sequence(lambda n: f"测试志愿服务队{n}")
    leader = factory.SubFactory(UserFactory)


def join(volunteer: Volunteer, team: Team) -> Membership:
    return Membership.objects.create(
        team=team, volunteer=volunteer, status=Membership.Status.APPROVED, decided_at=timezone.now()
    )


def make_request(
    center: Center | None = None,
    *,
    requester: User | None = None,
    phone: str = "13700000001",
    category: str = Category.REPAIRS,
    description: str = "楼道灯坏了，晚上看不见。",
    **kwargs,
) -> ServiceRequest:
    center = center or CenterFactory()
    return services.submit_request(
        category=category,
        description=description,
        community=center.community,
        requester=requester,
        contact_name="" if requester else "张阿姨",
        contact_phone="" if requester else phone,
        **kwargs,
    )


def request_in_state(
    status: str, center: Center | None = None, *, staff: User | None = None, **kwargs
) -> ServiceRequest:
    """A request walked to ``status`` through the services (assigned to a fixed site)."""
    request = make_request(center, **kwargs)
    staff = staff or UserFactory()
    if status == Status.NEW:
        return request
    if status == Status.CANNOT_BE_DONE:
        return services.close_request_as_impossible(request=request, by=staff, note="不在服务范围内")
    site = CollectionSiteFactory(center=request.center)
    services.assign_request(request=request, by=staff, site=site)
    if status == Status.ASSIGNED:
        return ServiceRequest.objects.get(pk=request.pk)
    services.start_request(request=request, by=staff)
    if status == Status.IN_PROGRESS:
        return ServiceRequest.objects.get(pk=request.pk)
    return services.complete_request(request=request, by=staff, note="已修好")


def make_pending(phone: str = "13700000009") -> tuple[PendingRequest, str]:
    """A draft awaiting its code, and the code as texted (read from the SMS outbox)."""
    center = CenterFactory()
    with _on_commit():
        pending = services.start_pending_request(
            phone=phone,
            data={
                "category": Category.ELDERLY_HELP,
                "community": center.community_id,
                "description": "老人需要代买菜",
                "address": "",
                "contact_name": "李阿姨",
            },
        )
    return pending, code_sent_to(phone)


def code_sent_to(phone: str) -> str:
    """The last 6-digit code texted to ``phone`` (from the test SMS outbox)."""
    import re

    from core.sms import MemorySmsBackend

    body = [text for to, text in MemorySmsBackend.outbox if to == phone][-1]
    return re.search(r"(?<!\d)(\d{6})(?!\d)", body).group(1)


class _on_commit:
    """Run on-commit callbacks at once (like TestCase.captureOnCommitCallbacks(execute=True))."""

    def __enter__(self):
        from django.test import TestCase

        self._ctx = TestCase.captureOnCommitCallbacks(execute=True)
        return self._ctx.__enter__()

    def __exit__(self, *exc):
        return self._ctx.__exit__(*exc)

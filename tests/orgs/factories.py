"""Factories for the registry. Organizations are created through the service so that each has
its first lifecycle entry, as in production."""

import datetime
import itertools
from decimal import Decimal

import factory
from django.utils import timezone

from orgs import services
from orgs.credit_code import make_credit_code
from orgs.models import GrantCall, Metric, Organization, Period, ServiceContract
from tests.factories import CenterFactory, StreetFactory

_codes = itertools.count(1)


def new_credit_code() -> str:
    return make_credit_code(f"52330502MT{next(_codes):07d}")


def filed_org(*, street=None, community=None, name=None, actor=None, **fields) -> Organization:
    street = street or (community.street if community else StreetFactory())
    return services.register_organization(
        actor=actor,
        name=name or f"社区志愿服务队{next(_codes)}",
        kind=fields.pop("kind", Organization.Kind.VOLUNTEER_TEAM),
        status=Organization.Status.FILED,
        street=street,
        community=community,
        filed_on=datetime.date(2020, 5, 1),
        **fields,
    )


def registered_org(*, street=None, name=None, actor=None, **fields) -> Organization:
    return services.register_organization(
        actor=actor,
        name=name or f"社会工作服务中心{next(_codes)}",
        kind=fields.pop("kind", Organization.Kind.SOCIAL_SERVICE),
        status=Organization.Status.REGISTERED,
        street=street,
        credit_code=fields.pop("credit_code", None) or new_credit_code(),
        registering_authority="湖州市吴兴区民政局",
        registered_on=datetime.date(2018, 3, 1),
        **fields,
    )


def contract_for(
    *,
    center=None,
    operator=None,
    starts_on=None,
    ends_on=None,
    targets=((Metric.ACTIVITIES, Period.MONTH, 8),),
    number=None,
) -> ServiceContract:
    center = center or CenterFactory()
    today = timezone.localdate()
    return services.create_contract(
        number=number or f"HT-{next(_codes):05d}",
        title=f"{center.name}运营服务",
        buyer_street=center.street,
        operator=operator or registered_org(street=center.street),
        centers=[center],
        starts_on=starts_on or datetime.date(today.year, 1, 1),
        ends_on=ends_on or datetime.date(today.year, 12, 31),
        amount=Decimal("300000"),
        targets=targets,
    )


class GrantCallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GrantCall

    title = factory.Sequence(lambda n: f"公益创投{n}")
    street = None
    budget = Decimal("100000")
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=20))

"""factory_boy factories for places and people; apps add theirs in tests/<app>/factories.py."""

import factory

from core.models import Center, Community, District, Street, User


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ["name"]

    name = "吴兴区"


class StreetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Street

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"测试街道{n}")


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community

    street = factory.SubFactory(StreetFactory)
    name = factory.Sequence(lambda n: f"测试社区{n}")


class CenterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Center

    community = factory.SubFactory(CommunityFactory)
    street = factory.SelfAttribute("community.street")
    level = Center.Level.COMMUNITY
    name = factory.LazyAttribute(lambda o: f"{o.community.name}幸福邻里中心")
    slug = factory.Sequence(lambda n: f"center-{n}")
    address = "测试路1号"
    opening_hours = "周一至周日 8:30–17:30"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    real_name = factory.Sequence(lambda n: f"居民{n}")
    phone = factory.Sequence(lambda n: f"138{n:08d}")
    phone_verified = True
    email = factory.Sequence(lambda n: f"user{n}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "pass-word-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()

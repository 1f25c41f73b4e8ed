"""Factories for care; core's come from tests.factories."""

import datetime as dt

import factory
from django.utils import timezone

from care.models import Consent, Recipient, Referral, Visit
from care.services import CONSENT_TEXT_VERSION
from tests.factories import CenterFactory, UserFactory

CANARY = "CANARY-7f3a-健康隐私"


class RecipientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recipient

    center = factory.SubFactory(CenterFactory)
    name = factory.Sequence(lambda n: f"对象{n}")
    birth_year = 1938
    found_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=90))
    very_old = True
    risk_tier = "medium"


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    recipient = factory.SubFactory(RecipientFactory)
    scope = Consent.Scope.SENSITIVE
    text_version = CONSENT_TEXT_VERSION
    given_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=60))
    channel = Consent.Channel.WRITTEN
    recorded_by = factory.SubFactory(UserFactory)


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit

    recipient = factory.SubFactory(RecipientFactory)
    center = factory.SelfAttribute("recipient.center")
    kind = Visit.Kind.HOME
    visited_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=3))
    duration_minutes = 30
    visited_by = factory.SubFactory(UserFactory)
    observations = "精神不错"


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    recipient = factory.SubFactory(RecipientFactory)
    resource = Referral.Resource.HEARING_AID
    referred_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=10))
    referred_by = factory.SubFactory(UserFactory)


def sensitive_recipient(center, worker=None, **fields) -> Recipient:
    """A recipient with consent and a canary string in every sensitive text field and visit note."""
    recipient = RecipientFactory(
        center=center,
        social_worker=worker,
        health_notes=f"高血压 {CANARY}",
        family_contacts=f"女儿 {CANARY}",
        actual_address=f"出租屋 {CANARY}",
        id_number="11010519491231002X",
        phone="13912345678",
        **fields,
    )
    ConsentFactory(recipient=recipient, recorded_by=worker or UserFactory())
    VisitFactory(
        recipient=recipient,
        visited_by=worker or UserFactory(),
        observations=f"观察 {CANARY}",
        needs_found=f"需求 {CANARY}",
    )
    ReferralFactory(recipient=recipient, outcome=f"结果 {CANARY}", referred_by=worker or UserFactory())
    return recipient


def recipient_of(world, scope: str = "own") -> Recipient:
    """The one canary recipient of the world's own or other center (created on first use)."""
    center = world.center(scope)
    found = Recipient.objects.filter(center=center, name=f"matrix-{center.pk}").first()
    return found or sensitive_recipient(
        center, world.user("worker") if scope == "own" else None, name=f"matrix-{center.pk}"
    )

"""A small, hand-counted data set across every app, for the report's numbers.

Street A holds ``center_a`` (the world's own center) and ``center_a2``; street B holds
``center_b`` (the other scope). The month reported on is ``PERIOD``; a few rows fall in the
month before or after to prove the period boundaries. ``EXPECTED`` are the figures for street A.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from unittest import mock

from django.db import models
from django.utils import timezone

from core.models import Center
from reports.models import Report
from reports.periods import Period, Scope
from tests.factories import CenterFactory, CommunityFactory, UserFactory

PERIOD = Period(2025, 10)
_seq = itertools.count(1)


def at(day: int, hour: int = 9, period: Period = PERIOD) -> dt.datetime:
    """An aware local time on ``day`` of ``period``."""
    return timezone.make_aware(dt.datetime(period.year, period.month, day, hour))


def on(day: int, period: Period = PERIOD) -> dt.date:
    return dt.date(period.year, period.month, day)


def backdate(obj, **fields) -> None:
    """Set fields the model fills itself (auto_now_add), bypassing append-only managers."""
    models.QuerySet(model=type(obj)).filter(pk=obj.pk).update(**fields)


@dataclass
class Dataset:
    center_a: Center
    center_a2: Center
    center_b: Center
    residents: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)

    @property
    def street_scope(self) -> Scope:
        return Scope.for_street(self.center_a.street)


# Figures of street A for PERIOD, per center and in total (hand-counted from the builders below).
EXPECTED = {
    "activities": {
        "center_a": {"held": 3, "cancelled": 1, "signups": 5, "attended": 3, "residents": 2, "no_shows": 2},
        "center_a2": {"held": 1, "cancelled": 0, "signups": 1, "attended": 1, "residents": 1, "no_shows": 0},
        # r1 attended at both centers: unique residents of the street are 2, not 3.
        "total": {"held": 4, "cancelled": 1, "signups": 6, "attended": 4, "residents": 2, "no_shows": 2},
    },
    "care": {
        "center_a": {
            "active": 2,
            "high": 1,
            "visits": 3,
            "crisis": 1,
            "due_soon": 1,
            "overdue": 1,
            "referrals_made": 2,
            "referrals_delivered": 1,
            "referrals_open": 1,
        },
    },
    "requests": {
        "center_a": {
            "received": 4,
            "done": 2,
            "cannot": 1,
            "open": 1,
            "completion_rate": 0.5,
            "assign_hours": 4.0,
            "complete_hours": 38.0,
            "rated": 2,
            "satisfaction": 4.0,
            "satisfied_rate": 0.5,
        },
    },
    "volunteers": {
        "center_a": {"registered": 3, "new": 1, "active": 2, "verified_hours": 7.0, "pending_hours": 2.0},
        "center_a2": {"registered": 0, "new": 0, "active": 1, "verified_hours": 1.0, "pending_hours": 0.0},
        # v1 served at both centers: two active volunteers in the street.
        "total": {
            "registered": 3,
            "new": 1,
            "active": 2,
            "verified_hours": 8.0,
            "pending_hours": 2.0,
            "issued": 70,
            "redeemed": 20,
        },
    },
    "deliberation": {
        "center_a": {
            "held": 2,
            "three_plus_one": 1,
            "decisions": 1,
            "notices": 1,
            "objections": 2,
            "answered": 1,
        },
    },
}


def build_dataset(world) -> Dataset:
    street_a = world.center_a.street
    center_a2 = CenterFactory(community=CommunityFactory(street=street_a), street=street_a)
    data = Dataset(center_a=world.center_a, center_a2=center_a2, center_b=world.center_b)
    data.residents = {f"r{i}": UserFactory(real_name=f"报表居民{i}") for i in range(1, 8)}
    _activities(data)
    _care(data, world)
    _dispatch(data)
    _volunteers(data)
    _deliberation(data, world)
    _orgs(data)
    return data


# ------------------------------------------------------------------ centers
def _activity(center, starts_at, status="published", **fields):
    from centers.models import Activity

    return Activity.objects.create(
        center=center,
        title=fields.pop("title", f"报表活动{next(_seq)}"),
        category="culture",
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        capacity=10,
        status=status,
        **fields,
    )


def _signup(activity, resident, status="confirmed", attended=False):
    from centers.models import Signup

    return Signup.objects.create(
        activity=activity,
        resident=resident,
        status=status,
        code=f"{next(_seq):06d}"[-6:],
        attended_at=activity.starts_at if attended else None,
    )


def _activities(data: Dataset) -> None:
    r = data.residents
    a1 = _activity(data.center_a, at(3))
    a2 = _activity(data.center_a, at(10))
    _activity(data.center_a, at(31, 18))  # held, nobody signed up
    _activity(data.center_a, at(12), status="cancelled")
    _activity(data.center_a, at(13), status="draft")
    _activity(data.center_a, at(20, period=PERIOD.shift(-1)))  # the month before
    _activity(data.center_a, at(1, 0, period=PERIOD.shift(1)))  # midnight: the next month
    _signup(a1, r["r1"], attended=True)
    _signup(a1, r["r2"], attended=True)
    _signup(a1, r["r3"])
    _signup(a1, r["r4"], status="waitlisted")
    _signup(a1, r["r5"], status="cancelled")
    _signup(a2, r["r1"], attended=True)
    _signup(a2, r["r6"])
    b = _activity(data.center_a2, at(15))
    _signup(b, r["r1"], attended=True)
    for day in (5, 6):
        _signup(_activity(data.center_b, at(day)), r["r7"], attended=True)


# ------------------------------------------------------------------ care
def _care(data: Dataset, world) -> None:
    from care.models import Recipient, Referral, Visit

    worker = world.user("worker")

    def visit(recipient, visited_on, **fields):
        # care's services copy the recipient's center onto the visit; so does this builder.
        return Visit.objects.create(
            recipient=recipient,
            center_id=recipient.center_id,
            visited_on=visited_on,
            visited_by=worker,
            **fields,
        )

    rec1 = Recipient.objects.create(
        center=data.center_a, name="报表老人甲", found_on=on(1, PERIOD.shift(-3)), risk_tier="high"
    )
    rec2 = Recipient.objects.create(
        center=data.center_a, name="报表老人乙", found_on=on(1, PERIOD.shift(-3)), risk_tier="low"
    )
    # As of the month's last day (Oct 31): rec1 overdue since Oct 21, rec2 due on Nov 3 (within 7 days).
    backdate(rec1, next_visit_due=on(21))
    backdate(rec2, next_visit_due=on(3, PERIOD.shift(1)))
    visit(rec1, on(2), kind="home")
    visit(rec1, on(9), kind="crisis", crisis=True)
    visit(rec2, on(31), kind="phone")
    visit(rec2, on(30, PERIOD.shift(-1)))
    Referral.objects.create(recipient=rec1, resource="hearing_aid", referred_on=on(9), referred_by=worker)
    Referral.objects.create(
        recipient=rec2,
        resource="meal_aid",
        referred_on=on(4),
        referred_by=worker,
        status="delivered",
        closed_on=on(20),
    )
    other = Recipient.objects.create(center=data.center_b, name="外街老人", found_on=on(1))
    visit(other, on(5))
    data.objects["recipient_names"] = ["报表老人甲", "报表老人乙"]


# ------------------------------------------------------------------ dispatch
def _request(
    center, created_at, *, channel="web", category="other", status="new", assign_after=None, close_after=None
):
    from dispatch.models import ServiceRequest

    return ServiceRequest.objects.create(
        number=f"R{next(_seq):011d}",
        category=category,
        description="楼道灯坏了",
        center=center,
        channel=channel,
        contact_phone="13800000001",
        contact_name="报表联系人",
        status=status,
        created_at=created_at,
        waiting_since=created_at if status == "new" else None,
        assigned_at=created_at + dt.timedelta(hours=assign_after) if assign_after is not None else None,
        closed_at=created_at + dt.timedelta(hours=close_after) if close_after is not None else None,
    )


def _dispatch(data: Dataset) -> None:
    from dispatch.models import Feedback

    req1 = _request(
        data.center_a,
        at(1),
        channel="web",
        category="elderly_help",
        status="done",
        assign_after=2,
        close_after=26,
    )
    req2 = _request(
        data.center_a,
        at(8),
        channel="hotline",
        category="repairs",
        status="done",
        assign_after=4,
        close_after=50,
    )
    _request(
        data.center_a,
        at(9),
        channel="web",
        category="repairs",
        status="cannot",
        assign_after=6,
        close_after=7,
    )
    _request(data.center_a, at(30), channel="wechat", category="other", status="new")
    _request(data.center_a, at(30, period=PERIOD.shift(-1)), status="new")  # the month before
    _request(data.center_b, at(3), status="new")
    Feedback.objects.create(request=req1, rating=5, source="online")
    Feedback.objects.create(request=req2, rating=3, source="staff", comment='=HYPERLINK("http://x")')


# ------------------------------------------------------------------ volunteers
def _volunteers(data: Dataset) -> None:
    from volunteers.models import HourRecord, LedgerEntry, PointAccount, Redemption, Shop, ShopItem, Volunteer

    r = data.residents
    before = at(1, period=PERIOD.shift(-2))

    def volunteer(user, center, registered_at):
        v = Volunteer.objects.create(user=user, center=center, consented_at=registered_at)
        backdate(v, registered_at=registered_at)
        return v

    v1 = volunteer(r["r1"], data.center_a, before)
    v2 = volunteer(r["r2"], data.center_a, before)
    v3 = volunteer(r["r3"], data.center_a, at(5))
    v4 = volunteer(r["r7"], data.center_b, before)

    def hours(v, center, served_on, amount, status="verified"):
        return HourRecord.objects.create(
            volunteer=v,
            center=center,
            source="leader",
            served_on=served_on,
            hours=Decimal(amount),
            status=status,
            reviewed_at=timezone.now() if status != "pending" else None,
        )

    h1 = hours(v1, data.center_a, on(3), "2.5")
    h2 = hours(v1, data.center_a, on(17), "1.5")
    h3 = hours(v2, data.center_a, on(4), "3")
    hours(v3, data.center_a, on(6), "2", status="pending")
    hours(v2, data.center_a, on(30, PERIOD.shift(-1)), "1")
    hours(v1, data.center_a2, on(8), "1")
    hours(v4, data.center_b, on(8), "2")

    acc1 = PointAccount.objects.create(volunteer=v1, balance=20)
    acc2 = PointAccount.objects.create(volunteer=v2, balance=30)
    shop = Shop.objects.create(center=data.center_a)
    item = ShopItem.objects.create(shop=shop, counter="points", name="大米", point_price=10, stock=5)

    def entry(account, kind, amount, balance, **links):
        # The ledger is append-only (the database refuses updates): create it "on" the 20th.
        with mock.patch("django.utils.timezone.now", return_value=at(20)):
            return LedgerEntry.objects.create(
                account=account, kind=kind, amount=amount, balance_after=balance, **links
            )

    entry(acc1, "earn", 25, 25, hour_record=h1)
    entry(acc1, "earn", 15, 40, hour_record=h2)
    entry(acc2, "earn", 30, 30, hour_record=h3)
    red1 = Redemption.objects.create(
        volunteer=v1, item=item, points=20, quantity=2, code=f"P{next(_seq):08d}"
    )
    red2 = Redemption.objects.create(
        volunteer=v2, item=item, points=10, code=f"P{next(_seq):08d}", status="cancelled", closed_at=at(22)
    )
    entry(acc1, "redeem", -20, 20, redemption=red1)
    entry(acc2, "redeem", -10, 20, redemption=red2)
    entry(acc2, "refund", 10, 30, redemption=red2)


# ------------------------------------------------------------------ deliberation
def _deliberation(data: Dataset, world) -> None:
    from deliberation.models import MediationCase, Meeting, Notice, Objection, Participant, Transition

    parties = ["leading", "principal", "resource", "professional"]

    def meeting(present):
        m = Meeting.objects.create(
            topic=f"报表议题{next(_seq)}",
            community=data.center_a.community,
            center=data.center_a,
            starts_at=at(11),
            ends_at=at(11, 11),
            status="held",
        )
        for party in parties:
            Participant.objects.create(meeting=m, party=party, name=f"{party}代表", attended=party in present)
        Transition.objects.create(meeting=m, from_status="scheduled", to_status="held", at=at(11, 12))
        return m

    m1 = meeting(parties)
    meeting(parties[:3])
    Transition.objects.create(meeting=m1, from_status="notice", to_status="closed", at=at(28))
    notice = Notice.objects.create(meeting=m1, text="方案公示", days=7, published_at=at(14), ends_at=at(21))
    o1 = Objection.objects.create(notice=notice, author=data.residents["r4"], text="=1+1 反对")
    o2 = Objection.objects.create(
        notice=notice, author=data.residents["r5"], text="噪音", answer="已调整", answered_at=at(16)
    )
    backdate(o1, created_at=at(15))
    backdate(o2, created_at=at(15))

    def case(title, opened_on, dispute_type, outcome="", closed_on=None):
        return MediationCase.objects.create(
            center=data.center_a,
            title=title,
            dispute_type=dispute_type,
            opened_on=opened_on,
            status="closed" if closed_on else "open",
            outcome=outcome,
            closed_on=closed_on,
        )

    case("工资纠纷", on(2), "wages", "agreement", on(12))
    case("房租纠纷", on(20, PERIOD.shift(-1)), "rent", "failed", on(5))
    case("邻里纠纷", on(25), "neighbours")


# ------------------------------------------------------------------ orgs
def _orgs(data: Dataset) -> None:
    from orgs.models import ContractTarget, Organization, ServiceContract, StageChange

    street_a = data.center_a.street
    o1 = Organization.objects.create(
        name="报表志愿队", kind="community", status="filed", street=street_a, stage="incubate"
    )
    o2 = Organization.objects.create(
        name="=仁与社工",  # a hostile name: exports must escape it
        kind="social_service",
        status="registered",
        street=street_a,
        stage="support",
        credit_code="52330502MJ0000000X",
        registered_on=on(1, PERIOD.shift(-12)),
        registering_authority="吴兴区民政局",
    )
    Organization.objects.create(
        name="已注销组织", kind="other", status="filed", street=street_a, is_active=False
    )
    Organization.objects.create(name="外街组织", kind="other", status="filed", street=data.center_b.street)
    StageChange.objects.create(
        organization=o1, sequence=1, to_stage="introduce", moved_at=at(1, period=PERIOD.shift(-1))
    )
    StageChange.objects.create(
        organization=o1,
        sequence=2,
        from_stage="introduce",
        to_stage="incubate",
        moved_at=at(7),
        reason="入驻孵化室",
    )
    contract = ServiceContract.objects.create(
        number=f"HT-{next(_seq)}",
        title="白鱼潭中心运营",
        buyer_street=street_a,
        operator=o2,
        starts_on=on(1, PERIOD.shift(-3)),
        ends_on=on(1, PERIOD.shift(9)),
        amount=Decimal("300000"),
    )
    contract.centers.set([data.center_a])
    ContractTarget.objects.create(
        contract=contract, metric="activities", period="month", minimum=Decimal("2")
    )
    ContractTarget.objects.create(
        contract=contract, metric="home_visits", period="month", minimum=Decimal("5")
    )
    data.objects["contract"] = contract


# ------------------------------------------------------------------ reports
def published_report(world, scope: str = "own", *, period: Period = PERIOD, **fields) -> Report:
    """A published report of the street of the world's own (or other) center, without computing."""
    street = world.center(scope).street
    version = Report.objects.filter(scope_key=f"street:{street.pk}", period=period.start).count() + 1
    return Report.objects.create(
        kind=Report.Kind.STREET,
        district=street.district,
        street=street,
        scope_key=f"street:{street.pk}",
        period=period.start,
        version=version,
        status=Report.Status.PUBLISHED,
        progress=100,
        trigger=Report.Trigger.WEB,
        published_at=timezone.now(),
        data=fields.pop("data", {"schema": 1, "sections": []}),
        **fields,
    )

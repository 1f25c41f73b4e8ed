"""Factories and builders for meetings at any stage, and mediation cases."""

import datetime as dt
import itertools

import factory
from django.utils import timezone

from deliberation import services
from deliberation.models import MediationCase, MediationParty, Meeting, Participant, Party
from tests.factories import CenterFactory, UserFactory

_phones = itertools.count()
ALL_PARTIES = [Party.LEADING, Party.PRINCIPAL, Party.RESOURCE, Party.PROFESSIONAL]


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    center = factory.SubFactory(CenterFactory)
    community = factory.SelfAttribute("center.community")
    topic = factory.Sequence(lambda n: f"关于垃圾投放驿站选点{n}")
    location = "社区议事厅"
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=3))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=2))


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    meeting = factory.SubFactory(MeetingFactory)
    party = Party.PRINCIPAL
    name = factory.Sequence(lambda n: f"居民代表{n}")
    affiliation = "居民代表"


def draft_meeting(*, center=None, parties=ALL_PARTIES, per_party: int = 1, **fields) -> Meeting:
    """A draft with ``per_party`` participants in each of ``parties``; the first one chairs."""
    meeting = MeetingFactory(**({"center": center} if center else {}), **fields)
    first = None
    for party in parties:
        for i in range(per_party):
            p = ParticipantFactory(
                meeting=meeting, party=party, name=f"{party.label}{i}", phone=f"1391{next(_phones):07d}"
            )
            first = first or p
    if first is not None and parties:
        meeting.chair = Participant.objects.filter(meeting=meeting, party=Party.PROFESSIONAL).first() or first
        meeting.save(update_fields=["chair"])
    return meeting


def held_meeting(
    *, center=None, parties=ALL_PARTIES, per_party: int = 1, absent=(), by=None, **fields
) -> Meeting:
    """A meeting already held: it started an hour ago; everyone attended except ``absent`` parties."""
    start = timezone.now() - dt.timedelta(hours=1)
    meeting = draft_meeting(
        center=center,
        parties=parties,
        per_party=per_party,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        **fields,
    )
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.SCHEDULED)
    meeting.refresh_from_db()
    present = [p.pk for p in meeting.participants.all() if p.party not in absent]
    services.record_attendance(meeting=meeting, present=present, by=by)
    meeting.refresh_from_db()
    return meeting


def voting_meeting(*, options=("北门绿化带旁", "3幢与5幢之间空地"), by=None, **kwargs) -> Meeting:
    meeting = held_meeting(by=by, **kwargs)
    speakers = list(meeting.participants.filter(attended=True))
    for i, speaker in enumerate(speakers):
        services.add_opinion(
            meeting=meeting,
            speaker=speaker,
            text=f"意见{i}：不要放在居民娱乐活动的场所",
            categories=["选址" if i % 2 == 0 else "卫生"],
            by=by,
        )
    services.finish_opinions(meeting=meeting, by=by)
    for title in options:
        services.add_option(meeting=meeting, title=title, description=f"{title}，靠近绿化", by=by)
    services.open_ballot(meeting=meeting, by=by)
    meeting.refresh_from_db()
    return meeting


def decided_meeting(*, by=None, **kwargs) -> Meeting:
    """Voted: every attendee votes for the first option (preliminary plan)."""
    meeting = voting_meeting(by=by, **kwargs)
    ballot = meeting.ballots.get()
    first = ballot.options.order_by("id").first()
    for participant in meeting.participants.filter(attended=True):
        services.cast_vote(ballot=ballot, participant=participant, option=first, by=by)
    services.close_ballot(ballot=ballot, by=by)
    meeting.refresh_from_db()
    return meeting


def final_meeting(*, by=None, **kwargs) -> Meeting:
    meeting = decided_meeting(by=by, **kwargs)
    today = timezone.localdate()
    services.plan_site_inspection(
        meeting=meeting, task="实地查看北门绿化带", responsible="仁与社工", due_on=today, by=by
    )
    services.record_site_inspection(
        meeting=meeting, findings="场地平整，离住户较远", inspected_on=today, by=by
    )
    services.adopt_final_plan(meeting=meeting, text="垃圾投放驿站设在北门绿化带旁", by=by)
    meeting.refresh_from_db()
    return meeting


def notice_meeting(*, by=None, days: int = 7, **kwargs) -> Meeting:
    meeting = final_meeting(by=by, **kwargs)
    services.publish_notice(meeting=meeting, days=days, by=by)
    meeting.refresh_from_db()
    return meeting


def closed_meeting(*, by=None, **kwargs) -> Meeting:
    meeting = notice_meeting(by=by, **kwargs)
    notice = meeting.notice
    notice.published_at -= dt.timedelta(days=30)
    notice.ends_at = timezone.now() - dt.timedelta(minutes=1)
    notice.save()
    services.close_meeting(meeting=meeting, by=by)
    meeting.refresh_from_db()
    return meeting


class MediationCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MediationCase

    center = factory.SubFactory(CenterFactory)
    community = factory.SelfAttribute("center.community")
    dispute_type = MediationCase.DisputeType.WAGES
    title = factory.Sequence(lambda n: f"服装加工厂工资纠纷{n}")
    opened_on = factory.LazyFunction(timezone.localdate)
    mediator = factory.SubFactory(UserFactory)


class MediationPartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MediationParty

    case = factory.SubFactory(MediationCaseFactory)
    side = MediationParty.Side.APPLICANT
    name = factory.Sequence(lambda n: f"当事人甲{n}")
    phone = "13712345678"


# ------------------------------------------------------------------ cheap builders for the URL matrix
def public_meeting(*, center, status=Meeting.Status.NOTICE) -> Meeting:
    """A meeting on public notice (or closed), written straight to the database."""
    start = timezone.now() - dt.timedelta(days=5)
    meeting = MeetingFactory(
        center=center,
        status=status,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        final_plan="最终方案",
    )
    for party in ALL_PARTIES:
        ParticipantFactory(meeting=meeting, party=party, attended=True)
    from deliberation.models import Notice

    Notice.objects.create(
        meeting=meeting,
        text="最终方案",
        days=7,
        published_at=start,
        ends_at=timezone.now() + dt.timedelta(days=3),
        status=Notice.Status.OPEN if status == Meeting.Status.NOTICE else Notice.Status.ENDED,
    )
    return meeting


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def closed_case(*, center, mediator=None, document: bool = True) -> MediationCase:
    from django.core.files.base import ContentFile

    from deliberation.models import MediationSession

    case = MediationCaseFactory(
        center=center,
        mediator=mediator or UserFactory(),
        status=MediationCase.Status.CLOSED,
        outcome=MediationCase.Outcome.AGREEMENT,
        closed_on=timezone.localdate(),
        agreement_summary="分两期付清",
    )
    MediationPartyFactory(case=case, name="何小兵")
    MediationSession.objects.create(case=case, held_at=timezone.now(), notes="面对面调解")
    if document:
        case.agreement_document.save("agreement.pdf", ContentFile(PDF_BYTES))
    return case

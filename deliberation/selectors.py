"""Reads for meetings, notices and mediation cases; visibility is applied here.

Public pages read only meetings in public notice or closed; staff reads pass through
``core.access.scope``. Tallies come from aggregate queries or from the rows the page shows anyway,
never from a query per row.
"""

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from core import access

from .models import (
    PUBLIC_STATUSES,
    Ballot,
    FollowUp,
    MediationCase,
    Meeting,
    Notice,
    Objection,
    Opinion,
    OpinionCategory,
    Option,
    Participant,
    Party,
    Transition,
)

PARTIES = list(Party)


# ------------------------------------------------------------------ four parties
@dataclass
class PartyPresence:
    """Which of the four parties are there: attended once attendance is recorded, else invited."""

    counts: dict
    by_attendance: bool

    @property
    def missing(self) -> list:
        return [party for party in PARTIES if not self.counts.get(party)]

    @property
    def missing_labels(self) -> list[str]:
        return [str(party.label) for party in self.missing]

    @property
    def is_three_plus_one(self) -> bool:
        return self.by_attendance and not self.missing

    @property
    def rows(self) -> list[tuple]:
        return [(party, party.label, self.counts.get(party, 0)) for party in PARTIES]


def attendance_recorded(meeting: Meeting) -> bool:
    return meeting.status not in (Meeting.Status.DRAFT, Meeting.Status.SCHEDULED, Meeting.Status.CANCELLED)


def party_presence(meeting: Meeting, participants=None) -> PartyPresence:
    """A meeting counts as 3+1 only when all four parties attended."""
    if participants is None:
        participants = meeting.participants.all()
    by_attendance = attendance_recorded(meeting)
    counts = Counter(p.party for p in participants if (p.attended if by_attendance else True))
    return PartyPresence(counts=dict(counts), by_attendance=by_attendance)


def attach_party_presence(meetings: list[Meeting]) -> list[Meeting]:
    """Set ``meeting.presence`` on each of a page of meetings with one query."""
    ids = [m.pk for m in meetings]
    attended = defaultdict(Counter)
    invited = defaultdict(Counter)
    rows = (
        Participant.objects.filter(meeting_id__in=ids)
        .values("meeting_id", "party", "attended")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        invited[row["meeting_id"]][row["party"]] += row["n"]
        if row["attended"]:
            attended[row["meeting_id"]][row["party"]] += row["n"]
    for meeting in meetings:
        by_attendance = attendance_recorded(meeting)
        counts = attended[meeting.pk] if by_attendance else invited[meeting.pk]
        meeting.presence = PartyPresence(counts=dict(counts), by_attendance=by_attendance)
    return meetings


# ------------------------------------------------------------------ opinions
@dataclass
class OpinionTally:
    by_party: list  # (party, label, count)
    by_category: list  # dicts: name, total, per-party counts in PARTIES order
    uncategorised: int
    total: int
    groups: list = field(default_factory=list)  # (category name, [opinions])


OPINION_FIELDS = ["id", "meeting_id", "speaker_id", "party", "text", "recorded_by_id", "recorded_at"]


def opinion_tally(meeting: Meeting) -> OpinionTally:
    """Opinions counted by party and by category (category × party), in one query: each opinion
    with each of its categories (or none), and the meeting's categories that hold no opinion."""
    said = (
        Opinion.objects.filter(meeting=meeting)
        .order_by()
        .values_list(*OPINION_FIELDS, "categories__id", "categories__name")
    )
    nulls = [Value(None, output_field=Opinion._meta.get_field(name)) for name in OPINION_FIELDS]
    empty = (
        OpinionCategory.objects.filter(meeting=meeting, opinions__isnull=True)
        .order_by()
        .values_list(*nulls, "id", "name")
    )
    speakers = {p.pk: p for p in meeting.participants.all()}
    opinions: dict[int, Opinion] = {}
    names: dict[int, str] = {}  # category id -> name, in the database's order of names
    filed = defaultdict(list)  # opinion id -> category ids
    for *values, category_id, name in said.union(empty, all=True).order_by("categories__name", "id"):
        if category_id is not None:
            names.setdefault(category_id, name)
        if values[0] is None:
            continue
        if values[0] not in opinions:
            opinion = Opinion.from_db(meeting._state.db, OPINION_FIELDS, values)
            if opinion.speaker_id in speakers:
                opinion.speaker = speakers[opinion.speaker_id]
            opinions[opinion.pk] = opinion
        if category_id is not None:
            filed[values[0]].append(category_id)
    ordered = sorted(opinions.values(), key=lambda o: (o.recorded_at, o.pk))
    party_counts = Counter(o.party for o in ordered)
    grouped = defaultdict(list)
    uncategorised = []
    for opinion in ordered:
        for category_id in filed[opinion.pk]:
            grouped[category_id].append(opinion)
        if not filed[opinion.pk]:
            uncategorised.append(opinion)
    rank = {category_id: i for i, category_id in enumerate(names)}
    categories = sorted(names, key=lambda c: (-len(grouped[c]), rank[c]))
    by_category = [
        {
            "name": names[c],
            "total": len(grouped[c]),
            "parties": [sum(o.party == party.value for o in grouped[c]) for party in PARTIES],
        }
        for c in categories
    ]
    groups = [(names[c], grouped[c]) for c in categories if grouped[c]]
    if uncategorised:
        groups.append(("", uncategorised))
    return OpinionTally(
        by_party=[(party, party.label, party_counts.get(party.value, 0)) for party in PARTIES],
        by_category=by_category,
        uncategorised=len(uncategorised),
        total=len(ordered),
        groups=groups,
    )


@dataclass
class OptionResult:
    option: Option
    total: int
    parties: list  # counts in PARTIES order


@dataclass
class BallotResult:
    """The rules: abstentions count towards the quorum but not for any option; the option with
    the most votes wins; a tie for the most votes (or no vote for any option) decides nothing."""

    ballot: Ballot
    options: list  # OptionResult, most votes first
    abstentions: int
    abstentions_by_party: list
    cast: int
    cast_by_party: list
    quorum: int

    @property
    def quorum_met(self) -> bool:
        return self.cast >= self.quorum

    @property
    def leaders(self) -> list[Option]:
        top = max((r.total for r in self.options), default=0)
        if top == 0:
            return [r.option for r in self.options]
        return [r.option for r in self.options if r.total == top]

    @property
    def is_tie(self) -> bool:
        return len(self.leaders) != 1

    @property
    def winner(self) -> Option | None:
        if not self.quorum_met or self.is_tie:
            return None
        return self.leaders[0]


def quorum_for(*, attended: int, percent: int) -> int:
    """Ballots needed: ``percent`` of the attending participants, rounded up, at least one."""
    return max(1, math.ceil(attended * percent / 100))


def ballot_results(meeting: Meeting) -> list[BallotResult]:
    """Every round of the meeting with its counts per option and per party, in one query: a row
    per round and option, with the votes for that option and the round's abstentions by party."""
    votes_for = {
        f"for_{party.value}": Count(
            "votes", filter=Q(votes__option=F("options"), votes__participant__party=party.value)
        )
        for party in PARTIES
    }
    # An abstention meets every option row of its round: counted once per round (distinct).
    abstentions = {
        f"abstain_{party.value}": Count(
            "votes",
            distinct=True,
            filter=Q(votes__option__isnull=True, votes__participant__party=party.value),
        )
        for party in PARTIES
    }
    rows = (
        Ballot.objects.filter(meeting=meeting)
        .select_related("winner")
        .annotate(
            option_pk=F("options__id"),
            option_title=F("options__title"),
            option_description=F("options__description"),
            **votes_for,
            **abstentions,
        )
        .order_by("number", "option_pk")
    )
    rounds: dict[int, tuple[Ballot, list[OptionResult]]] = {}
    for row in rows:
        ballot, options = rounds.setdefault(row.number, (row, []))
        if row.option_pk is not None:
            option = Option.from_db(
                row._state.db,
                ["id", "meeting_id", "title", "description"],
                [row.option_pk, meeting.pk, row.option_title, row.option_description],
            )
            parties = [getattr(row, f"for_{party.value}") for party in PARTIES]
            options.append(OptionResult(option=option, total=sum(parties), parties=parties))
    results = []
    for ballot, options in rounds.values():
        options.sort(key=lambda r: (-r.total, r.option.pk))
        abstain = [getattr(ballot, f"abstain_{party.value}") for party in PARTIES]
        cast_by_party = [sum(r.parties[i] for r in options) + abstain[i] for i in range(len(PARTIES))]
        results.append(
            BallotResult(
                ballot=ballot,
                options=options,
                abstentions=sum(abstain),
                abstentions_by_party=abstain,
                cast=sum(cast_by_party),
                cast_by_party=cast_by_party,
                quorum=ballot.quorum,
            )
        )
    return results


def result_of(ballot: Ballot) -> BallotResult:
    return next(r for r in ballot_results(ballot.meeting) if r.ballot.pk == ballot.pk)


# ------------------------------------------------------------------ the path of a decision
PATH_STEPS = [
    Meeting.Status.SCHEDULED,
    Meeting.Status.HELD,
    Meeting.Status.OPINIONS,
    Meeting.Status.VOTING,
    Meeting.Status.PRELIMINARY,
    Meeting.Status.INSPECTION,
    Meeting.Status.FINAL,
    Meeting.Status.NOTICE,
    Meeting.Status.CLOSED,
]


def decision_path(meeting: Meeting) -> list[dict]:
    """The steps of the state machine with the time each was reached (None: not yet)."""
    reached = {}
    for t in meeting.transitions.all():
        reached.setdefault(t.to_status, t)
    return [
        {
            "status": step,
            "label": step.label,
            "transition": reached.get(step.value),
            "current": meeting.status == step,
        }
        for step in PATH_STEPS
    ]


# ------------------------------------------------------------------ public pages
def list_public_meetings() -> QuerySet[Meeting]:
    """Meetings in public notice (first) and past decisions, with what a card shows."""
    return (
        Meeting.objects.filter(status__in=PUBLIC_STATUSES)
        .select_related("community__street", "center", "organizer", "notice", "chosen_option")
        .annotate(
            waiting_objections=Count(
                "notice__objections", filter=Q(notice__objections__answered_at__isnull=True)
            ),
            objection_count=Count("notice__objections"),
            public_order=Case(
                When(status=Meeting.Status.NOTICE, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
        )
        .order_by("public_order", "-notice__published_at", "-id")
    )


def get_public_meeting_queryset() -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(status__in=PUBLIC_STATUSES)
        .select_related(
            "community__street",
            "center",
            "space",
            "organizer",
            "notice",
            "chosen_option",
            "chair",
            "inspection",
        )
        .prefetch_related(
            "participants",
            "transitions",
            "inspection__photos",
            Prefetch("follow_ups", queryset=FollowUp.objects.order_by("due_on", "id")),
            Prefetch("notice__objections", queryset=Objection.objects.order_by("created_at", "id")),
        )
    )


# ------------------------------------------------------------------ staff
def list_meetings_for(user, action: str = "view") -> QuerySet[Meeting]:
    return access.scope(
        user,
        Meeting.objects.select_related("community__street", "center", "notice", "chair").order_by(
            "-starts_at", "-id"
        ),
        action,
    )


def get_meeting_queryset_for(user, action: str = "view") -> QuerySet[Meeting]:
    return access.scope(
        user,
        Meeting.objects.select_related(
            "community__street",
            "center",
            "space",
            "organizer",
            "notice",
            "chosen_option",
            "chair",
            "inspection",
        ).prefetch_related(
            "participants__user",
            "transitions__by",
            "options",
            "inspection__photos",
            "follow_ups",
            Prefetch(
                "notice__objections", queryset=Objection.objects.select_related("author", "answered_by")
            ),
        ),
        action,
    )


def organizations_for(user) -> QuerySet:
    """Organizations a staff member may name as organizer or mediator: the public registry of
    their streets and the district-wide ones (the registry itself is a public directory)."""
    from orgs.models import Organization

    organizations = Organization.objects.order_by("name")
    if access.is_district_wide(user):
        return organizations
    return organizations.filter(Q(street_id__in=access.street_ids(user)) | Q(street__isnull=True))


def voters_left(ballot: Ballot) -> QuerySet[Participant]:
    """Attending participants who have not voted in this round."""
    return Participant.objects.filter(meeting_id=ballot.meeting_id, attended=True).exclude(
        votes__ballot=ballot
    )


def list_cases_for(user) -> QuerySet[MediationCase]:
    return access.scope(
        user,
        MediationCase.objects.select_related("center", "community", "mediator", "mediator_org").order_by(
            "-opened_on", "-id"
        ),
    )


def get_case_queryset_for(user, action: str = "view") -> QuerySet[MediationCase]:
    return access.scope(
        user,
        MediationCase.objects.select_related(
            "center", "community", "mediator", "mediator_org"
        ).prefetch_related("parties", "sessions__recorded_by", "follow_up_calls__called_by"),
        action,
    )


def my_objections(user) -> QuerySet[Objection]:
    return (
        Objection.objects.filter(author=user).select_related("notice__meeting").order_by("-created_at")[:20]
    )


def my_mediation_cases(user) -> QuerySet[MediationCase]:
    return MediationCase.objects.filter(mediator=user).select_related("center").order_by("-opened_on")[:20]


# ------------------------------------------------------------------ figures for the monthly report
def deliberation_figures(*, start, end, center_ids=None) -> dict:
    """Counts for [start, end) for the monthly report, optionally for some centers only.

    meetings_held: meetings whose attendance was recorded in the period; three_plus_one: of
    those, how many had all four parties; decisions: meetings closed; notices: published;
    objections: filed; mediation_opened and mediation_by_outcome: cases opened / closed.
    """
    meetings = Meeting.objects.all()
    cases = MediationCase.objects.all()
    if center_ids is not None:
        meetings = meetings.filter(center_id__in=center_ids)
        cases = cases.filter(center_id__in=center_ids)
    held_ids = list(
        Transition.objects.filter(
            meeting__in=meetings, to_status=Meeting.Status.HELD, at__gte=start, at__lt=end
        ).values_list("meeting_id", flat=True)
    )
    full = (
        Participant.objects.filter(meeting_id__in=held_ids, attended=True)
        .values("meeting_id")
        .annotate(parties=Count("party", distinct=True))
        .filter(parties=len(PARTIES))
        .count()
    )
    return {
        "meetings_held": len(set(held_ids)),
        "three_plus_one": full,
        "decisions": Transition.objects.filter(
            meeting__in=meetings, to_status=Meeting.Status.CLOSED, at__gte=start, at__lt=end
        ).count(),
        "notices": Notice.objects.filter(
            meeting__in=meetings, published_at__gte=start, published_at__lt=end
        ).count(),
        "objections": Objection.objects.filter(
            notice__meeting__in=meetings, created_at__gte=start, created_at__lt=end
        ).count(),
        "mediation_opened": cases.filter(opened_on__gte=_date(start), opened_on__lt=_date(end)).count(),
        "mediation_by_outcome": dict(
            cases.filter(closed_on__gte=_date(start), closed_on__lt=_date(end))
            .values_list("outcome")
            .annotate(n=Count("id"))
            .order_by()
        ),
    }


def _date(value):
    return timezone.localtime(value).date() if hasattr(value, "hour") else value

"""District-scale deliberation data for benchmarks, with bulk inserts.

Per benchmark community: two closed decisions and one plan on public notice, each with 12
participants (three per party), 8 opinions, 3 options, a decided vote and one follow-up item;
and one mediation case per community center. At scale 1 (100 communities): 300 meetings,
3,600 participants, 2,400 opinions, 3,600 votes, 100 notices, 100 mediation cases.
"""

import datetime as dt
import random

from django.utils import timezone

from core.models import Center

from .models import (
    Ballot,
    FollowUp,
    MediationCase,
    MediationParty,
    Meeting,
    Notice,
    Opinion,
    OpinionCategory,
    Option,
    Participant,
    Party,
    SiteInspection,
    Transition,
    Vote,
)

BATCH = 5000
TOPICS = [
    "关于垃圾投放驿站选点",
    "关于电动车集中充电棚建设",
    "关于小区停车位划线",
    "关于绿色会客厅开放时间",
    "关于老旧小区加装电梯",
    "关于楼道堆物清理",
    "关于广场舞噪音时段",
    "关于小区绿化改造",
]
CATEGORIES = ["选址", "卫生", "安全", "便利", "管理"]
PARTIES = [Party.LEADING, Party.PRINCIPAL, Party.RESOURCE, Party.PROFESSIONAL]
PER_PARTY = 3


def seed(*, scale: int, rng: random.Random, stdout) -> None:
    centers = list(
        Center.objects.filter(level=Center.Level.COMMUNITY, slug__startswith="bench-c").select_related(
            "community"
        )
    )
    now = timezone.now()
    meetings = []
    for center in centers:
        for k, days_ago in enumerate((120, 60, 3)):
            start = now - dt.timedelta(days=days_ago + 10)
            meetings.append(
                Meeting(
                    topic=f"{rng.choice(TOPICS)}（{center.community.name}第{k + 1}次）",
                    community=center.community,
                    center=center,
                    location=f"{center.name}议事厅",
                    starts_at=start,
                    ends_at=start + dt.timedelta(minutes=90),
                    status=Meeting.Status.NOTICE if days_ago == 3 else Meeting.Status.CLOSED,
                    preliminary_plan="按表决结果暂定方案，实地考察后确定。",
                    final_plan="按多数意见实施，由物业负责施工，社区监督。",
                )
            )
    Meeting.objects.bulk_create(meetings, batch_size=BATCH)

    participants = [
        Participant(
            meeting=m, party=party, name=f"{party.label}{i + 1}", affiliation="居民代表", attended=True
        )
        for m in meetings
        for party in PARTIES
        for i in range(PER_PARTY)
    ]
    Participant.objects.bulk_create(participants, batch_size=BATCH)
    by_meeting = {}
    for p in participants:
        by_meeting.setdefault(p.meeting_id, []).append(p)

    categories = OpinionCategory.objects.bulk_create(
        [OpinionCategory(meeting=m, name=name) for m in meetings for name in CATEGORIES], batch_size=BATCH
    )
    cats = {}
    for c in categories:
        cats.setdefault(c.meeting_id, []).append(c)
    opinions = [
        Opinion(
            meeting=m,
            speaker=speaker,
            party=speaker.party,
            text=f"意见{j + 1}：请多考虑老人和孩子的便利。",
            recorded_at=m.starts_at,
        )
        for m in meetings
        for j, speaker in enumerate(rng.sample(by_meeting[m.pk], 8))
    ]
    Opinion.objects.bulk_create(opinions, batch_size=BATCH)
    Through = Opinion.categories.through
    Through.objects.bulk_create(
        [Through(opinion_id=o.pk, opinioncategory_id=rng.choice(cats[o.meeting_id]).pk) for o in opinions],
        batch_size=BATCH,
    )

    options = Option.objects.bulk_create(
        [
            Option(meeting=m, title=f"方案{letter}", description="方案说明")
            for m in meetings
            for letter in "ABC"
        ],
        batch_size=BATCH,
    )
    opts = {}
    for o in options:
        opts.setdefault(o.meeting_id, []).append(o)
    ballots = Ballot.objects.bulk_create(
        [
            Ballot(
                meeting=m,
                number=1,
                quorum=len(PARTIES) * PER_PARTY // 2,
                outcome=Ballot.Outcome.DECIDED,
                winner=opts[m.pk][0],
                opened_at=m.starts_at,
                closed_at=m.ends_at,
            )
            for m in meetings
        ],
        batch_size=BATCH,
    )
    BallotOptions = Ballot.options.through
    BallotOptions.objects.bulk_create(
        [BallotOptions(ballot_id=b.pk, option_id=o.pk) for b in ballots for o in opts[b.meeting_id]],
        batch_size=BATCH,
    )
    votes = []
    for b in ballots:
        choices = opts[b.meeting_id]
        for i, p in enumerate(by_meeting[b.meeting_id]):
            # The first option always leads: 7 of 12 votes, the rest spread, one abstention.
            option = choices[0] if i < 7 else (None if i == 11 else choices[1 + i % 2])
            votes.append(Vote(ballot=b, participant=p, option=option))
    Vote.objects.bulk_create(votes, batch_size=BATCH)
    Meeting.objects.bulk_update(
        [_set(m, chosen_option=opts[m.pk][0], chair=by_meeting[m.pk][-1]) for m in meetings],
        ["chosen_option", "chair"],
        batch_size=BATCH,
    )

    SiteInspection.objects.bulk_create(
        [
            SiteInspection(
                meeting=m,
                task="实地查看方案位置",
                responsible="社工",
                due_on=(m.starts_at + dt.timedelta(days=5)).date(),
                findings="现场条件满足方案要求。",
                inspected_on=(m.starts_at + dt.timedelta(days=3)).date(),
            )
            for m in meetings
        ],
        batch_size=BATCH,
    )
    notices = []
    for m in meetings:
        published = m.starts_at + dt.timedelta(days=10)
        ended = m.status == Meeting.Status.CLOSED
        notices.append(
            Notice(
                meeting=m,
                text=m.final_plan,
                days=7,
                published_at=published,
                ends_at=published + dt.timedelta(days=7),
                status=Notice.Status.ENDED if ended else Notice.Status.OPEN,
            )
        )
    Notice.objects.bulk_create(notices, batch_size=BATCH)
    FollowUp.objects.bulk_create(
        [
            FollowUp(
                meeting=m,
                title="方案施工",
                responsible="物业公司",
                status=FollowUp.Status.DONE if m.status == Meeting.Status.CLOSED else FollowUp.Status.TODO,
                done_on=(m.starts_at + dt.timedelta(days=40)).date()
                if m.status == Meeting.Status.CLOSED
                else None,
            )
            for m in meetings
        ],
        batch_size=BATCH,
    )
    steps = [s for s in Meeting.Status if s not in (Meeting.Status.DRAFT, Meeting.Status.CANCELLED)]
    transitions = []
    for m in meetings:
        previous = Meeting.Status.DRAFT
        for i, step in enumerate(steps):
            if step == Meeting.Status.CLOSED and m.status != Meeting.Status.CLOSED:
                break
            transitions.append(
                Transition(
                    meeting=m, from_status=previous, to_status=step, at=m.starts_at + dt.timedelta(days=i * 2)
                )
            )
            previous = step
    Transition.objects.bulk_create(transitions, batch_size=BATCH)

    today = timezone.localdate()
    cases = MediationCase.objects.bulk_create(
        [
            MediationCase(
                center=c,
                community=c.community,
                dispute_type=rng.choice(MediationCase.DisputeType.values),
                title="邻里纠纷调解",
                opened_on=today - dt.timedelta(days=rng.randint(1, 300)),
            )
            for c in centers
        ],
        batch_size=BATCH,
    )
    MediationParty.objects.bulk_create(
        [
            MediationParty(case=c, side=side, name=f"当事人{i + 1}")
            for c in cases
            for i, side in enumerate(MediationParty.Side.values[:2])
        ],
        batch_size=BATCH,
    )
    stdout.write(
        f"deliberation: {len(meetings)} meetings, {len(participants)} participants, {len(opinions)} opinions, "
        f"{len(votes)} votes, {len(notices)} notices, {len(cases)} mediation cases"
    )


def _set(obj, **fields):
    for name, value in fields.items():
        setattr(obj, name, value)
    return obj

"""3+1 deliberation: meetings held, decisions, public notices and objections; mediation cases by
outcome (deliberation app).

The definitions are those of deliberation.selectors.deliberation_figures (held = attendance
recorded in the month, decision = meeting closed in the month), computed here grouped per
street or center in a few queries instead of once per unit.
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_noop

from ..periods import Period, Scope
from . import (
    LABEL,
    PERCENT,
    Column,
    Table,
    breakdown,
    choice_labels,
    need_fields,
    need_model,
    ratio,
    unit_column,
)


def _grouped(qs, unit: str, **figures) -> list[dict]:
    return [{"unit": r.pop(unit), **r} for r in qs.values(unit).annotate(**figures).order_by()]


def deliberation(period: Period, scope: Scope) -> Table:
    Meeting = need_model("deliberation", "Meeting")
    need_fields(Meeting, "center", "status")
    Transition = need_model("deliberation", "Transition")
    need_fields(Transition, "meeting", "to_status", "at")
    Participant = need_model("deliberation", "Participant")
    need_fields(Participant, "meeting", "party", "attended")
    Notice = need_model("deliberation", "Notice")
    need_fields(Notice, "meeting", "published_at")
    Objection = need_model("deliberation", "Objection")
    need_fields(Objection, "notice", "created_at", "answered_at")

    in_month = {"at__gte": period.start_at, "at__lt": period.end_at}
    moves = Transition.objects.filter(scope.by_center("meeting__center"), **in_month)
    held = Meeting.objects.filter(
        scope.by_center("center"),
        Exists(Transition.objects.filter(meeting=OuterRef("pk"), to_status="held", **in_month)),
    )
    parties = [value for value, _label in Participant._meta.get_field("party").choices]
    all_four = held
    for party in parties:  # a meeting counts as 3+1 only when all four parties attended
        all_four = all_four.filter(
            Exists(Participant.objects.filter(meeting=OuterRef("pk"), attended=True, party=party))
        )
    notices = Notice.objects.filter(
        scope.by_center("meeting__center"), published_at__gte=period.start_at, published_at__lt=period.end_at
    )
    objections = Objection.objects.filter(
        scope.by_center("notice__meeting__center"),
        created_at__gte=period.start_at,
        created_at__lt=period.end_at,
    )
    meeting_unit = scope.unit_of_center("center")
    move_unit = scope.unit_of_center("meeting__center")
    per_unit = _grouped(held, meeting_unit, held=Count("pk"))
    per_unit += [
        {"unit": r["unit"], "three_plus_one": r["n"]} for r in _grouped(all_four, meeting_unit, n=Count("pk"))
    ]
    per_unit += _grouped(moves.filter(to_status="closed"), move_unit, decisions=Count("pk"))
    per_unit += _grouped(notices, move_unit, notices=Count("pk"))
    per_unit += _grouped(
        objections,
        scope.unit_of_center("notice__meeting__center"),
        objections=Count("pk"),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
    )
    columns = [
        unit_column(scope),
        Column("held", gettext_noop("Meetings held")),
        Column("three_plus_one", gettext_noop("With all four parties (3+1)")),
        Column("decisions", gettext_noop("Decisions (meetings closed)")),
        Column("notices", gettext_noop("Public notices posted")),
        Column("objections", gettext_noop("Objections filed")),
        Column("answered", gettext_noop("Objections answered")),
    ]
    table = breakdown(scope, columns, per_unit)
    table.notes.append(
        gettext_noop(
            "Meetings held: attendance recorded this month. Decisions: meetings closed this month after their notice period."
        )
    )
    return table


def mediation(period: Period, scope: Scope) -> Table:
    MediationCase = need_model("deliberation", "MediationCase")
    need_fields(MediationCase, "center", "dispute_type", "status", "outcome", "opened_on", "closed_on")
    cases = MediationCase.objects.filter(scope.by_center("center"))
    outcomes = [(v, label) for v, label in choice_labels(MediationCase, "outcome") if v]
    types = choice_labels(MediationCase, "dispute_type")
    closed = {
        (r["outcome"], r["dispute_type"]): r["n"]
        for r in cases.filter(closed_on__gte=period.start, closed_on__lt=period.end)
        .values("outcome", "dispute_type")
        .annotate(n=Count("pk"))
        .order_by()
    }
    flow = cases.aggregate(
        opened=Count("pk", filter=Q(opened_on__gte=period.start, opened_on__lt=period.end)),
        open_at_end=Count(
            "pk",
            filter=Q(opened_on__lt=period.end) & (Q(closed_on__isnull=True) | Q(closed_on__gte=period.end)),
        ),
    )
    columns = [Column("outcome", gettext_noop("Outcome"), LABEL)]
    columns += [Column(f"type_{value}", label) for value, label in types]
    columns += [
        Column("closed", gettext_noop("Cases closed")),
        Column("share", gettext_noop("Share"), PERCENT),
    ]
    rows = []
    for value, label in outcomes:
        per_type = [closed.get((value, t), 0) for t, _label in types]
        rows.append([label, *per_type, sum(per_type), None])
    all_closed = sum(row[-2] for row in rows)
    for row in rows:
        row[-1] = ratio(row[-2], all_closed)
    rows.append(
        [
            gettext_noop("All cases closed"),
            *[sum(row[i] for row in rows) for i in range(1, len(columns) - 1)],
            ratio(all_closed, all_closed),
        ]
    )
    rows.append([gettext_noop("Opened this month"), *[None] * len(types), flow["opened"], None])
    rows.append(
        [
            gettext_noop("Still in mediation at the month's end"),
            *[None] * len(types),
            flow["open_at_end"],
            None,
        ]
    )
    keys = [v for v, _label in outcomes] + ["closed", "opened", "open"]
    table = Table(columns=columns, rows=rows, keys=keys)
    table.notes.append(
        gettext_noop(
            "Cases closed this month by outcome and type of dispute; the last two rows count cases, not outcomes."
        )
    )
    return table

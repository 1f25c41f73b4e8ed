"""Spreadsheet exports: the minutes of a meeting, and the list of mediation cases without parties.

Written with core.spreadsheets (Chinese headers, frozen header row, and every text cell escaped
against formula injection: a cell starting with = + - @ is prefixed with an apostrophe).
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.spreadsheets import workbook_bytes

from . import selectors
from .models import Meeting


def _when(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "hour"):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
    return value.isoformat()


def minutes_workbook(meeting: Meeting) -> bytes:
    """The minutes as an .xlsx with one sheet per part of the record."""
    presence = selectors.party_presence(meeting)
    tally = selectors.opinion_tally(meeting)
    rounds = selectors.ballot_results(meeting)
    parties = [str(label) for _p, label, _n in tally.by_party]
    notice = getattr(meeting, "notice", None)
    inspection = getattr(meeting, "inspection", None)
    item, content = pgettext("follow-up", "Item"), _("Content")
    overview = [
        (_("Topic"), meeting.topic),
        (_("Community"), f"{meeting.community.street.name} · {meeting.community.name}"),
        (_("Hosting center"), meeting.center.name),
        (_("Time"), _when(meeting.starts_at)),
        (_("Place"), meeting.place),
        (_("Organized by"), meeting.organizer.name if meeting.organizer else ""),
        (_("Chair"), meeting.chair.name if meeting.chair else ""),
        (_("Status"), meeting.get_status_display()),
        (
            _("3+1 four parties"),
            _("Yes")
            if presence.is_three_plus_one
            else _("No, missing: %(parties)s") % {"parties": "、".join(presence.missing_labels)},
        ),
        (_("Background"), meeting.background),
        (_("Preliminary plan"), meeting.preliminary_plan),
        (_("Site inspection"), inspection.findings if inspection else ""),
        (_("Final plan"), meeting.final_plan),
        (_("Public notice"), f"{_when(notice.published_at)} – {_when(notice.ends_at)}" if notice else ""),
    ]
    party, total = _("Party"), _("Total")
    vote_rows = []
    for result in rounds:
        for row in result.options:
            vote_rows.append(
                {_("Round"): result.ballot.number, _("Option"): row.option.title, _("Votes"): row.total}
                | dict(zip(parties, row.parties, strict=True))
            )
        vote_rows.append(
            {_("Round"): result.ballot.number, _("Option"): _("Abstain"), _("Votes"): result.abstentions}
            | dict(zip(parties, result.abstentions_by_party, strict=True))
        )
        vote_rows.append(
            {
                _("Round"): result.ballot.number,
                _("Option"): _("Outcome"),
                _("Votes"): result.ballot.get_outcome_display(),
            }
            | {parties[0]: result.ballot.winner.title if result.ballot.winner else ""}
        )
    return workbook_bytes(
        {
            _("Overview"): [{item: k, content: v} for k, v in overview],
            _("Participants"): [
                {
                    party: p.get_party_display(),
                    pgettext("person", "Name"): p.name,
                    _("Affiliation"): p.affiliation,
                    _("Attended"): _("Yes") if p.attended else _("No"),
                }
                for p in meeting.participants.all()
            ],
            _("Opinions"): [
                {
                    _("Category"): name or _("Uncategorised"),
                    _("Speaker's party"): opinion.get_party_display(),
                    _("Opinion"): opinion.text,
                }
                for name, opinions in tally.groups
                for opinion in opinions
            ],
            _("Opinion tally"): [
                {_("Category"): row["name"], total: row["total"]}
                | dict(zip(parties, row["parties"], strict=True))
                for row in tally.by_category
            ]
            + [
                {_("Category"): _("All opinions"), total: tally.total}
                | dict(zip(parties, [n for _p, _l, n in tally.by_party], strict=True))
            ],
            _("Votes"): vote_rows,
            _("Follow-up"): [
                {
                    item: f.title,
                    _("Responsible"): f.responsible,
                    _("Due on"): _when(f.due_on),
                    _("Progress"): f.get_status_display(),
                    _("Progress note"): f.note,
                }
                for f in meeting.follow_ups.all()
            ],
            _("Status changes"): [
                {
                    _("At"): _when(t.at),
                    _("From"): t.get_from_status_display(),
                    _("To"): t.get_to_status_display(),
                    _("Changed by"): str(t.by) if t.by else "",
                    pgettext("remark", "Note"): t.note,
                }
                for t in meeting.transitions.all()
            ],
        }
    )


def mediation_workbook(cases) -> bytes:
    """Mediation cases without the parties: who they are never leaves the case page."""
    rows = []
    for case in cases:
        calls = list(case.follow_up_calls.all())
        rows.append(
            {
                _("No."): case.pk,
                _("Center"): case.center.name,
                _("Community"): case.community.name if case.community else "",
                _("Type of dispute"): case.get_dispute_type_display(),
                _("Short title"): case.title,
                _("Mediator"): str(case.mediator) if case.mediator else "",
                _("Mediating organization"): case.mediator_org.name if case.mediator_org else "",
                _("Status"): case.get_status_display(),
                _("Outcome"): case.get_outcome_display() if case.outcome else "",
                _("Opened on"): _when(case.opened_on),
                _("Closed on"): _when(case.closed_on),
                pgettext("mediation", "Sessions"): len(case.sessions.all()),
                _("Follow-up call"): calls[-1].get_kept_display() if calls else "",
            }
        )
    return workbook_bytes({_("Mediation cases"): rows})

"""Tallies, the four parties, public visibility and figures for the monthly report."""

import datetime as dt

import pytest
from django.utils import timezone

from core import access
from deliberation import selectors, services
from deliberation.models import Meeting, Party
from tests.factories import UserFactory

from .factories import closed_meeting, draft_meeting, held_meeting, notice_meeting, voting_meeting

pytestmark = pytest.mark.django_db


def test_a_meeting_is_3_plus_1_only_when_all_four_parties_attend():
    complete = held_meeting()
    missing = held_meeting(absent=[Party.RESOURCE])
    assert selectors.party_presence(complete).is_three_plus_one
    presence = selectors.party_presence(missing)
    assert not presence.is_three_plus_one
    assert presence.missing == [Party.RESOURCE] and presence.missing_labels == ["资源方"]


def test_before_the_meeting_presence_counts_invitations_and_is_never_3_plus_1():
    meeting = draft_meeting(parties=[Party.LEADING, Party.PRINCIPAL, Party.PROFESSIONAL])
    presence = selectors.party_presence(meeting)
    assert presence.missing == [Party.RESOURCE] and not presence.is_three_plus_one


def test_presence_for_a_page_of_meetings_takes_one_query(django_assert_num_queries):
    meetings = [held_meeting(), held_meeting(absent=[Party.LEADING]), draft_meeting()]
    fresh = list(Meeting.objects.filter(pk__in=[m.pk for m in meetings]).order_by("pk"))
    with django_assert_num_queries(1):
        selectors.attach_party_presence(fresh)
    assert [m.presence.is_three_plus_one for m in fresh] == [True, False, False]
    assert fresh[1].presence.missing == [Party.LEADING]


def test_opinions_are_tallied_by_category_and_by_party():
    meeting = held_meeting(per_party=2)
    speakers = {p.party: p for p in meeting.participants.all()}
    services.add_opinion(
        meeting=meeting, speaker=speakers["principal"], text="别放广场", categories=["选址"], by=None
    )
    services.add_opinion(
        meeting=meeting,
        speaker=speakers["principal"],
        text="要定时清运",
        categories=["卫生", "管理"],
        by=None,
    )
    services.add_opinion(
        meeting=meeting, speaker=speakers["resource"], text="北门有管线", categories=["选址"], by=None
    )
    services.add_opinion(meeting=meeting, speaker=speakers["leading"], text="少数服从多数", by=None)
    tally = selectors.opinion_tally(meeting)
    assert tally.total == 4 and tally.uncategorised == 1
    assert [n for _p, _l, n in tally.by_party] == [1, 2, 1, 0]
    rows = {row["name"]: row for row in tally.by_category}
    assert rows["选址"]["total"] == 2 and rows["选址"]["parties"] == [0, 1, 1, 0]
    assert rows["卫生"]["parties"] == [0, 1, 0, 0]
    assert [name for name, _ops in tally.groups][-1] == ""  # uncategorised last


def test_vote_results_are_given_per_party_with_abstentions():
    meeting = voting_meeting(per_party=2)
    ballot = meeting.ballots.get()
    first, second = ballot.options.order_by("id")
    plan = {"leading": first, "principal": second, "resource": first, "professional": None}
    for participant in meeting.participants.all():
        services.cast_vote(ballot=ballot, participant=participant, option=plan[participant.party], by=None)
    (result,) = selectors.ballot_results(meeting)
    rows = {r.option: r for r in result.options}
    assert rows[first].total == 4 and rows[first].parties == [2, 0, 2, 0]
    assert rows[second].parties == [0, 2, 0, 0]
    assert result.abstentions == 2 and result.abstentions_by_party == [0, 0, 0, 2]
    assert result.cast == 8 and result.quorum_met and result.winner == first


def test_the_quorum_is_rounded_up_and_at_least_one():
    assert selectors.quorum_for(attended=5, percent=50) == 3
    assert selectors.quorum_for(attended=0, percent=50) == 1
    assert selectors.quorum_for(attended=28, percent=50) == 14


def test_only_notices_and_closed_decisions_are_public_and_notices_come_first():
    closed = closed_meeting()
    notice = notice_meeting()
    draft_meeting()
    assert list(selectors.list_public_meetings()) == [notice, closed]


def test_the_decision_path_records_when_each_step_was_reached():
    meeting = closed_meeting()
    path = selectors.decision_path(meeting)
    assert [step["status"] for step in path][-1] == Meeting.Status.CLOSED
    reached = [step for step in path if step["transition"]]
    assert len(reached) == len(path) - 1  # all but "scheduled" (the builder starts from held)


def test_staff_scope_follows_the_hosting_center(world):
    own = draft_meeting(center=world.center_a)
    other = draft_meeting(center=world.center_b)
    assert list(selectors.list_meetings_for(world.user("worker"))) == [own]
    assert list(selectors.list_meetings_for(world.user("street"))) == [own]
    assert set(selectors.list_meetings_for(world.user("district"))) == {own, other}
    assert not selectors.list_meetings_for(world.user("resident")).exists()
    assert access.can(world.user("worker"), "change", own)
    assert not access.can(world.user("street"), "change", own)


def test_figures_for_the_monthly_report():
    start = timezone.now() - dt.timedelta(days=1)
    end = timezone.now() + dt.timedelta(days=1)
    full = notice_meeting()
    notice_meeting(absent=[Party.RESOURCE])
    services.file_objection(notice=full.notice, author=UserFactory(), text="离幼儿园太近")
    closed_meeting()
    figures = selectors.deliberation_figures(start=start, end=end)
    assert figures["meetings_held"] == 3
    assert figures["three_plus_one"] == 2
    assert figures["decisions"] == 1
    assert figures["notices"] == 2  # the closed meeting's notice was published a month ago
    assert figures["objections"] == 1
    only_full = selectors.deliberation_figures(start=start, end=end, center_ids=[full.center_id])
    assert only_full["meetings_held"] == 1 and only_full["objections"] == 1

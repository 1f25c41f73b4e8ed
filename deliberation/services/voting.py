"""Options and votes: majority rule (少数服从多数) with stated quorum and tie rules.

- Only participants who attended may vote; each votes once per round (a unique constraint),
  for one option or by abstaining. A repeated identical vote changes nothing; a different
  second vote is refused.
- Quorum: a round counts only when the ballots cast (abstentions included) reach the meeting's
  quorum share of the attending participants, rounded up.
- Majority: abstentions do not count for any option; the option with the most votes wins.
- Tie: when two or more options share the most votes (or nobody voted for any option) nothing
  is decided; the organizer opens a run-off round between the tied options. A round without
  quorum is repeated with the same options. Votes of an earlier round never carry over.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import User

from ..models import Ballot, Meeting, Option, Participant, Vote
from ..selectors import quorum_for, result_of
from .transitions import lock, move


@transaction.atomic
def add_option(*, meeting: Meeting, title: str, by: User | None, description: str = "") -> Option:
    locked = lock(meeting, "add_option")
    option = Option(meeting=locked, title=title.strip(), description=description.strip())
    option.full_clean()
    option.save()
    return option


@transaction.atomic
def open_ballot(*, meeting: Meeting, by: User | None) -> Ballot:
    """Open the first round (from "opinions recorded", with at least two options), or a new
    round after a tie (between the tied options) or a missed quorum (the same options)."""
    locked = lock(meeting, "open_vote")
    last = Ballot.objects.filter(meeting=locked).order_by("-number").first()
    if locked.status == Meeting.Status.OPINIONS:
        options = list(Option.objects.filter(meeting=locked))
        if len(options) < 2:
            raise ValidationError(_("Put at least two options to the vote."))
    else:
        if last is None or last.outcome == Ballot.Outcome.OPEN:
            raise ValidationError(_("A vote is already open: close it first."))
        if last.outcome == Ballot.Outcome.DECIDED:
            raise ValidationError(_("The vote has already decided."))
        result = result_of(last)
        options = result.leaders if last.outcome == Ballot.Outcome.TIE else list(last.options.all())
    attended = Participant.objects.filter(meeting=locked, attended=True).count()
    ballot = Ballot.objects.create(
        meeting=locked,
        number=(last.number + 1) if last else 1,
        quorum=quorum_for(attended=attended, percent=locked.quorum_percent),
    )
    ballot.options.set(options)
    move(locked, "open_vote", by=by, caller=meeting, note=_("Round %(n)d") % {"n": ballot.number})
    return ballot


@transaction.atomic
def cast_vote(
    *, ballot: Ballot, participant: Participant, option: Option | None, by: User | None
) -> tuple[Vote, bool]:
    """Record one participant's vote (``option`` None: abstains). Returns (vote, created).

    Safe under concurrency: the round's row is locked, and the unique constraint on
    (round, participant) catches any writer that slips past, so N identical posts make one vote.
    """
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if ballot.outcome != Ballot.Outcome.OPEN:
        raise ValidationError(_("This vote is closed."))
    if participant.meeting_id != ballot.meeting_id or not participant.attended:
        raise ValidationError(_("Only participants who attended the meeting may vote."))
    if option is not None and not ballot.options.filter(pk=option.pk).exists():
        raise ValidationError(_("This option is not part of this vote."))
    existing = Vote.objects.filter(ballot=ballot, participant=participant).first()
    if existing is None:
        try:
            with transaction.atomic():
                return Vote.objects.create(
                    ballot=ballot, participant=participant, option=option, recorded_by=by
                ), True
        except IntegrityError:
            existing = Vote.objects.get(ballot=ballot, participant=participant)
    if existing.option_id != (option.pk if option else None):
        raise ValidationError(
            _("%(name)s has already voted in this round: one vote per participant, it cannot be changed.")
            % {"name": participant.name}
        )
    return existing, False


@transaction.atomic
def close_ballot(*, ballot: Ballot, by: User | None) -> Ballot:
    """Count the round. A winner becomes the preliminary plan (voting → preliminary plan); a tie
    or a missed quorum leaves the meeting in voting for a new round."""
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    locked = lock(ballot.meeting, "close_vote")
    if ballot.outcome != Ballot.Outcome.OPEN:
        raise ValidationError(_("This vote is already closed."))
    result = result_of(ballot)
    ballot.closed_at = timezone.now()
    if not result.quorum_met:
        ballot.outcome = Ballot.Outcome.NO_QUORUM
    elif result.winner is None:
        ballot.outcome = Ballot.Outcome.TIE
    else:
        ballot.outcome = Ballot.Outcome.DECIDED
        ballot.winner = result.winner
    ballot.full_clean()
    ballot.save()
    if ballot.outcome == Ballot.Outcome.DECIDED:
        winner = ballot.winner
        locked.chosen_option = winner
        locked.preliminary_plan = locked.preliminary_plan or "\n".join(
            part for part in (winner.title, winner.description) if part
        )
        locked.save(update_fields=["chosen_option", "preliminary_plan", "updated_at"])
        note = _("Round %(n)d: %(option)s") % {"n": ballot.number, "option": winner.title}
        move(locked, "decide", by=by, note=note, caller=ballot.meeting)
    return ballot

"""The state machine of a 3+1 meeting: which step is legal from which status.

Every service that moves a meeting locks its row first (``select_for_update``; on SQLite the
portal's BEGIN IMMEDIATE serialises writers the same way), checks the status, and logs the
move as a Transition with the time and the user.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Meeting, Transition

S = Meeting.Status

# action -> (statuses it may start from, status it leads to or None when it stays)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "add_participant": ((S.DRAFT, S.SCHEDULED), None),
    "schedule": ((S.DRAFT,), S.SCHEDULED),
    "cancel": ((S.DRAFT, S.SCHEDULED), S.CANCELLED),
    "record_attendance": ((S.SCHEDULED,), S.HELD),
    "add_opinion": ((S.HELD,), None),
    "finish_opinions": ((S.HELD,), S.OPINIONS),
    "add_option": ((S.OPINIONS,), None),
    "open_vote": ((S.OPINIONS, S.VOTING), S.VOTING),
    "close_vote": ((S.VOTING,), None),
    "decide": ((S.VOTING,), S.PRELIMINARY),
    "revise_preliminary_plan": ((S.PRELIMINARY,), None),
    "plan_inspection": ((S.PRELIMINARY,), S.INSPECTION),
    "record_inspection": ((S.INSPECTION,), None),
    "adopt_final_plan": ((S.INSPECTION,), S.FINAL),
    "publish_notice": ((S.FINAL,), S.NOTICE),
    "close": ((S.NOTICE,), S.CLOSED),
    "add_follow_up": ((S.FINAL, S.NOTICE, S.CLOSED), None),
}

ACTION_LABELS = {
    "add_participant": gettext_lazy("invite a participant"),
    "schedule": gettext_lazy("schedule the meeting"),
    "cancel": gettext_lazy("cancel the meeting"),
    "record_attendance": gettext_lazy("record attendance"),
    "add_opinion": gettext_lazy("record an opinion"),
    "finish_opinions": gettext_lazy("finish recording opinions"),
    "add_option": gettext_lazy("add an option to vote on"),
    "open_vote": gettext_lazy("open a vote"),
    "close_vote": gettext_lazy("close the vote"),
    "decide": gettext_lazy("adopt the result of the vote"),
    "revise_preliminary_plan": gettext_lazy("revise the preliminary plan"),
    "plan_inspection": gettext_lazy("plan the site inspection"),
    "record_inspection": gettext_lazy("record the site inspection"),
    "adopt_final_plan": gettext_lazy("adopt the final plan"),
    "publish_notice": gettext_lazy("post the public notice"),
    "close": gettext_lazy("close the meeting"),
    "add_follow_up": gettext_lazy("add a follow-up item"),
}


def illegal_move(meeting: Meeting, action: str) -> ValidationError:
    allowed = TRANSITIONS[action][0]
    return ValidationError(
        _("Cannot %(action)s: the meeting is “%(status)s”; this step needs it to be “%(needed)s”.")
        % {
            "action": ACTION_LABELS[action],
            "status": meeting.get_status_display(),
            "needed": _("” or “").join(str(S(s).label) for s in allowed),
        },
        code="illegal_transition",
    )


def lock(meeting: Meeting, action: str) -> Meeting:
    """The meeting's row, locked, after checking that ``action`` is legal in its status."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.status not in TRANSITIONS[action][0]:
        raise illegal_move(locked, action)
    return locked


def move(locked: Meeting, action: str, *, by, note: str = "", caller: Meeting | None = None) -> Meeting:
    """Move a locked meeting to the status ``action`` leads to, and log it."""
    target = TRANSITIONS[action][1]
    if target is None or locked.status == target:
        return locked
    Transition.objects.create(
        meeting=locked, from_status=locked.status, to_status=target, by=by, note=note[:255]
    )
    locked.status = target
    locked.save(update_fields=["status", "updated_at"])
    if caller is not None:
        caller.status = target
    return locked


def allowed_actions(meeting: Meeting) -> set[str]:
    return {action for action, (sources, _target) in TRANSITIONS.items() if meeting.status in sources}

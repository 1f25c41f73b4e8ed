"""Writes of the deliberation app. Import from here: ``from deliberation import services``."""

from .mediation import (
    add_mediation_party,
    close_mediation_case,
    open_mediation_case,
    record_follow_up_call,
    record_mediation_session,
)
from .meetings import (
    add_follow_up,
    add_opinion,
    add_participant,
    adopt_final_plan,
    cancel_meeting,
    create_meeting,
    finish_opinions,
    plan_site_inspection,
    record_attendance,
    record_site_inspection,
    revise_preliminary_plan,
    schedule_meeting,
    set_chair,
    update_follow_up,
)
from .notices import answer_objection, close_meeting, end_expired_notices, file_objection, publish_notice
from .transitions import TRANSITIONS, allowed_actions
from .voting import add_option, cast_vote, close_ballot, open_ballot

__all__ = [
    "TRANSITIONS",
    "add_follow_up",
    "add_mediation_party",
    "add_opinion",
    "add_option",
    "add_participant",
    "adopt_final_plan",
    "allowed_actions",
    "answer_objection",
    "cancel_meeting",
    "cast_vote",
    "close_ballot",
    "close_mediation_case",
    "close_meeting",
    "create_meeting",
    "end_expired_notices",
    "file_objection",
    "finish_opinions",
    "open_ballot",
    "open_mediation_case",
    "plan_site_inspection",
    "publish_notice",
    "record_attendance",
    "record_follow_up_call",
    "record_mediation_session",
    "record_site_inspection",
    "revise_preliminary_plan",
    "schedule_meeting",
    "set_chair",
    "update_follow_up",
]

"""Views of the deliberation app: public notices, the organizer's workbench, mediation."""

from .manage import (
    meeting_act,
    meeting_create,
    meeting_list,
    meeting_manage,
    meeting_minutes,
    meeting_minutes_export,
)
from .mediation import case_act, case_agreement, case_detail, case_export, case_list
from .public import MeetingDetailView, MeetingListView, file_objection

__all__ = [
    "MeetingDetailView",
    "MeetingListView",
    "case_act",
    "case_agreement",
    "case_detail",
    "case_export",
    "case_list",
    "file_objection",
    "meeting_act",
    "meeting_create",
    "meeting_list",
    "meeting_manage",
    "meeting_minutes",
    "meeting_minutes_export",
]

"""Writes for the dispatch app; outside code imports from here."""

from .mobilisation import (
    answer_call,
    close_mobilisation,
    coming_count,
    escalate_due_mobilisations,
    escalate_mobilisation,
    start_mobilisation,
    volunteers_in_group,
)
from .reminders import queue_dispatch_reminders
from .service_requests import (
    answer_assignment,
    assign_request,
    close_request_as_impossible,
    complete_request,
    confirm_pending_request,
    new_request_number,
    purge_pending_requests,
    record_feedback,
    remind_hours,
    resend_code,
    start_pending_request,
    start_request,
    submit_request,
    withdraw_assignment,
)
from .supplies import record_supplies

__all__ = [
    "answer_call",
    "close_mobilisation",
    "coming_count",
    "escalate_due_mobilisations",
    "escalate_mobilisation",
    "start_mobilisation",
    "volunteers_in_group",
    "answer_assignment",
    "assign_request",
    "close_request_as_impossible",
    "complete_request",
    "confirm_pending_request",
    "new_request_number",
    "purge_pending_requests",
    "queue_dispatch_reminders",
    "record_feedback",
    "record_supplies",
    "remind_hours",
    "resend_code",
    "start_pending_request",
    "start_request",
    "submit_request",
    "withdraw_assignment",
]

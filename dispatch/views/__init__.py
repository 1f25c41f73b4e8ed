"""Pages of 我要服务: residents' form and status page, the staff desk, volunteers' tasks and calls."""

from .desk import (
    desk,
    desk_answer,
    desk_assign,
    desk_create,
    desk_detail,
    desk_feedback,
    desk_status,
    supply_list,
)
from .residents import request_confirm, request_create, request_photo, request_rate, request_status, site_list
from .volunteers import (
    call_answer,
    mobilisation_close,
    mobilisation_detail,
    mobilisation_list,
    task_answer,
    task_list,
    task_status,
)

__all__ = [
    "call_answer",
    "desk",
    "desk_answer",
    "desk_assign",
    "desk_create",
    "desk_detail",
    "desk_feedback",
    "desk_status",
    "mobilisation_close",
    "mobilisation_detail",
    "mobilisation_list",
    "request_confirm",
    "request_create",
    "request_photo",
    "request_rate",
    "request_status",
    "site_list",
    "supply_list",
    "task_answer",
    "task_list",
    "task_status",
]

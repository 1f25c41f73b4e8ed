"""Service requests (我要服务), dispatch, mobilisation and supplies."""

from .mobilisation import CallAnswer, Mobilisation, Wave
from .service_requests import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    TRANSITIONS,
    Assignment,
    Category,
    Channel,
    DispatchReminder,
    Feedback,
    PendingRequest,
    ServiceRequest,
    Status,
    StatusChange,
)
from .sites import CollectionSite, ServiceVehicle
from .supplies import SupplyEntry

__all__ = [
    "CLOSED_STATUSES",
    "OPEN_STATUSES",
    "TRANSITIONS",
    "Assignment",
    "CallAnswer",
    "Category",
    "Channel",
    "CollectionSite",
    "DispatchReminder",
    "Feedback",
    "Mobilisation",
    "PendingRequest",
    "ServiceRequest",
    "ServiceVehicle",
    "Status",
    "StatusChange",
    "SupplyEntry",
    "Wave",
]

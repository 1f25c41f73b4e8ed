"""The social-organization registry: organizations and their lifecycle, service contracts with
measurable targets, and venture grants (公益创投)."""

from .contracts import ContractTarget, Metric, Period, ServiceContract
from .grants import GrantCall, GrantProposal, ProjectProgress, ProposalReview
from .registry import (
    ALLOWED_TRANSITIONS,
    Domain,
    Organization,
    PlayedRole,
    SocialWorkerLevel,
    StaffMember,
    Stage,
    StageChange,
)

__all__ = [
    "ALLOWED_TRANSITIONS",
    "ContractTarget",
    "Domain",
    "GrantCall",
    "GrantProposal",
    "Metric",
    "Organization",
    "Period",
    "PlayedRole",
    "ProjectProgress",
    "ProposalReview",
    "ServiceContract",
    "SocialWorkerLevel",
    "Stage",
    "StageChange",
    "StaffMember",
]

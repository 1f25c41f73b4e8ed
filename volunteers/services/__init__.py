"""Writes of the volunteers app: every change to volunteers, hours, points and the shop goes through here."""

from .hours import (
    cancel_duty_signup,
    check_in,
    check_out,
    dispute_hours,
    issue_certificate,
    post_duty,
    record_hours,
    report_hours,
    sign_up_for_duty,
    verify_hours,
)
from .people import (
    award_honour,
    create_team,
    decide_membership,
    leave_team,
    register_volunteer,
    request_membership,
)
from .points import adjust_points, award_points, expire_points
from .shop import cancel_redemption, fulfil_redemption, may_keep, redeem_item, restock_item

__all__ = [
    "adjust_points",
    "award_honour",
    "award_points",
    "cancel_duty_signup",
    "cancel_redemption",
    "check_in",
    "check_out",
    "create_team",
    "decide_membership",
    "dispute_hours",
    "expire_points",
    "fulfil_redemption",
    "issue_certificate",
    "leave_team",
    "may_keep",
    "post_duty",
    "record_hours",
    "redeem_item",
    "register_volunteer",
    "report_hours",
    "request_membership",
    "restock_item",
    "sign_up_for_duty",
    "verify_hours",
]

"""Volunteers, teams, duties, hours, the points ledger and the community shop."""

from .hours import Category, Certificate, Duty, DutySignup, HourRecord
from .people import Availability, Honour, Membership, Skill, Team, Volunteer
from .points import CategoryWeight, LedgerEntry, PointAccount, PointRule
from .shop import Counter, Redemption, Shop, ShopItem

__all__ = [
    "Availability",
    "Category",
    "CategoryWeight",
    "Certificate",
    "Counter",
    "Duty",
    "DutySignup",
    "Honour",
    "HourRecord",
    "LedgerEntry",
    "Membership",
    "PointAccount",
    "PointRule",
    "Redemption",
    "Shop",
    "ShopItem",
    "Skill",
    "Team",
    "Volunteer",
]

"""Resident ID numbers (GB 11643-1999) and telephone numbers: validation and masking for lists."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ID_RE = re.compile(r"^\d{17}[\dX]$")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def id_check_character(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def validate_id_number(value: str) -> None:
    value = (value or "").upper()
    if not ID_RE.match(value) or id_check_character(value[:17]) != value[17]:
        raise ValidationError(
            _("Enter an 18-character resident ID number; the last character is a check digit or X."),
            code="invalid_id_number",
        )


def mask_id_number(value: str) -> str:
    """330502********123X: the region and the last four characters only."""
    if not value:
        return ""
    return f"{value[:6]}{'*' * (len(value) - 10)}{value[-4:]}" if len(value) > 10 else "*" * len(value)


def mask_phone(value: str) -> str:
    """139****0001 for a mobile number; landlines keep only their last four digits."""
    if not value:
        return ""
    if len(value) == 11 and value.isdigit():
        return f"{value[:3]}****{value[-4:]}"
    return f"****{value[-4:]}"

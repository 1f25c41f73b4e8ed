"""The unified social credit code (统一社会信用代码) of GB 32100-2015.

Eighteen characters from a 31-character set (digits and capital letters without I, O, S, V, Z).
The eighteenth is a check character: with the weights 3^i mod 31 over the first seventeen,
check = 31 - (weighted sum mod 31), where 31 is written as "0".
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {char: value for value, char in enumerate(CHARSET)}
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18

# Full-width forms typed by Chinese input methods, and separators people paste along.
_FULL_WIDTH = {
    ord(c): ord(c) - 0xFEE0
    for c in "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ"
}


def normalize_credit_code(value: str | None) -> str:
    """Upper-case, half-width, without spaces or dashes; the form stored and compared."""
    text = (value or "").upper().translate(_FULL_WIDTH)
    return "".join(ch for ch in text if ch not in " \t\r\n-\u3000")


def check_character(body: str) -> str:
    """The check character for the first seventeen characters of a code."""
    if len(body) != LENGTH - 1 or any(ch not in VALUES for ch in body):
        raise ValueError("the body must be 17 characters of the GB 32100 character set")
    total = sum(VALUES[ch] * weight for ch, weight in zip(body, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def is_valid_credit_code(value: str) -> bool:
    try:
        validate_credit_code(value)
    except ValidationError:
        return False
    return True


def validate_credit_code(value: str) -> None:
    """Refuse a code of the wrong length, with a character outside the set, or a wrong check character."""
    code = value or ""
    if len(code) != LENGTH:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(count)d."),
            code="credit_code_length",
            params={"count": len(code)},
        )
    bad = sorted({ch for ch in code if ch not in VALUES})
    if bad:
        raise ValidationError(
            _(
                "A unified social credit code uses only digits and capital letters other than "
                "I, O, S, V and Z; %(chars)s is not allowed."
            ),
            code="credit_code_charset",
            params={"chars": "、".join(bad)},
        )
    expected = check_character(code[:-1])
    if code[-1] != expected:
        raise ValidationError(
            _(
                "The unified social credit code %(code)s is not valid: its last (check) character "
                "should be %(expected)s. Please check the code for a typing mistake."
            ),
            code="credit_code_check",
            params={"code": code, "expected": expected},
        )


def make_credit_code(body: str) -> str:
    """A valid code from a seventeen-character body (for demo and benchmark data)."""
    return body + check_character(body)

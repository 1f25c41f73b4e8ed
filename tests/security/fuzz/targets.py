"""What the fuzz suite aims at beside the role x URL matrix (third-party pages, admin add pages),
the hostile values, and the check of a friendly error page."""

from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from tests.test_url_matrix import all_patterns

# Third-party pages without URL arguments that residents reach (allauth, the language switch).
THIRD_PARTY_NAMES = sorted(
    name
    for name, route in all_patterns()
    if route.startswith(("accounts/", "i18n/")) and "(?P<" not in route and "<" not in route
)


class _LongText(str):
    """10 kB of text that prints short in a failure report."""

    def __repr__(self) -> str:
        return "'x' * 10240"


LONG_TEXT = _LongText("x" * 10_240)

# Values that have broken web applications somewhere: wrong types, huge numbers, impossible dates,
# SQL, control characters, very long text, odd Unicode.
HOSTILE_VALUES = [
    "",
    "-1",
    "0",
    "99999999999999999999999999",
    "-99999999999999999999999999",
    "1e309",
    "NaN",
    "abc",
    "1.5",
    "2026-13-45",
    "9999-12-31",
    "0001-01-01",
    "2026-02-30T25:61",
    "' OR 1=1 --",
    "1; DROP TABLE core_user; --",
    '"><script>alert(1)</script>',
    "\x00",
    "a\x00b",
    LONG_TEXT,
    "%",
    "%00",
    "../../etc/passwd",
    "\u202e\ufeff\ud7ff",
    "１２３",
    "[]",
    "{}",
    "null",
    "True",
]


def admin_add_pages() -> list[str]:
    urls = []
    for model in admin.site._registry:
        try:
            urls.append(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add"))
        except NoReverseMatch:
            continue
    return urls


def assert_friendly_error_page(response) -> None:
    """A 4xx the user can read: the portal's own page in Chinese, no traceback, no debug page."""
    body = response.content.decode("utf-8", "replace")
    assert "Traceback" not in body
    assert "django.core" not in body
    assert 'lang="zh-hans"' in body or "lang=zh-hans" in body, body[:300]


__all__ = ["HOSTILE_VALUES", "THIRD_PARTY_NAMES", "admin_add_pages", "assert_friendly_error_page"]

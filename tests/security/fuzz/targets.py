"""What the fuzz suite aims at: every URL (from the role x URL matrix and the resolver), the hostile
values, and the checks shared by the tests of this folder."""

from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from tests.core.url_matrix import THIRD_PARTY_ROUTES
from tests.test_url_matrix import ROWS, all_patterns

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


def matrix_urls(world) -> list[tuple[str, str]]:
    """(name, path) of every URL pattern of the portal, arguments built in the actor's own scope."""
    urls = []
    for row in ROWS:
        kwargs = row.kwargs(world, "own") if row.kwargs else None
        urls.append((row.name, reverse(row.name, kwargs=kwargs)))
    for name in THIRD_PARTY_NAMES:
        try:
            urls.append((name, reverse(name)))
        except NoReverseMatch:  # a route allauth lists but this configuration turns off
            continue
    return urls


def matrix_row_names() -> list[str]:
    return [row.name for row in ROWS]


def admin_changelists() -> list[str]:
    return [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    ]


def admin_add_pages() -> list[str]:
    urls = []
    for model in admin.site._registry:
        try:
            urls.append(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add"))
        except NoReverseMatch:
            continue
    return urls


def server_error(response) -> str | None:
    """A description of the response when it is a server error, else None."""
    if response.status_code >= 500:
        return f"{response.status_code}"
    return None


def assert_friendly_error_page(response) -> None:
    """A 4xx the user can read: the portal's own page in Chinese, no traceback, no debug page."""
    body = response.content.decode("utf-8", "replace")
    assert "Traceback" not in body
    assert "django.core" not in body
    assert 'lang="zh-hans"' in body or "lang=zh-hans" in body, body[:300]


__all__ = ["HOSTILE_VALUES", "THIRD_PARTY_ROUTES", "admin_add_pages", "admin_changelists", "matrix_urls"]

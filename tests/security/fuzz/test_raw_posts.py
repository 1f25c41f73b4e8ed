"""Malformed POSTs to every URL of the portal: never a server error, and a refused request shows
the portal's own 400 page in Chinese, saying what was wrong."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.test_url_matrix import ROWS
from tests.url_matrix_rows import DENY, LOGIN

from .payloads import parser_bodies, value_bodies
from .targets import THIRD_PARTY_NAMES, admin_add_pages, assert_friendly_error_page

VALUE_BODIES = value_bodies()
PARSER_BODIES = parser_bodies()
ROWS_BY_NAME = {row.name: row for row in ROWS}
NAMES = [row.name for row in ROWS] + THIRD_PARTY_NAMES


def _path(world, name: str) -> str:
    row = ROWS_BY_NAME.get(name)
    return reverse(name, kwargs=row.kwargs(world, "own") if row and row.kwargs else None)


def _actors(name: str) -> list[str]:
    """Anonymous, then the signed-in user who gets furthest into the view."""
    row = ROWS_BY_NAME.get(name)
    actors = ["anonymous", "resident"]
    if row is not None and row.expected("GET", "resident") in (DENY, LOGIN):
        actors.append("admin")  # a staff page: its forms are fuzzed as staff
    if name.startswith(("volunteers:", "dispatch:task", "dispatch:call", "dispatch:mobilisation")):
        actors.append("volunteer")
    return actors


def _problems(response, what: str) -> list[str]:
    if response.status_code >= 500:
        return [f"{what}: server error {response.status_code}"]
    if response.status_code == 400 and "text/html" in response.get("Content-Type", ""):
        try:
            assert_friendly_error_page(response)
        except AssertionError as error:
            return [f"{what}: unfriendly 400 page {error}"]
    return []


@pytest.mark.parametrize("name", NAMES)
def test_malformed_values_never_cause_a_server_error(name, world, client):
    path = _path(world, name)
    problems = []
    for actor in _actors(name):
        for what, body, content_type in VALUE_BODIES:
            client.logout()
            if actor != "anonymous":
                client.force_login(world.user(actor))
            response = client.generic("POST", path, body, content_type=content_type)
            problems += _problems(response, f"{actor} {path} {what}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", NAMES)
def test_unparseable_bodies_get_the_friendly_400_page(name, world):
    """As in production, the CSRF check reads the form first: the parser's refusal is a 400."""
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "a" * 32
    path = _path(world, name)
    problems = []
    for what, body, content_type, strict in PARSER_BODIES:
        response = client.generic("POST", path, body, content_type=content_type)
        if response.status_code != 400 and (strict or not 400 <= response.status_code < 500):
            problems.append(f"{path} {what}: {response.status_code}, expected 400")
        problems += _problems(response, f"{path} {what}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", admin_add_pages())
def test_malformed_values_on_admin_add_pages_never_cause_a_server_error(path, world, client):
    client.force_login(world.user("admin"))
    problems = []
    for what, body, content_type in VALUE_BODIES[:3]:  # hostile values, twice, NUL
        response = client.generic("POST", path, body, content_type=content_type)
        problems += _problems(response, f"admin {path} {what}")
    assert not problems, "\n".join(problems)

"""The role x URL matrix: every URL pattern has a row, and every row holds for every actor."""

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests
from tests.url_matrix_rows import ACTORS, ANY_4XX, DENY, LOGIN, NOT_ALLOWED, OK, REDIRECT, SKIP

from .core.url_matrix import THIRD_PARTY_ROUTES


def _load_rows():
    rows = []
    for module in pkgutil.iter_modules(tests.__path__):
        if not module.ispkg:
            continue
        try:
            mod = importlib.import_module(f"tests.{module.name}.url_matrix")
        except ModuleNotFoundError:
            continue
        rows.extend(mod.ROWS)
    return rows


ROWS = _load_rows()


def _walk(patterns, namespace=None, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from _walk(p.url_patterns, ns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            name = p.name or p.lookup_str
            full = f"{namespace}:{name}" if namespace and p.name else name
            yield full, prefix + str(p.pattern)


def all_patterns():
    return list(_walk(get_resolver().url_patterns))


def test_every_url_pattern_has_a_matrix_row():
    listed = {row.name for row in ROWS}
    missing = sorted(
        f"{name} ({route})"
        for name, route in all_patterns()
        if name not in listed and not route.startswith(THIRD_PARTY_ROUTES)
    )
    assert not missing, "URL patterns without a row in the role x URL matrix: " + ", ".join(missing)


def test_every_matrix_row_names_a_real_pattern():
    names = {name for name, _route in all_patterns()}
    assert not [row.name for row in ROWS if row.name not in names]


CASES = [
    (row, method, actor)
    for row in ROWS
    for method in ("GET", "POST")
    for actor in ACTORS
    if (method == "GET" or row.post is not None) and row.expected(method, actor) != SKIP
]


def _outcome(response) -> str:
    code = response.status_code
    if 200 <= code < 300:
        return OK
    if code in (301, 302, 303):
        return LOGIN if "/accounts/login/" in response["Location"] else REDIRECT
    if code in (403, 404):
        return DENY
    if code == 405:
        return NOT_ALLOWED
    if 400 <= code < 500:
        return ANY_4XX
    return str(code)


@pytest.mark.parametrize(("row", "method", "actor"), CASES, ids=[f"{r.name}-{m}-{a}" for r, m, a in CASES])
def test_role_url_matrix(row, method, actor, world, client):
    role, _, scope = actor.partition("@")
    scope = scope or "own"
    if role != "anonymous":
        client.force_login(world.user(role))
    url = reverse(row.name, kwargs=row.kwargs(world, scope) if row.kwargs else None)
    if method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, row.post_data(world, scope) if row.post_data else {})
    assert response.status_code < 500
    assert _outcome(response) == row.expected(method, actor), (
        f"{method} {url} as {actor}: {response.status_code} {response.get('Location', '')}"
    )

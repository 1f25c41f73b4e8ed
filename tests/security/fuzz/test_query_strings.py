"""Hostile query strings on every filtered list and every admin changelist: never a server error;
the page answers 200 and shows why a filter value was refused, or a friendly 400/404."""

import html
import importlib
from urllib.parse import quote

import pytest
from django.contrib import admin
from django.urls import reverse
from django_filters import FilterSet

from tests.test_url_matrix import ROWS

from .payloads import PROJECT_APPS
from .targets import HOSTILE_VALUES, assert_friendly_error_page

# Each filtered or paginated list, the user who sees it, and the FilterSet it uses (None: it only
# reads ``page`` or a few parameters of its own).
LISTS = [
    ("centers:list", "anonymous", "centers.filters.CenterFilter"),
    ("centers:activity_list", "anonymous", "centers.filters.ActivityFilter"),
    ("centers:week", "anonymous", "centers.filters.ActivityFilter"),
    ("orgs:list", "anonymous", "orgs.filters.OrganizationFilter"),
    ("deliberation:list", "anonymous", "deliberation.filters.PublicMeetingFilter"),
    ("deliberation:manage_list", "admin", "deliberation.filters.StaffMeetingFilter"),
    ("dispatch:desk", "admin", "dispatch.filters.RequestFilter"),
    ("volunteers:index", "anonymous", None),
    ("volunteers:shop_list", "anonymous", None),
    ("reports:index", "admin", None),
    ("reports:dashboard", "admin", None),
    ("core:my_data", "resident", None),
    ("centers:children", "resident", None),
    ("orgs:contract_detail", "admin", None),
    ("care:overview", "admin", None),
]
OWN_PARAMETERS = ["page", "o", "ordering", "sort", "week", "month", "scope", "center", "format", "next"]


def _filterset(dotted: str) -> type[FilterSet]:
    module, name = dotted.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)


def _parameters(dotted: str | None) -> list[str]:
    names = list(OWN_PARAMETERS)
    if dotted:
        names += list(_filterset(dotted).base_filters)
    return sorted(set(names))


def _query(pairs) -> str:
    return "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs)


def _queries(names: list[str]) -> list[str]:
    queries = [_query((n, value) for n in names) for value in HOSTILE_VALUES]
    queries.append(_query((n, v) for n in names for v in ("1", "2", "abc")))  # repeated parameters
    queries.append("o=-password&ordering=nonexistent&sort=__class__&page=last&page=-1")
    queries.append("page=%ff%fe&q=%c3%28&\xff=1")  # invalid UTF-8 in the query string
    return queries


def test_every_filterset_of_the_portal_is_fuzzed():
    used = {dotted for _name, _actor, dotted in LISTS if dotted}
    defined = set()
    for label in PROJECT_APPS:
        try:
            module = importlib.import_module(f"{label}.filters")
        except ModuleNotFoundError:
            continue
        defined |= {
            f"{module.__name__}.{name}"
            for name, value in vars(module).items()
            if isinstance(value, type)
            and issubclass(value, FilterSet)
            and value.__module__ == module.__name__
        }
    assert defined <= used, f"FilterSets without a list in LISTS: {sorted(defined - used)}"


def _check(response, url: str) -> list[str]:
    code = response.status_code
    if code >= 500:
        return [f"{url[:120]}: server error {code}"]
    if code in (400, 404):
        try:
            assert_friendly_error_page(response)
        except AssertionError as error:
            return [f"{url[:120]}: unfriendly {code} page {error}"]
        return []
    if code not in (200, 302):
        return [f"{url[:120]}: {code}"]
    problems = []
    filterset = (response.context or {}).get("filter") if code == 200 else None
    form = getattr(filterset, "form", None)
    if form is not None and form.is_bound and form.errors:
        page = html.unescape(response.content.decode())
        for field, errors in form.errors.items():
            for error in errors:
                if error not in page:
                    problems.append(f"{url[:120]}: the refusal of {field} ({error[:80]}) is not shown")
    return problems


@pytest.mark.parametrize(("name", "actor", "filterset"), LISTS, ids=[row[0] for row in LISTS])
def test_hostile_query_strings_on_filtered_lists(name, actor, filterset, world, client):
    if actor != "anonymous":
        client.force_login(world.user(actor))
    row = next(row for row in ROWS if row.name == name)
    path = reverse(name, kwargs=row.kwargs(world, "own") if row.kwargs else None)
    problems = []
    for query in _queries(_parameters(filterset)):
        url = f"{path}?{query}"
        problems += _check(client.get(url), url)
    assert not problems, "\n".join(p[:300] for p in problems[:8])


def _admin_queries(model_admin) -> list[str]:
    queries = [
        "q=" + quote("x" * 10_240),
        "q=%27%20OR%201%3D1%20--&o=abc",
        "o=999.-999.1x&p=-1",
        "p=99999999999999999999&all=",
        "p=abc&e=1",
        "nonexistent__field=1&_changelist_filters=%ff",
        "q=%00",
    ]
    for spec in model_admin.list_filter:
        field = spec[0] if isinstance(spec, tuple) else spec
        if isinstance(field, str):
            queries.append(
                _query([(f"{field}__exact", "abc"), (f"{field}__id__exact", "-1"), (field, "2026-13-45")])
            )
        else:
            queries.append(_query([(getattr(field, "parameter_name", "x") or "x", "\u202e' OR 1=1 --")]))
    if model_admin.date_hierarchy:
        base = model_admin.date_hierarchy
        queries.append(
            _query([(f"{base}__year", "99999"), (f"{base}__month", "13"), (f"{base}__day", "abc")])
        )
        queries.append(_query([(f"{base}__year", "0"), (f"{base}__month", "0")]))
    return queries


@pytest.mark.parametrize(
    "model", list(admin.site._registry), ids=[m._meta.label for m in admin.site._registry]
)
def test_hostile_query_strings_on_admin_changelists(model, world, client):
    client.force_login(world.user("admin"))
    path = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    problems = []
    for query in _admin_queries(admin.site._registry[model]):
        url = f"{path}?{query}"
        response = client.get(url)
        if response.status_code >= 500:
            problems.append(f"{url[:200]}: server error {response.status_code}")
        elif response.status_code == 400:
            problems += _check(response, url)
    assert not problems, "\n".join(p[:300] for p in problems[:8])

"""Canaries: a marker in every sensitive field; every page and export, rendered as every person
not entitled to the data, shows none of them (issue #11)."""

import contextlib
import re

import pytest
from django.contrib import admin
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse

from core.models import Role
from core.services import grant_role
from tests.factories import UserFactory
from tests.test_url_matrix import ROWS, all_patterns
from tests.url_matrix_rows import NOT_ALLOWED, SKIP

from .canaries import CARE, GENERAL, SENSITIVE, fill, leaks, response_text

# Admin pages of libraries (periodic tasks, groups, e-mail addresses): their objects are no one's
# personal data, and the libraries' own views decide between 403 and 404.
THIRD_PARTY = ("/admin/django_celery_beat/", "/admin/auth/", "/admin/account/")
SKIPPED_ROUTES = ("admin/", "accounts/", "i18n/", "^media/")
# Extra requests that the URL patterns alone do not name: downloads behind a query string.
EXTRA_GETS = [
    ("core:my_data", {"format": "json"}),
    ("core:my_data", {"format": "xlsx"}),
]
EXTRA_POSTS = [("care:export", {"reason": "canary check of the export"})]


def _page_urls(world) -> list[str]:
    """Every GET URL pattern of the portal, with arguments naming objects of center A."""
    rows = {row.name: row for row in ROWS}
    urls = []
    for name, route in all_patterns():
        if route.startswith(SKIPPED_ROUTES):
            continue
        row = rows[name]  # the URL matrix gate guarantees a row
        if all(row.expected("GET", a) in (SKIP, NOT_ALLOWED) for a in ("resident", "worker", "admin")):
            continue  # POST-only: it shows nothing on GET
        urls.append(reverse(name, kwargs=_build(row, world) if row.kwargs else None))
    urls += [f"{reverse(name)}?{'&'.join(f'{k}={v}' for k, v in q.items())}" for name, q in EXTRA_GETS]
    return urls


def _twin(url: str) -> str | None:
    """The same address with the object's id replaced by one that names no row."""
    path, _, query = url.partition("?")
    twin = re.sub(r"/\d+/(?=[^/]*/?$|[^/]+/[^/]*$)", "/987654/", path, count=1)
    return None if twin == path else twin + (f"?{query}" if query else "")


def _build(row, world) -> dict:
    """The row's URL arguments. The matrix builds them in a fresh world per row; where a second
    build collides with the first (one volunteer profile per user), a stand-in resident and
    volunteer own the new objects."""
    try:
        with transaction.atomic():
            return row.kwargs(world, "own")
    except IntegrityError:
        saved = dict(world.users)
        world.users["resident"] = UserFactory()
        world.users["volunteer"] = UserFactory()
        grant_role(user=world.users["volunteer"], role=Role.VOLUNTEER)
        try:
            return row.kwargs(world, "own")
        finally:
            world.users = saved


def _admin_urls() -> list[str]:
    """The admin index, every app list, and per registered model its changelist (plain and
    searched for a marker), add page, and the change and history pages of marked rows."""
    marked = {spec.model.lower() for spec in SENSITIVE}
    urls = [reverse("admin:index")]
    for app_label in {m._meta.app_label for m in admin.site._registry}:
        urls.append(reverse("admin:app_list", args=[app_label]))
    for model, model_admin in admin.site._registry.items():
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls += [reverse(f"{info}_changelist"), reverse(f"{info}_changelist") + "?q=CNRY"]
        with contextlib.suppress(NoReverseMatch):
            urls.append(reverse(f"{info}_add"))
        pks = list(model._default_manager.order_by("-pk").values_list("pk", flat=True)[:3])
        if model._meta.label_lower not in marked:
            pks = pks[:1]
        for pk in pks:
            urls += [reverse(f"{info}_change", args=[pk]), reverse(f"{info}_history", args=[pk])]
        for field_name in model_admin.autocomplete_fields:
            urls.append(
                reverse("admin:autocomplete")
                + f"?app_label={model._meta.app_label}&model_name={model._meta.model_name}"
                f"&field_name={field_name}&term=CNRY"
            )
    return urls


def _outsiders(world) -> dict:
    other = world.center_b
    people = {}
    for role, key in ((Role.SOCIAL_WORKER, "worker@other"), (Role.CENTER_MANAGER, "manager@other")):
        people[key] = UserFactory(real_name=key)
        grant_role(user=people[key], role=role, center=other)
    people["street@other"] = UserFactory(real_name="street@other")
    grant_role(user=people["street@other"], role=Role.STREET_STAFF, street=other.street)
    return people


# Who may see neither kind of marker, and who may see the general ones but not care records.
NOT_ENTITLED = ["anonymous", "resident", "volunteer", "worker@other", "manager@other", "street@other"]
NOT_NEED_TO_KNOW = ["street", "district"]


@pytest.mark.parametrize("actor", NOT_ENTITLED + NOT_NEED_TO_KNOW)
def test_no_page_or_export_shows_a_canary_to_a_person_not_entitled_to_it(actor, world, client):
    outsiders = _outsiders(world)
    urls = _page_urls(world)
    counts = fill(centers=[world.center_a], streets=[world.center_a.street])
    assert counts["care.Recipient"] and counts["dispatch.ServiceRequest"] and counts["core.User"]
    urls += _admin_urls()
    person = None if actor == "anonymous" else outsiders.get(actor) or world.user(actor)
    prefixes = (GENERAL, CARE) if actor in NOT_ENTITLED else (CARE,)
    if person is not None:
        client.force_login(person)
    found, refused = {}, []
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, url
        # A 403 for this object but a 404 for a missing one would confirm that it exists.
        twin = _twin(url) if response.status_code == 403 and "@other" in actor else None
        if twin and not url.startswith(THIRD_PARTY) and client.get(twin).status_code != 403:
            refused.append(url)
        hits = leaks(response_text(response), allowed_owner=person and person.pk, prefixes=prefixes)
        if hits:
            found[url] = sorted(hits)[:5]
    for name, data in EXTRA_POSTS:
        response = client.post(reverse(name), data)
        hits = leaks(response_text(response), allowed_owner=person and person.pk, prefixes=prefixes)
        if hits:
            found[f"POST {reverse(name)}"] = sorted(hits)[:5]
    assert not found, f"{actor} sees markers: {found}"
    assert not refused, f"{actor} learns that these exist (403 here, 404 for a missing id): {refused}"

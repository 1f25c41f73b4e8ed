"""The registry's rows of the role x URL matrix (tests/test_url_matrix.py)."""

from tests.url_matrix_rows import DENY, LOGIN, NOT_ALLOWED, OK, PUBLIC, STAFF, Row

from .factories import GrantCallFactory, contract_for, filed_org


def scoped(world, scope):
    """An organization filed in the scope's street and a contract under which it runs the scope's center."""
    cache = world.__dict__.setdefault("_orgs", {})
    if scope not in cache:
        center = world.center(scope)
        org = filed_org(street=center.street, name=f"矩阵测试组织-{scope}")
        cache[scope] = (org, contract_for(center=center, operator=org))
    return cache[scope]


def a_call(world, scope):
    cache = world.__dict__.setdefault("_orgs_calls", {})
    return cache.setdefault(scope, GrantCallFactory())


ORG = lambda w, s: {"pk": scoped(w, s)[0].pk}  # noqa: E731
CONTRACT = lambda w, s: {"pk": scoped(w, s)[1].pk}  # noqa: E731
NOT_STAFF = {"anonymous": LOGIN, "resident": DENY, "volunteer": DENY}
IMPORTERS = {**NOT_STAFF, "worker": DENY, "manager": DENY, "*": OK}

ROWS = [
    Row("orgs:list", get=PUBLIC),
    Row("orgs:detail", kwargs=ORG, get=PUBLIC, note="public page; its staff part is tested in test_views"),
    Row(
        "orgs:move_stage",
        kwargs=ORG,
        get={"anonymous": LOGIN, "*": NOT_ALLOWED},
        post={
            **NOT_STAFF,
            "worker": DENY,
            "manager": DENY,
            "street": OK,
            "street@other": DENY,
            "district": OK,
            "admin": OK,
        },
        note="an empty form re-renders the page with its errors (200); only the registry's keepers may move",
    ),
    Row("orgs:contract_list", get={**NOT_STAFF, "*": OK}),
    Row("orgs:contract_detail", kwargs=CONTRACT, get={**NOT_STAFF, **STAFF}),
    Row(
        "orgs:import",
        get=IMPORTERS,
        post=IMPORTERS,
        note="an empty upload re-renders the form with its error",
    ),
    Row("orgs:import_template", get=IMPORTERS),
    Row("orgs:grant_list", get=PUBLIC),
    Row("orgs:grant_detail", kwargs=lambda w, s: {"pk": a_call(w, s).pk}, get=PUBLIC),
]

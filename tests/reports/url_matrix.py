"""Reports' rows of the role x URL matrix: street staff (their street) and the district only."""

from tests.url_matrix_rows import ANY_4XX, DENY, LOGIN, NOT_ALLOWED, OK, REDIRECT, Row

from .factories import PERIOD, published_report

READERS = {
    "anonymous": LOGIN,
    "street": OK,
    "district": OK,
    "admin": OK,
    "*": DENY,
}
# A report of the actor's own street (scope "own") or of the other street ("other").
ONE_REPORT = {**READERS, "street@other": DENY}


def _report(world, scope):
    return {"pk": published_report(world, scope).pk}


def _generate(world, scope):
    return {"scope": f"street:{world.center(scope).street_id}", "month": PERIOD.key}


ROWS = [
    Row("reports:index", get=READERS, note="no scope in the URL: street staff see their street's list"),
    Row("reports:dashboard", get=READERS),
    Row(
        "reports:generate",
        get={"anonymous": LOGIN, "*": NOT_ALLOWED},
        post={
            "anonymous": LOGIN,
            "street": REDIRECT,
            "street@other": ANY_4XX,
            "district": REDIRECT,
            "admin": REDIRECT,
            "*": DENY,
        },
        post_data=_generate,
        note="another street's scope is refused as bad input (400), nothing is queued",
    ),
    Row("reports:detail", kwargs=_report, get=ONE_REPORT),
    Row("reports:status", kwargs=_report, get=ONE_REPORT),
    Row("reports:print", kwargs=_report, get=ONE_REPORT),
    Row("reports:export_xlsx", kwargs=_report, get=ONE_REPORT),
    Row("reports:export_csv", kwargs=_report, get=ONE_REPORT),
]

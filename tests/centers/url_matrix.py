"""Role x URL rows for centers (centers:list, centers:detail and centers:activity_list are in
tests/core/url_matrix.py). Public pages are public; a resident's own actions need sign-in;
the personal calendar's secret address is its own credential."""

from tests.url_matrix_rows import ANY_4XX, DENY, LOGIN, NOT_ALLOWED, OK, PUBLIC, REDIRECT, SIGNED_IN, Row


def activity(world, scope):
    """One open activity per center of the world, made on first use."""
    from .factories import ActivityFactory

    cache = world.__dict__.setdefault("_centers_activities", {})
    if scope not in cache:
        cache[scope] = ActivityFactory(center=world.center(scope))
    return cache[scope]


def calendar_token(world, scope):
    from centers.services import get_calendar_token

    return get_calendar_token(user=world.user("resident")).token


POST_ONLY = {"anonymous": LOGIN, "*": NOT_ALLOWED}
BACK_TO_ACTIVITY = {"anonymous": LOGIN, "*": REDIRECT}  # a GET (e.g. after signing in) shows the activity

ROWS = [
    Row("centers:center_ical", kwargs=lambda w, s: {"slug": w.center(s).slug}, get=PUBLIC),
    Row("centers:week", get=PUBLIC),
    Row("centers:activity_detail", kwargs=lambda w, s: {"pk": activity(w, s).pk}, get=PUBLIC),
    Row("centers:activity_ical", kwargs=lambda w, s: {"pk": activity(w, s).pk}, get=PUBLIC),
    Row(
        "centers:signup",
        kwargs=lambda w, s: {"pk": activity(w, s).pk},
        get=BACK_TO_ACTIVITY,
        post={"anonymous": LOGIN, "*": REDIRECT},
        note="any signed-in resident may sign up for a public activity; success redirects to it",
    ),
    Row(
        "centers:cancel",
        kwargs=lambda w, s: {"pk": activity(w, s).pk},
        get=BACK_TO_ACTIVITY,
        post={"anonymous": LOGIN, "*": DENY},
        note="nobody in the matrix holds a sign-up: there is nothing of theirs to cancel (404)",
    ),
    Row(
        "centers:my_ical",
        kwargs=lambda w, s: {"token": calendar_token(w, s)},
        get=PUBLIC,
        note="the secret token in the address is the credential (a wrong token is a 404: test_views)",
    ),
    Row("centers:reset_calendar", get=POST_ONLY, post={"anonymous": LOGIN, "*": REDIRECT}),
    Row(
        "centers:children",
        get=SIGNED_IN,
        post={"anonymous": LOGIN, "*": ANY_4XX},
        note="an empty form is refused with the errors next to the fields",
    ),
]

__all__ = ["ROWS", "OK"]

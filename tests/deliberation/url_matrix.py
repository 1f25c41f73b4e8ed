"""Role x URL rows for the deliberation app: public notices, the workbench, mediation."""

import datetime as dt

from django.utils import timezone

from tests.url_matrix_rows import (
    ANY_4XX,
    DENY,
    LOGIN,
    NOT_ALLOWED,
    OK,
    PUBLIC,
    REDIRECT,
    SIGNED_IN,
    STAFF,
    Row,
)

from .factories import closed_case, draft_meeting, public_meeting

# Staff pages: residents and volunteers are refused; a scoped role acting on the other center's
# object gets a 404.
STAFF_PAGE = {**STAFF, "anonymous": LOGIN, "resident": DENY, "volunteer": DENY}
# Changes: field workers of the center (and the district) only; street staff read but do not change.
CHANGE = {
    "anonymous": LOGIN,
    "resident": DENY,
    "volunteer": DENY,
    "worker": REDIRECT,
    "worker@other": DENY,
    "manager": REDIRECT,
    "manager@other": DENY,
    "street": DENY,
    "street@other": DENY,
    "district": REDIRECT,
    "admin": REDIRECT,
}
POST_ONLY = {"anonymous": LOGIN, "*": NOT_ALLOWED}


def _meeting_form(w, s):
    center = w.center(s)
    start = timezone.localtime() + dt.timedelta(days=5)
    return {
        "topic": "关于楼道堆物清理",
        "community": center.community_id,
        "center": center.pk,
        "starts_at": f"{start:%Y-%m-%dT%H:%M}",
        "ends_at": f"{start + dt.timedelta(hours=2):%Y-%m-%dT%H:%M}",
        "quorum_percent": 50,
        "notice_days": 7,
    }


ROWS = [
    Row("deliberation:list", get=PUBLIC),
    Row(
        "deliberation:detail",
        kwargs=lambda w, s: {"pk": public_meeting(center=w.center(s)).pk},
        get=PUBLIC,
        note="notices and decisions are public whichever center hosts them",
    ),
    Row(
        "deliberation:object",
        kwargs=lambda w, s: {"pk": public_meeting(center=w.center(s)).pk},
        get=SIGNED_IN,
        post={"anonymous": LOGIN, "*": REDIRECT},
        post_data=lambda w, s: {"text": "驿站离幼儿园太近了，请重新考虑。"},
    ),
    Row(
        "deliberation:manage_list",
        get={"anonymous": LOGIN, "resident": DENY, "volunteer": DENY, "*": OK},
    ),
    Row(
        "deliberation:create",
        get={"anonymous": LOGIN, "resident": DENY, "volunteer": DENY, "street": DENY, "*": OK},
        post={
            "anonymous": LOGIN,
            "resident": DENY,
            "volunteer": DENY,
            "street": DENY,
            "worker@other": ANY_4XX,
            "manager@other": ANY_4XX,
            "*": REDIRECT,
        },
        post_data=_meeting_form,
        note="@other posts a center outside the user's scope: the form refuses it",
    ),
    Row(
        "deliberation:manage",
        kwargs=lambda w, s: {"pk": draft_meeting(center=w.center(s)).pk},
        get=STAFF_PAGE,
    ),
    Row(
        "deliberation:act",
        kwargs=lambda w, s: {"pk": draft_meeting(center=w.center(s)).pk, "action": "add_participant"},
        get=POST_ONLY,
        post=CHANGE,
        post_data=lambda w, s: {"party": "resource", "name": "陆海峰", "affiliation": "物业", "phone": ""},
    ),
    Row(
        "deliberation:minutes",
        kwargs=lambda w, s: {"pk": public_meeting(center=w.center(s)).pk},
        get=STAFF_PAGE,
    ),
    Row(
        "deliberation:minutes_export",
        kwargs=lambda w, s: {"pk": public_meeting(center=w.center(s)).pk},
        get=STAFF_PAGE,
    ),
    Row(
        "deliberation:mediation_list",
        get={"anonymous": LOGIN, "resident": DENY, "volunteer": DENY, "*": OK},
        note="a mediator who is not staff sees the list too (tests/deliberation/test_views.py)",
    ),
    Row(
        "deliberation:mediation_export",
        get={"anonymous": LOGIN, "resident": DENY, "volunteer": DENY, "*": OK},
    ),
    Row(
        "deliberation:mediation_detail",
        kwargs=lambda w, s: {"pk": closed_case(center=w.center(s), document=False).pk},
        get=STAFF_PAGE,
    ),
    Row(
        "deliberation:mediation_act",
        kwargs=lambda w, s: {
            "pk": closed_case(center=w.center(s), document=False).pk,
            "action": "follow_up_call",
        },
        get=POST_ONLY,
        post=CHANGE,
        post_data=lambda w, s: {
            "called_on": f"{timezone.localdate():%Y-%m-%d}",
            "kept": "kept",
            "note": "已履行",
        },
    ),
    Row(
        "deliberation:mediation_agreement",
        kwargs=lambda w, s: {"pk": closed_case(center=w.center(s)).pk},
        get=STAFF_PAGE,
    ),
]

"""Care's rows of the role x URL matrix. Rows of the care admin are tested in test_admin.py."""

from tests.url_matrix_rows import DENY, LOGIN, OK, Row

from .factories import recipient_of

FIELD = {"anonymous": LOGIN, "worker": OK, "manager": OK, "admin": OK, "*": DENY}

ROWS = [
    Row(
        "care:overview",
        get={"anonymous": LOGIN, "resident": DENY, "volunteer": DENY, "*": OK},
        note="counts per center, for every staff role (street staff: their street)",
    ),
    Row(
        "care:timeline",
        kwargs=lambda w, s: {"pk": recipient_of(w, s).pk},
        get={**FIELD, "worker@other": DENY, "manager@other": DENY},
        note="need-to-know: the recipient's center's social workers and managers only; district kept out",
    ),
    Row(
        "care:export",
        get={"anonymous": LOGIN, "manager": OK, "admin": OK, "*": DENY},
        post={"anonymous": LOGIN, "manager": OK, "admin": OK, "*": DENY},
        post_data=lambda w, s: {"reason": "matrix check of the export"},
        note="restricted to center managers (their own centers) and superusers",
    ),
]

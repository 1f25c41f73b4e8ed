from tests.url_matrix_rows import LOGIN, NOT_ALLOWED, OK, PUBLIC, SIGNED_IN, Row

ROWS = [
    Row("core:home", get=PUBLIC),
    Row("core:me", get=SIGNED_IN),
    Row(
        "core:my_data",
        get=SIGNED_IN,
        post={"anonymous": LOGIN, "*": OK},
        note="a POST without confirmation re-renders the form; erasure itself is tested in test_privacy",
    ),
    Row(
        "core:text_size",
        get={"*": NOT_ALLOWED},
        post={"*": "redirect"},
        post_data=lambda w, s: {"large": "1"},
    ),
    Row("core:healthz", get=PUBLIC),
    Row(
        "core:worker_ping",
        get={"*": NOT_ALLOWED},
        post={"anonymous": "deny", "resident": "deny", "volunteer": "deny", "*": OK},
    ),
    Row(
        "core:worker_ping_status",
        kwargs=lambda w, s: {"token": "nonexistent"},
        get={"*": "deny"},
        note="an unknown token is a 404 for everyone",
    ),
    Row("centers:list", get=PUBLIC),
    Row("centers:detail", kwargs=lambda w, s: {"slug": w.center(s).slug}, get=PUBLIC),
    Row("centers:activity_list", get=PUBLIC),
]

# Routes served by Django's admin, allauth and i18n: their own suites test them, and the admin's
# scoping is tested in tests/<app>/test_admin.py. Media files are served only with DEBUG on.
THIRD_PARTY_ROUTES = ("admin/", "accounts/", "i18n/", "^media/")

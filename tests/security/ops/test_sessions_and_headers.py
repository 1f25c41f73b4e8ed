"""Sessions, security headers, caching of personal pages and error pages.

Covered elsewhere:
- a new session key at sign-in: tests/core/test_accounts.py::test_sign_in_gives_a_new_session_key
- deactivating a user ends their session: tests/core/test_accounts.py::test_deactivating_a_user_ends_their_session_at_once
- CSP, nosniff and Referrer-Policy on the home page: tests/core/test_views.py::test_pages_carry_security_headers
- the 404 page in Chinese: tests/core/test_views.py::test_not_found_page_is_in_chinese_without_traceback
- no-store on care pages and admin: tests/care/test_views.py, tests/care/test_admin.py,
  tests/deliberation/test_admin.py; on the request status page: tests/dispatch/test_views.py
- the deploy check with production variables: tests/core/test_settings.py
"""

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[3]


# ------------------------------------------------------------------ sessions
def test_staff_idle_for_longer_than_the_timeout_are_signed_out(world, client, settings):
    settings.STAFF_IDLE_TIMEOUT = 600
    client.force_login(world.user("worker"))
    assert client.get("/admin/").status_code == 200

    session = client.session
    session["last_seen"] = int(time.time()) - 300  # five idle minutes: still signed in
    session.save()
    assert client.get("/admin/").status_code == 200

    session = client.session
    session["last_seen"] = int(time.time()) - 601
    session.save()
    response = client.get("/admin/")

    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_residents_are_not_held_to_the_staff_idle_timeout(world, client, settings):
    settings.STAFF_IDLE_TIMEOUT = 600
    client.force_login(world.user("resident"))
    session = client.session
    session["last_seen"] = int(time.time()) - 3600
    session.save()

    assert client.get(reverse("core:me")).status_code == 200


def test_deactivating_a_user_ends_every_session_they_have(db):
    user = UserFactory(email="two-phones@example.com")
    phones = [Client(), Client()]
    for phone in phones:
        phone.post(reverse("account_login"), {"login": "two-phones@example.com", "password": "pass-word-123"})
        assert phone.get(reverse("core:me")).status_code == 200

    user.is_active = False
    user.save(update_fields=["is_active"])

    for phone in phones:
        response = phone.get(reverse("core:me"))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# ------------------------------------------------------------------ headers
def _production_settings() -> dict:
    """The security settings as production computes them (DEBUG off), read in a fresh process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECURE_"))}
    env.update(
        DJANGO_SECRET_KEY="k" * 30 + "Zq8#x!" * 6,
        DJANGO_ALLOWED_HOSTS="portal.example.org",
        DJANGO_SETTINGS_MODULE="neighborhood.settings",
        DATABASE_URL=f"sqlite:///{ROOT / 'var' / 'deploy-check.sqlite3'}",
    )
    names = [
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_CONTENT_TYPE_NOSNIFF",
        "SECURE_REFERRER_POLICY",
        "X_FRAME_OPTIONS",
    ]
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_sends_hsts_for_a_year_with_subdomains_and_secure_cookies(db, settings):
    production = _production_settings()
    assert production["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert production["SECURE_SSL_REDIRECT"] and production["SESSION_COOKIE_SECURE"]
    assert production["CSRF_COOKIE_SECURE"]
    for name, value in production.items():
        setattr(settings, name, value)

    response = Client().get("/", secure=True)

    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert Client().get("/").status_code == 301  # plain HTTP is sent to HTTPS


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/admin/login/", "/no-such-page/"])
def test_every_kind_of_page_forbids_framing_and_inline_script(db, client, path):
    response = client.get(path)
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";") if part.strip()
    )

    assert policy["frame-ancestors"] == "'none'" and response["X-Frame-Options"] == "DENY"
    assert policy["script-src"] == "'self'"  # no 'unsafe-inline', no 'unsafe-eval'
    assert policy["object-src"] == "'none'" and policy["base-uri"] == "'self'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.I | re.S)
HANDLER = re.compile(r"<[a-z][^>]*?\son[a-z]+\s*=", re.I | re.S)
INLINE_STYLE = re.compile(r"<style\b|<[a-z][^>]*?\sstyle\s*=", re.I | re.S)


def _templates():
    for folder in [ROOT / "templates", *ROOT.glob("*/templates")]:
        if ".venv" not in folder.parts:
            yield from folder.rglob("*.html")


def test_no_template_holds_inline_script_or_event_handler_attributes():
    templates = list(_templates())
    assert len(templates) > 50
    found = []
    for template in templates:
        text = template.read_text(encoding="utf-8")
        name = str(template.relative_to(ROOT))
        for attributes, body in SCRIPT.findall(text):
            if body.strip() or "src=" not in attributes:
                found.append(f"{name}: inline <script{attributes}>")
        found += [f"{name}: event handler {m.group(0)[-20:]!r}" for m in HANDLER.finditer(text)]
        found += [f"{name}: javascript: URL" for _ in re.finditer(r"javascript:", text, re.I)]
        # Only the admin's policy allows inline style; the portal's forbids it too.
        if "admin" not in template.parts:
            found += [f"{name}: inline style" for _ in INLINE_STYLE.finditer(text)]
    assert found == []


# ------------------------------------------------------------------ caching of personal pages
@pytest.mark.parametrize(
    "path",
    ["/me/", "/me/data/", "/me/data/?format=json", "/me/data/?format=xlsx", "/admin/", "/admin/core/user/"],
)
def test_personal_pages_and_downloads_are_never_stored(world, client, path):
    client.force_login(world.user("admin"))

    response = client.get(path)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


# ------------------------------------------------------------------ error pages
def test_forbidden_page_is_in_chinese_without_traceback(world, client, settings):
    settings.DEBUG = False
    client.force_login(world.user("resident"))

    response = client.get(reverse("care:overview"))

    text = response.content.decode()
    assert response.status_code == 403
    assert "无权访问" in text and "Traceback" not in text and "PermissionDenied" not in text


def test_server_error_page_is_in_chinese_without_traceback(db, settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.security.ops.boom_urls"
    client = Client(raise_request_exception=False)

    response = client.get("/boom/")

    text = response.content.decode()
    assert response.status_code == 500
    assert "出错了" in text and 'lang="zh-hans"' in text
    assert "Traceback" not in text and "secret-internal-detail" not in text and "RuntimeError" not in text


def test_a_refused_form_explains_itself_in_chinese_in_the_portals_own_page(db, settings):
    settings.DEBUG = False
    browser = Client(enforce_csrf_checks=True)

    response = browser.post(reverse("account_login"), {"login": "a@example.com", "password": "x"})

    text = response.content.decode()
    assert response.status_code == 403
    assert "表单没有提交成功" in text and "刷新页面" in text
    assert "<style" not in text and "CSRF cookie" not in text and "Traceback" not in text

import os
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings

from core.sms import MemorySmsBackend
from neighborhood.workers import database_url, wait_until_ready, worker_command

from .world import build_world

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Let pytest-django empty the audit log between transactional tests.

    The audit log refuses DELETE and TRUNCATE unless core_audit_unlock holds a row (see core
    migration 0002). The test database keeps that row for its whole life; the test of the
    append-only rule removes it inside its own transaction.
    """
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_audit_unlock")
        cursor.execute("INSERT INTO core_audit_unlock (id) VALUES (1)")


def pytest_collection_modifyitems(session, config, items):
    """Run the URL-matrix gate first, so that an unlisted URL pattern is the first failure reported."""
    items.sort(key=lambda item: 0 if item.name == "test_every_url_pattern_has_a_matrix_row" else 1)


@pytest.fixture(autouse=True)
def _clean_outbox_and_cache():
    """Each test starts with no sent texts and fresh rate-limit counters."""
    from django.contrib import admin
    from django.core.cache import cache

    MemorySmsBackend.outbox.clear()
    cache.clear()
    getattr(admin.site, "_wrapped", admin.site)._app_lists.clear()  # kept a minute per user
    yield
    MemorySmsBackend.outbox.clear()


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def client_for(client):
    """``client_for(user)``: the test client signed in as ``user`` (or anonymous for None)."""

    def sign_in(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return sign_in


# ------------------------------------------------------------------ browser (pytest-playwright)
@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN"}


# ------------------------------------------------------------------ a real Celery worker
@pytest.fixture
def celery_worker_process(transactional_db, tmp_path):
    """Start ``celery -A neighborhood worker`` against the test database and a real broker.

    The broker is the configured Redis in CI, or a filesystem broker in a temporary folder.
    Tests that use this fixture see tasks run in another process, as in production.
    """
    from neighborhood.celery import app

    db = settings.DATABASES["default"]
    env = dict(
        os.environ,
        DJANGO_DEBUG="true",
        CELERY_TASK_ALWAYS_EAGER="false",
        DJANGO_SETTINGS_MODULE="neighborhood.settings_test",
    )
    env["DATABASE_URL"] = database_url(db)
    broker = os.environ.get("CELERY_BROKER_URL", "")
    transport_options = {}
    if not broker.startswith("redis"):
        folder = tmp_path / "broker"
        folder.mkdir()
        broker = "filesystem://"
        transport_options = {
            "data_folder_in": str(folder),
            "data_folder_out": str(folder),
            "control_folder": str(folder / "control"),
        }
        env["CELERY_TEST_FS_BROKER"] = str(folder)
    env["CELERY_BROKER_URL"] = broker
    old = (app.conf.task_always_eager, app.conf.broker_url, app.conf.broker_transport_options)
    app.conf.task_always_eager = False
    app.conf.broker_url = broker
    app.conf.broker_transport_options = transport_options
    _reset_connections(app)
    log = tmp_path / "worker.log"
    proc = subprocess.Popen(
        worker_command(f"test-{os.getpid()}", pool="solo", heartbeat=False),
        cwd=Path(settings.BASE_DIR),
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_ready(proc, log)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        app.conf.task_always_eager, app.conf.broker_url, app.conf.broker_transport_options = old
        _reset_connections(app)


def _reset_connections(app):
    """Forget the app's pools so the next publish uses the current broker settings.

    The pools themselves are kombu's, shared per broker URL: closing one would break every later
    publish to that broker in this process.
    """
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None


def wait_for(condition, timeout: float = 30.0, interval: float = 0.2):
    """Poll ``condition`` until it returns a truthy value or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    return condition()

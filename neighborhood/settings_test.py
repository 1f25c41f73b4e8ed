"""Test settings: the same module, with fast hashing, eager Celery unless a test starts a worker."""

import os

os.environ.setdefault("DJANGO_DEBUG", "true")
# Browser tests drive live_server from Playwright's event loop thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from neighborhood.settings import *  # noqa: E402,F403
from neighborhood.settings import (  # noqa: E402
    CELERY_BROKER_TRANSPORT_OPTIONS,
    DATA_DIR,
    DATABASES,
    STORAGES,
    env,
)

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not memory, so that a real worker process (tests/conftest.py) sees the same data.
    # One file per test process, so that parallel runs never share it.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / f"test-{os.getpid()}.sqlite3")}
MEDIA_ROOT = DATA_DIR / "test-media"

# Tests queue tasks eagerly unless a test starts a real worker (celery_worker_process fixture).
CELERY_TASK_ALWAYS_EAGER = (env("CELERY_TASK_ALWAYS_EAGER", "true") or "").lower() == "true"
CELERY_BROKER_URL = env("CELERY_BROKER_URL") or "memory://"
if not CELERY_BROKER_URL.startswith("redis"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {}
if os.environ.get("CELERY_TEST_FS_BROKER"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": os.environ["CELERY_TEST_FS_BROKER"],
        "data_folder_out": os.environ["CELERY_TEST_FS_BROKER"],
        "control_folder": os.environ["CELERY_TEST_FS_BROKER"] + "/control",
    }
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# A test's worker process keeps its texts in the database, where the test can count them.
SMS_BACKEND = os.environ.get("TEST_SMS_BACKEND", "core.sms.MemorySmsBackend")
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SECURE_SSL_REDIRECT = False
# Test only: seconds a report generation pauses after each section, so that a test can stop its
# worker "mid-report" (tests/security/ops/test_worker_faults.py).
REPORT_TEST_SECTION_DELAY = float(os.environ.get("REPORT_TEST_SECTION_DELAY", "0"))

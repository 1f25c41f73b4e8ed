"""Real Celery workers on Redis that a test may kill: prefork with one pool process, a short
visibility timeout, a sweep every second, and a pause after each report section."""

import os
import signal
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from neighborhood.workers import database_url, wait_until_ready, worker_command
from tests.conftest import _reset_connections

VISIBILITY_TIMEOUT = 4  # seconds: how long Redis waits before re-delivering a dead worker's task
LEASE = 3  # seconds: REPORT_LEASE_SECONDS for the worker processes
SECTION_DELAY = 0.5  # seconds each report section pauses, so that a test can kill "mid-report"


def children_of(pid: int) -> list[int]:
    """The ids of the processes whose parent is ``pid`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may hold spaces, so split after its closing bracket.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


class Workers:
    """Starts worker processes (each in its own process group) and kills them all at the end."""

    def __init__(self, broker: str, tmp_path: Path):
        self.broker = broker
        self.tmp_path = tmp_path
        self.started: list[subprocess.Popen] = []

    def start(self) -> subprocess.Popen:
        env = dict(
            os.environ,
            DJANGO_DEBUG="true",
            DJANGO_SETTINGS_MODULE="neighborhood.settings_test",
            CELERY_TASK_ALWAYS_EAGER="false",
            CELERY_BROKER_URL=self.broker,
            DATABASE_URL=database_url(settings.DATABASES["default"]),
            CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT),
            CELERY_RESTORE_INTERVAL="1",
            REPORT_LEASE_SECONDS=str(LEASE),
            REPORT_TEST_SECTION_DELAY=str(SECTION_DELAY),
            TEST_SMS_BACKEND="core.sms.ConsoleSmsBackend",
        )
        log = self.tmp_path / f"worker-{len(self.started)}.log"
        proc = subprocess.Popen(
            worker_command(f"ops-{os.getpid()}-{len(self.started)}", concurrency=1, heartbeat=False),
            cwd=Path(settings.BASE_DIR),
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        proc.log = log
        self.started.append(proc)
        wait_until_ready(proc, log)
        return proc

    def pool_process(self, proc: subprocess.Popen) -> int:
        children = children_of(proc.pid)
        assert len(children) == 1, f"expected one pool process, found {children}"
        return children[0]

    def kill_all_of(self, proc: subprocess.Popen) -> None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)

    def stop(self) -> None:
        for proc in self.started:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)


@pytest.fixture
def killable_workers(transactional_db, tmp_path):
    """``killable_workers.start()`` starts a worker; needs Redis (CELERY_BROKER_URL=redis://...)."""
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker.startswith("redis"):
        pytest.skip("worker fault tests need a Redis broker (CELERY_BROKER_URL=redis://...)")
    import redis

    from neighborhood.celery import app

    redis.Redis.from_url(broker).flushdb()  # no message left over from an earlier test
    old = (app.conf.task_always_eager, app.conf.broker_url, app.conf.broker_transport_options)
    app.conf.task_always_eager = False
    app.conf.broker_url = broker
    app.conf.broker_transport_options = {}
    _reset_connections(app)
    workers = Workers(broker, tmp_path)
    try:
        yield workers
    finally:
        workers.stop()
        redis.Redis.from_url(broker).flushdb()
        app.conf.task_always_eager, app.conf.broker_url, app.conf.broker_transport_options = old
        _reset_connections(app)

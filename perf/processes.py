"""Processes the benchmark starts (Celery workers, gunicorn, socat): started in their own process
group, stopped by their own id when the phase ends, whatever happens."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from neighborhood.workers import worker_command

LOG_DIR = Path(settings.DATA_DIR) / "bench" / "log"


def start(name: str, argv: list[str], *, env: dict | None = None) -> subprocess.Popen:
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    log = (LOG_DIR / f"{name}.log").open("w")
    return subprocess.Popen(
        argv,
        cwd=settings.BASE_DIR,
        env={**os.environ, **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: stopping it stops its children, nothing else
    )


def stop(proc: subprocess.Popen, timeout: float = 20) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@contextmanager
def running(*procs: subprocess.Popen):
    try:
        yield procs
    finally:
        for proc in procs:
            stop(proc)


def celery_worker(name: str, *, concurrency: int, prefix: list[str] | None = None, env: dict | None = None):
    """``celery -A neighborhood worker`` (prefork), optionally behind ``prefix`` (``ip netns exec ns``)."""
    argv = worker_command(name, concurrency=concurrency, loglevel="WARNING", prefix=prefix or ())
    return start(name, argv, env=env)


def wait_for_workers(names: list[str], timeout: float = 90) -> float:
    """Wait until every named worker answers a control ping and has run a task; returns seconds."""
    from core.models import WorkerPing
    from core.tasks import ping_worker_task
    from neighborhood.celery import app

    started = time.monotonic()
    waiting = set(names)
    while waiting and time.monotonic() - started < timeout:
        for reply in app.control.ping(timeout=1.0) or []:
            for node in reply:
                waiting.discard(node.split("@", 1)[0])
    if waiting:
        raise RuntimeError(
            f"workers {sorted(waiting)} did not answer within {timeout:.0f} s (logs in {LOG_DIR})"
        )
    token = secrets.token_hex(16)
    WorkerPing.objects.create(token=token)
    ping_worker_task.delay(token)
    while not WorkerPing.objects.filter(token=token, done_at__isnull=False).exists():
        if time.monotonic() - started > timeout:
            raise RuntimeError(f"no worker ran a task within {timeout:.0f} s (logs in {LOG_DIR})")
        time.sleep(0.1)
    return time.monotonic() - started


def purge_broker() -> None:
    from neighborhood.celery import app

    app.control.purge()

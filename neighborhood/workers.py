"""The Celery worker command line, in one place: the test fixtures and the benchmark start
workers with it, as an operator would (``celery -A neighborhood worker ...``)."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path


def worker_command(
    name: str,
    *,
    pool: str = "prefork",
    concurrency: int | None = None,
    loglevel: str = "INFO",
    heartbeat: bool = True,
    prefix: Sequence[str] = (),
) -> list[str]:
    """argv for one worker named ``name@host``; ``prefix`` runs it behind e.g. ``ip netns exec ns``."""
    argv = [*prefix, sys.executable, "-m", "celery", "-A", "neighborhood", "worker", f"--pool={pool}"]
    if concurrency is not None:
        argv.append(f"--concurrency={concurrency}")
    argv.append(f"--loglevel={loglevel}")
    if not heartbeat:
        argv.append("--without-heartbeat")
    return [*argv, "--without-gossip", "--without-mingle", "-n", f"{name}@%h"]


def wait_until_ready(proc: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    """Wait for the worker's "ready" line in its log (written at loglevel INFO)."""
    deadline = time.monotonic() + timeout
    while "ready" not in log.read_text():
        if proc.poll() is not None:
            raise RuntimeError(f"worker exited: {log.read_text()[-2000:]}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"worker not ready within {timeout:.0f} s: {log.read_text()[-2000:]}")
        time.sleep(0.2)


def database_url(db: dict) -> str:
    """The DATABASE_URL that points a worker at the database ``db`` (a DATABASES entry)."""
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"

"""Start, stop or check the development portal: web server, Celery worker and beat, in the background.

``manage.py portal start --port 8000`` migrates, loads the demo data, starts the three processes
detached from the terminal (logs in var/log/, pids in var/run/), waits until /healthz answers and
returns; ``manage.py portal stop`` stops them. ``make run`` and ``make stop`` call these.
"""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

PROCESSES = ("web", "worker", "beat")


class Command(BaseCommand):
    help = "start | stop | status of the development portal (web, worker, beat) in the background."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["start", "stop", "status"])
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))

    def handle(self, *args, action: str, port: int, **options):
        self.run_dir = Path(settings.DATA_DIR) / "run"
        self.log_dir = Path(settings.DATA_DIR) / "log"
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        getattr(self, f"_{action}")(port)

    def _pid(self, name: str) -> int | None:
        try:
            pid = int((self.run_dir / f"{name}.pid").read_text())
            os.kill(pid, 0)
            return pid
        except (FileNotFoundError, ValueError, ProcessLookupError, PermissionError):
            return None

    def _status(self, port: int) -> None:
        for name in PROCESSES:
            pid = self._pid(name)
            self.stdout.write(f"{name}: {'running (pid %d)' % pid if pid else 'stopped'}")

    def _stop(self, port: int) -> None:
        for name in PROCESSES:
            pid = self._pid(name)
            if pid:
                os.killpg(pid, signal.SIGTERM)
                for _ in range(50):
                    if self._pid(name) is None:
                        break
                    time.sleep(0.1)
                else:
                    os.killpg(pid, signal.SIGKILL)
            (self.run_dir / f"{name}.pid").unlink(missing_ok=True)
        self.stdout.write("portal stopped")

    def _start(self, port: int) -> None:
        self._stop(port)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable")
        call_command("load_demo", stdout=self.stdout)
        python = sys.executable
        celery = str(Path(python).parent / "celery")
        commands = {
            "worker": [
                celery,
                "-A",
                "neighborhood",
                "worker",
                "--loglevel=INFO",
                "--concurrency=2",
                "--pool=threads",
            ],
            "beat": [
                celery,
                "-A",
                "neighborhood",
                "beat",
                "--loglevel=INFO",
                "--pidfile=",
                "-s",
                str(self.run_dir / "celerybeat-schedule"),
            ],
            "web": [python, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        }
        for name, command in commands.items():
            with (self.log_dir / f"{name}.log").open("ab") as log:
                # A new session and no inherited descriptors: the portal outlives the shell that started it.
                process = subprocess.Popen(
                    command,
                    cwd=settings.BASE_DIR,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                    close_fds=True,
                )
            (self.run_dir / f"{name}.pid").write_text(str(process.pid))
        url = f"http://127.0.0.1:{port}/"
        for _ in range(120):
            try:
                with urllib.request.urlopen(url + "healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        else:
            raise CommandError(f"The portal did not answer on {url}healthz; see {self.log_dir}/web.log")
        from core.demo import ACCOUNTS, DEMO_PASSWORD

        self.stdout.write(self.style.SUCCESS(f"\nHappy Neighborhood portal: {url}   (admin: {url}admin/)"))
        self.stdout.write(f"Worker, beat and web logs: {self.log_dir}/   Stop with: make stop")
        self.stdout.write(
            f"Demo logins (password {DEMO_PASSWORD}): " + ", ".join(f"{r}@example.com" for r in ACCOUNTS)
        )

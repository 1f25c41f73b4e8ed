import json

from django.urls import reverse

from core.models import WorkerPing
from tests.conftest import wait_for


def test_a_task_queued_from_the_web_runs_in_a_real_background_worker(celery_worker_process, world, client):
    client.force_login(world.user("manager"))
    response = client.post(reverse("core:worker_ping"))
    assert response.status_code == 202
    token = json.loads(response.content)["token"]
    done = wait_for(lambda: WorkerPing.objects.filter(token=token, done_at__isnull=False).first(), timeout=60)
    assert done is not None, "the worker did not run the queued task"
    status = json.loads(client.get(reverse("core:worker_ping_status", args=[token])).content)
    assert status["done"] is True and status["worker"]


def test_a_real_worker_keeps_its_database_connection_from_one_task_to_the_next(celery_worker_process):
    """Celery would close the connection after every task; a new PostgreSQL backend for each one cost
    a center report a third of its time. The worker reuses it as Django does between requests."""
    import secrets

    import pytest
    from django.db import connection

    from core.tasks import ping_worker_task

    if connection.vendor != "postgresql":
        pytest.skip("a connection kept by another process is seen in PostgreSQL's pg_stat_activity")

    def worker_backends() -> set[int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                " AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
            )
            return {pid for (pid,) in cursor.fetchall()}

    seen = []
    for _ in range(2):
        token = secrets.token_hex(16)
        WorkerPing.objects.create(token=token)
        ping_worker_task.delay(token)
        done = wait_for(
            lambda t=token: WorkerPing.objects.filter(token=t, done_at__isnull=False).exists(), timeout=60
        )
        assert done, "the worker did not run the task"
        seen.append(worker_backends())
    assert seen[0], "the worker closed its connection after the task"
    assert seen[0] == seen[1]

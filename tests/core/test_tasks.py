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

"""The Celery application: configured from Django settings (CELERY_ namespace), tasks autodiscovered."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "neighborhood.settings")

app = Celery("neighborhood")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.task_prerun.connect
def _reuse_or_renew_the_database_connection(sender=None, **kwargs) -> None:
    """Before each task, what Django does before each request: a connection older than CONN_MAX_AGE
    or broken (the database restarted) is closed, a healthy one is checked and reused. Eager tasks
    run inside their caller's transaction and are left alone."""
    if sender is None or getattr(sender.request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()

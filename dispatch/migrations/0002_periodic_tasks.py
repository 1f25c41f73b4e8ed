"""Beat entries for dispatch, editable in the admin (Periodic tasks). get_or_create: idempotent."""

from django.db import migrations

TASKS = [
    # (name, task, every, period)
    ("dispatch: remind dispatchers of unassigned requests", "dispatch.tasks.remind_dispatchers_task", 10, "minutes"),
    ("dispatch: purge unconfirmed web requests", "dispatch.tasks.purge_pending_requests_task", 6, "hours"),
    ("dispatch: widen emergency calls without enough answers", "dispatch.tasks.escalate_mobilisations_task", 1, "minutes"),
]


def create(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, every, period in TASKS:
        schedule, _ = IntervalSchedule.objects.get_or_create(every=every, period=period)
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "interval": schedule})


def remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[t[0] for t in TASKS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("dispatch", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]

"""Beat entries for reminders and recurring activities, editable in the admin (Periodic tasks)."""

from django.db import migrations

TASKS = [
    # (name, task, every, period)
    ("centers: activity reminders", "centers.tasks.queue_reminders_task", 10, "minutes"),
    ("centers: extend recurring activities", "centers.tasks.extend_all_series_task", 6, "hours"),
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
        ("centers", "0002_booking_no_overlap_postgres"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]

"""Beat entries for meeting reminders and ending notice periods, editable in the admin (Periodic tasks)."""

from django.db import migrations

TASKS = [
    # (name, task, every, period)
    ("deliberation: meeting reminders", "deliberation.tasks.queue_meeting_reminders_task", 10, "minutes"),
    ("deliberation: end notice periods", "deliberation.tasks.end_expired_notices_task", 10, "minutes"),
]


def create(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, every, period in TASKS:
        # Other apps may have created the same interval; there is no unique constraint on it.
        schedule = IntervalSchedule.objects.filter(every=every, period=period).first()
        schedule = schedule or IntervalSchedule.objects.create(every=every, period=period)
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "interval": schedule})


def remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[t[0] for t in TASKS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("deliberation", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]

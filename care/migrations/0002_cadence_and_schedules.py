"""Default visit cadences and the beat entries (editable in the admin under Periodic tasks)."""

from django.db import migrations

CADENCES = [
    # risk tier, visit every N days, remind N days before, escalate after N days overdue
    ("high", 7, 1, 3),
    ("medium", 14, 2, 7),
    ("low", 30, 3, 14),
]
TASKS = [
    # name, task, minute, hour
    ("care: daily visit reminders", "care.tasks.send_visit_reminders_task", "30", "7"),
    ("care: anonymise records past retention", "care.tasks.anonymise_expired_recipients_task", "30", "2"),
]


def create(apps, schema_editor):
    CadencePolicy = apps.get_model("care", "CadencePolicy")
    for tier, interval, remind, escalate in CADENCES:
        CadencePolicy.objects.get_or_create(
            risk_tier=tier,
            defaults={"interval_days": interval, "remind_days_before": remind, "escalate_after_days": escalate},
        )
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, minute, hour in TASKS:
        schedule, _ = CrontabSchedule.objects.get_or_create(
            minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
        )
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "crontab": schedule})


def remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[t[0] for t in TASKS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]

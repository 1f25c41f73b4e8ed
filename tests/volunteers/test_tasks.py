from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from volunteers import tasks
from volunteers.models import HourRecord, LedgerEntry, PointAccount, PointRule

from .factories import TeamFactory, make_volunteer, verified_record


def test_expiry_task_takes_off_old_unspent_points_once(db, monkeypatch):
    PointRule.objects.create(name="规则", points_per_hour=10, expiry_years=1)
    team = TeamFactory()
    volunteer = make_volunteer(team=team)
    verified_record(volunteer=volunteer, team=team, hours="4")
    later = timezone.now() + timedelta(days=400)
    monkeypatch.setattr(tasks.timezone, "now", lambda: later)
    assert tasks.expire_points_task() == 1
    assert tasks.expire_points_task() == 0  # idempotent
    assert PointAccount.objects.get(volunteer=volunteer).balance == 0
    assert LedgerEntry.objects.filter(kind=LedgerEntry.Kind.EXPIRE).count() == 1


def test_award_task_credits_verified_hours_that_have_no_entry_yet(db):
    team = TeamFactory()
    volunteer = make_volunteer(team=team)
    record = HourRecord.objects.create(
        volunteer=volunteer,
        center=team.center,
        team=team,
        source="leader",
        served_on=timezone.localdate(),
        hours=Decimal("2"),
        status="verified",
        reviewed_at=timezone.now(),
    )  # e.g. imported as verified
    assert tasks.award_missing_points_task() == 1
    assert tasks.award_missing_points_task() == 0
    assert LedgerEntry.objects.get(hour_record=record).amount == 20


def test_the_tasks_are_scheduled_in_the_beat(db):
    from django_celery_beat.models import PeriodicTask

    names = set(PeriodicTask.objects.values_list("task", flat=True))
    assert {"volunteers.tasks.expire_points_task", "volunteers.tasks.award_missing_points_task"} <= names

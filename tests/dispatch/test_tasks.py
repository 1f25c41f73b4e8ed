import datetime as dt

import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from core.models import Role
from core.services import grant_role
from dispatch import services, tasks
from dispatch.models import DispatchReminder, ServiceRequest, StatusChange, Wave
from tests.conftest import wait_for
from tests.factories import CenterFactory, UserFactory

from .factories import CollectionSiteFactory, VolunteerFactory, make_request


def test_requester_is_told_of_a_change_once_even_if_the_task_runs_twice(db, outbox):
    request = make_request(phone="13700000051")
    change = StatusChange.objects.get(request=request)
    assert tasks.notify_requester_task(change.pk) is True
    assert tasks.notify_requester_task(change.pk) is False
    assert [to for to, _body in outbox] == ["13700000051"]


def test_done_message_asks_for_a_rating_with_the_link(db, outbox, on_commit):
    request = make_request(phone="13700000052")
    site = CollectionSiteFactory(center=request.center)
    staff = UserFactory()
    with on_commit():
        services.assign_request(request=request, by=staff, site=site)
        services.complete_request(request=request, by=staff)
    last = [body for to, body in outbox if to == "13700000052"][-1]
    assert "评价" in last and str(request.public_id) in last


def test_assignee_is_asked_until_they_answer(db, outbox):
    volunteer = VolunteerFactory(user=UserFactory(phone="13700000053"))
    request = make_request(volunteer.center)
    assignment = services.assign_request(request=request, by=UserFactory(), volunteer=volunteer)
    assert tasks.notify_assignee_task(assignment.pk) is True
    assert any(to == "13700000053" for to, _ in outbox)
    services.answer_assignment(assignment=assignment, accept=True, by=volunteer.user)
    assert tasks.notify_assignee_task(assignment.pk) is False


def test_reminder_digest_is_sent_once(db, settings):
    from django.core import mail

    settings.DISPATCH_REMIND_AFTER_HOURS = 1
    center = CenterFactory()
    grant_role(user=UserFactory(email="desk@example.com"), role=Role.SOCIAL_WORKER, center=center)
    request = make_request(center)
    ServiceRequest.objects.filter(pk=request.pk).update(waiting_since=timezone.now() - dt.timedelta(hours=2))
    services.queue_dispatch_reminders()
    mail.outbox.clear()
    assert tasks.notify_dispatchers_task(center.pk, "remind") == 1
    assert tasks.notify_dispatchers_task(center.pk, "remind") == 0
    assert len(mail.outbox) == 1 and request.display_number in mail.outbox[0].body


def test_periodic_tasks_are_registered_in_beat_once(db):
    import importlib

    from django.apps import apps as django_apps

    migration = importlib.import_module("dispatch.migrations.0002_periodic_tasks")
    migration.create(django_apps, None)  # running the registration again adds nothing
    names = {name for name, *_ in migration.TASKS}
    tasks_by_name = {t.name: t.task for t in PeriodicTask.objects.filter(name__in=names)}
    assert tasks_by_name == {name: task for name, task, *_ in migration.TASKS}
    assert "dispatch.tasks.remind_dispatchers_task" in tasks_by_name.values()


def test_escalation_timer_task_widens_an_overdue_call(db):
    center = CenterFactory()
    VolunteerFactory(center=center)
    VolunteerFactory(center=CenterFactory(community__street=center.street))
    call = services.start_mobilisation(
        center=center,
        title="防疫",
        message="值守",
        created_by=UserFactory(),
        needed=5,
        answer_within_minutes=10,
    )
    Wave.objects.filter(mobilisation=call).update(sent_at=timezone.now() - dt.timedelta(minutes=11))
    assert tasks.escalate_mobilisation_task(call.pk, 1) is True
    assert tasks.escalate_mobilisation_task(call.pk, 1) is False
    assert tasks.escalate_mobilisations_task() == 0


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_reminds_the_dispatcher_of_a_waiting_request(celery_worker_process, settings):
    center = CenterFactory()
    grant_role(user=UserFactory(email="desk@example.com"), role=Role.SOCIAL_WORKER, center=center)
    request = make_request(center)
    ServiceRequest.objects.filter(pk=request.pk).update(waiting_since=timezone.now() - dt.timedelta(hours=5))
    tasks.remind_dispatchers_task.delay()
    reminder = wait_for(
        lambda: DispatchReminder.objects.filter(request=request, sent_at__isnull=False).first(), timeout=60
    )
    assert reminder is not None and reminder.level == "remind"

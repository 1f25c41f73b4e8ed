import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from care import services
from care.models import Alert, CadencePolicy, Consent, FollowUp, Recipient, Referral, Visit
from core.models import AuditEntry, Role
from core.services import grant_role
from core.sms import MemorySmsBackend
from tests.factories import CenterFactory, UserFactory

from .factories import CANARY, ConsentFactory, RecipientFactory, VisitFactory

TODAY = timezone.localdate


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def visit_audits(visit) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(object_type="care.Visit", object_id=str(visit.pk)))


# ------------------------------------------------------------------ cadence
def test_logging_a_visit_moves_the_next_due_date_by_the_tier_cadence(world):
    worker = world.user("worker")
    recipient = RecipientFactory(center=world.center_a, risk_tier="medium", social_worker=worker)
    ConsentFactory(recipient=recipient, recorded_by=worker)

    visit = services.record_visit(
        recipient=recipient, visited_by=worker, visited_on=TODAY() - days(2), observations="老人精神好"
    )

    recipient.refresh_from_db()
    assert recipient.last_visited_on == TODAY() - days(2)
    assert recipient.next_visit_due == TODAY() + days(12)  # medium: every two weeks
    entries = visit_audits(visit)
    assert [e.action for e in entries] == ["add"]
    assert entries[0].actor == worker
    assert entries[0].role == "social_worker"


def test_a_late_entry_of_an_older_visit_does_not_pull_the_due_date_back(world):
    worker = world.user("worker")
    recipient = RecipientFactory(center=world.center_a, risk_tier="high")
    services.record_visit(recipient=recipient, visited_by=worker, visited_on=TODAY() - days(1))
    services.record_visit(recipient=recipient, visited_by=worker, visited_on=TODAY() - days(6))
    recipient.refresh_from_db()
    assert recipient.next_visit_due == TODAY() + days(6)


def test_a_recipient_never_visited_is_due_from_the_day_they_were_found(world):
    recipient = services.save_recipient(
        recipient=Recipient(center=world.center_a, name="新对象", found_on=TODAY() - days(3)),
        actor=world.user("worker"),
    )
    assert recipient.next_visit_due == TODAY() - days(3)
    assert (
        AuditEntry.objects.filter(
            object_type="care.Recipient", object_id=str(recipient.pk), action="add"
        ).count()
        == 1
    )


def test_changing_a_tiers_cadence_moves_the_due_dates_of_its_recipients(world):
    recipient = RecipientFactory(center=world.center_a, risk_tier="low")
    services.record_visit(recipient=recipient, visited_by=world.user("worker"), visited_on=TODAY() - days(5))
    policy, _ = CadencePolicy.objects.get_or_create(
        risk_tier="low", defaults={"interval_days": 30, "escalate_after_days": 14}
    )
    policy.interval_days = 21
    services.save_cadence_policy(policy=policy, actor=world.user("district"))
    recipient.refresh_from_db()
    assert recipient.next_visit_due == TODAY() + days(16)


def test_cadence_falls_back_to_the_defaults_without_policies(world):
    CadencePolicy.objects.all().delete()
    assert services.cadence_for("high").interval_days == 7
    assert services.cadence_for("low").interval_days == 30


def test_deleting_a_visit_restores_the_previous_due_date_and_is_audited(world):
    worker = world.user("worker")
    recipient = RecipientFactory(center=world.center_a, risk_tier="high")
    services.record_visit(recipient=recipient, visited_by=worker, visited_on=TODAY() - days(10))
    latest = services.record_visit(recipient=recipient, visited_by=worker, visited_on=TODAY() - days(1))
    services.delete_visit(visit=latest, actor=world.user("manager"))
    recipient.refresh_from_db()
    assert recipient.next_visit_due == TODAY() - days(3)
    assert AuditEntry.objects.filter(object_type="care.Visit", action="delete").count() == 1


def test_visits_cannot_be_logged_in_the_future_or_for_a_closed_record(world):
    worker = world.user("worker")
    recipient = RecipientFactory(center=world.center_a)
    with pytest.raises(ValidationError) as error:
        services.record_visit(recipient=recipient, visited_by=worker, visited_on=TODAY() + days(1))
    assert "visited_on" in error.value.message_dict
    recipient.status, recipient.closed_on = Recipient.Status.CLOSED, TODAY()
    recipient.save()
    with pytest.raises(ValidationError):
        services.record_visit(recipient=recipient, visited_by=worker)
    assert not Visit.objects.exists()


def test_a_crisis_intervention_is_always_flagged(world):
    visit = services.record_visit(
        recipient=RecipientFactory(center=world.center_a),
        visited_by=world.user("worker"),
        kind=Visit.Kind.CRISIS,
    )
    assert visit.crisis


def test_follow_ups_are_saved_with_the_visit(world):
    recipient = RecipientFactory(center=world.center_a)
    visit = services.record_visit(
        recipient=recipient, visited_by=world.user("worker"), follow_ups=[("联系女儿", TODAY() + days(3))]
    )
    assert list(FollowUp.objects.filter(visit=visit).values_list("action", flat=True)) == ["联系女儿"]


# ------------------------------------------------------------------ consent
def test_sensitive_fields_without_a_consent_are_refused_with_a_clear_message(world):
    recipient = Recipient(center=world.center_a, name="无同意", found_on=TODAY(), health_notes="糖尿病")
    with pytest.raises(ValidationError) as error:
        services.save_recipient(recipient=recipient, actor=world.user("worker"))
    assert "须先取得本人或监护人的同意" in str(error.value.message_dict["health_notes"])
    assert not Recipient.objects.exists()


def test_a_care_scope_consent_does_not_cover_sensitive_fields(world):
    recipient = RecipientFactory(center=world.center_a)
    ConsentFactory(recipient=recipient, scope=Consent.Scope.CARE)
    recipient.disability_type = "visual"
    with pytest.raises(ValidationError):
        services.save_recipient(recipient=recipient, actor=world.user("worker"))
    recipient.refresh_from_db()
    assert recipient.disability_type == ""


def test_sensitive_fields_are_stored_with_a_consent_given_in_the_same_step(world):
    worker = world.user("worker")
    consent = Consent(
        scope=Consent.Scope.SENSITIVE,
        given_by=Consent.GivenBy.GUARDIAN,
        guardian_name="任女士",
        given_on=TODAY(),
        channel=Consent.Channel.WRITTEN,
        text_version="v1",
    )
    recipient = services.save_recipient(
        recipient=Recipient(center=world.center_a, name="任奶奶", found_on=TODAY(), health_notes="视力残疾"),
        actor=worker,
        consent=consent,
    )
    stored = Consent.objects.get(recipient=recipient)
    assert stored.recorded_by == worker and stored.guardian_name == "任女士"
    assert AuditEntry.objects.filter(object_type="care.Consent", object_id=str(stored.pk)).count() == 1


def test_a_guardians_consent_names_the_guardian(world):
    consent = Consent(
        scope=Consent.Scope.SENSITIVE,
        given_by=Consent.GivenBy.GUARDIAN,
        given_on=TODAY(),
        channel=Consent.Channel.WRITTEN,
        text_version="v1",
    )
    with pytest.raises(ValidationError):
        services.save_recipient(
            recipient=Recipient(center=world.center_a, name="甲", found_on=TODAY()),
            actor=world.user("worker"),
            consent=consent,
        )


def test_visit_notes_need_a_consent_except_in_a_crisis(world):
    worker = world.user("worker")
    recipient = RecipientFactory(center=world.center_a)
    with pytest.raises(ValidationError) as error:
        services.record_visit(recipient=recipient, visited_by=worker, observations="情绪低落")
    assert "observations" in error.value.message_dict
    services.record_visit(recipient=recipient, visited_by=worker)  # type, date and duration only
    services.record_visit(
        recipient=recipient, visited_by=worker, kind=Visit.Kind.CRISIS, observations="危机干预"
    )
    assert recipient.visits.count() == 2


def test_withdrawing_the_consent_erases_what_it_covered(world):
    worker = world.user("worker")
    recipient = RecipientFactory(center=world.center_a, health_notes=CANARY, id_number="330502193801011237")
    consent = ConsentFactory(recipient=recipient)
    VisitFactory(recipient=recipient, observations=CANARY)
    services.withdraw_consent(consent=consent, actor=worker)
    recipient.refresh_from_db()
    assert recipient.health_notes == "" and recipient.id_number == ""
    assert Visit.objects.get(recipient=recipient).observations == ""
    assert AuditEntry.objects.filter(action="withdraw").count() == 1


# ------------------------------------------------------------------ referrals
def test_a_delivered_referral_gets_a_closing_date_and_an_audit_row(world):
    recipient = RecipientFactory(center=world.center_a)
    referral = services.save_referral(
        referral=Referral(
            recipient=recipient, resource=Referral.Resource.HEARING_AID, referred_on=TODAY() - days(9)
        ),
        actor=world.user("worker"),
    )
    assert referral.closed_on is None and referral.referred_by == world.user("worker")
    referral.status = Referral.Status.DELIVERED
    referral.outcome = "已配置助听器"
    services.save_referral(referral=referral, actor=world.user("worker"))
    referral.refresh_from_db()
    assert referral.closed_on == TODAY()
    assert AuditEntry.objects.filter(object_type="care.Referral").count() == 2


# ------------------------------------------------------------------ notices
def test_a_crisis_notifies_the_center_manager_once_after_commit(world, django_capture_on_commit_callbacks):
    recipient = RecipientFactory(center=world.center_a)
    with django_capture_on_commit_callbacks(execute=True):
        visit = services.record_visit(
            recipient=recipient, visited_by=world.user("worker"), kind=Visit.Kind.CRISIS, observations=CANARY
        )
    alerts = Alert.objects.filter(kind=Alert.Kind.CRISIS)
    assert [a.addressee for a in alerts] == [world.user("manager")]
    assert [phone for phone, _body in MemorySmsBackend.outbox] == [world.user("manager").phone]
    assert CANARY not in MemorySmsBackend.outbox[0][1]
    assert services.notify_crisis(visit_id=visit.pk) == 0  # idempotent
    assert Alert.objects.filter(kind=Alert.Kind.CRISIS).count() == 1


def test_an_overdue_recipient_produces_one_reminder_per_due_date(world, django_capture_on_commit_callbacks):
    worker = world.user("worker")
    recipient = RecipientFactory(center=world.center_a, risk_tier="medium", social_worker=worker)
    services.record_visit(
        recipient=recipient, visited_by=worker, visited_on=TODAY() - days(16)
    )  # 2 days overdue

    with django_capture_on_commit_callbacks(execute=True):
        first = services.send_due_reminders()
        second = services.send_due_reminders()

    assert (first.reminders, second.reminders) == (1, 0)
    reminder = Alert.objects.get(kind=Alert.Kind.DUE)
    assert reminder.addressee == worker and reminder.due_on == TODAY() - days(2)
    assert recipient.name in reminder.text
    assert [phone for phone, _ in MemorySmsBackend.outbox] == [worker.phone]
    assert recipient.name not in MemorySmsBackend.outbox[0][1]  # names stay off the insecure channel


def test_a_recipient_not_yet_due_produces_no_reminder(world):
    recipient = RecipientFactory(center=world.center_a, risk_tier="low", social_worker=world.user("worker"))
    services.record_visit(recipient=recipient, visited_by=world.user("worker"), visited_on=TODAY() - days(10))
    assert services.send_due_reminders().reminders == 0


def test_long_overdue_visits_escalate_to_manager_and_street_staff_without_a_name(world):
    worker = world.user("worker")
    recipient = RecipientFactory(center=world.center_a, risk_tier="high", social_worker=worker, name="卫长林")
    services.record_visit(
        recipient=recipient, visited_by=worker, visited_on=TODAY() - days(20)
    )  # 13 days late

    run = services.send_due_reminders()
    assert run.escalations == 2
    manager_alert = Alert.objects.get(kind=Alert.Kind.ESCALATION, addressee=world.user("manager"))
    street_alert = Alert.objects.get(kind=Alert.Kind.ESCALATION, addressee=world.user("street"))
    assert "卫长林" in manager_alert.text and "13" in manager_alert.text
    assert "卫长林" not in street_alert.text
    assert services.send_due_reminders().escalations == 0


def test_without_an_assigned_worker_the_reminder_goes_to_a_manager(world):
    recipient = RecipientFactory(center=world.center_a, found_on=TODAY() - days(1))
    services.refresh_cadence(recipient=recipient)
    services.send_due_reminders()
    assert Alert.objects.get(kind=Alert.Kind.DUE).addressee == world.user("manager")


def test_two_reminder_runs_at_once_send_one_reminder(flushable_audit_log):
    """Concurrent runs (a re-delivered task): the unique constraint lets one reminder through.
    On PostgreSQL the runs overlap in two threads; SQLite serialises writers, so it runs them in turn."""
    center = CenterFactory()
    worker = UserFactory()
    grant_role(user=worker, role=Role.SOCIAL_WORKER, center=center)
    recipient = RecipientFactory(center=center, social_worker=worker, found_on=TODAY() - days(5))
    services.refresh_cadence(recipient=recipient)
    results = []

    def run():
        try:
            results.append(services.send_due_reminders().reminders)
        finally:
            connection.close()  # this thread's own connection

    if connection.vendor == "postgresql":
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    else:
        run()
        run()
    assert sorted(results) == [0, 1]
    assert Alert.objects.filter(kind=Alert.Kind.DUE).count() == 1


# ------------------------------------------------------------------ retention
def test_records_closed_past_the_retention_period_are_anonymised(world, settings):
    settings.CARE_RETENTION_DAYS = 365
    old = RecipientFactory(
        center=world.center_a,
        name="旧记录",
        phone="13900001111",
        health_notes=CANARY,
        status=Recipient.Status.CLOSED,
        closed_on=TODAY() - days(400),
    )
    VisitFactory(recipient=old, observations=CANARY)
    recent = RecipientFactory(
        center=world.center_a, name="新结案", status=Recipient.Status.CLOSED, closed_on=TODAY() - days(30)
    )

    assert services.anonymise_expired_recipients() == 1
    assert services.anonymise_expired_recipients() == 0

    old.refresh_from_db()
    assert old.anonymised_at and old.name == "" and old.phone == "" and old.health_notes == ""
    assert "旧记录" not in str(old)
    assert Visit.objects.get(recipient=old).observations == ""
    recent.refresh_from_db()
    assert recent.name == "新结案" and recent.anonymised_at is None
    assert AuditEntry.objects.filter(action="anonymise", object_id=str(old.pk)).count() == 1


# ------------------------------------------------------------------ demo and seed
def test_demo_gives_the_worker_baiyutan_and_ren_nainai_to_longting(db):
    from io import StringIO

    from care import demo as care_demo
    from care.selectors import visible_recipients
    from core import demo as core_demo

    core_demo.load(stdout=StringIO())
    care_demo.load(stdout=StringIO())
    care_demo.load(stdout=StringIO())  # idempotent

    worker = core_demo.demo_user("worker")
    mine = visible_recipients(worker)
    assert mine.count() >= 30
    assert set(mine.values_list("center__slug", flat=True)) == {"baiyutan"}
    ren = Recipient.objects.get(name="任奶奶")
    assert ren.center.slug == "longting" and ren.registered_but_absent and ren.lives_alone
    assert not visible_recipients(worker).filter(pk=ren.pk).exists()
    assert mine.get(name="王秀英").resident == core_demo.demo_user("resident")  # her timeline spans apps
    assert {"hearing_aid", "housing_subsidy"} <= set(ren.referrals.values_list("resource", flat=True))
    assert ren.visits.filter(kind=Visit.Kind.CRISIS).count() == 1
    assert ren.next_visit_due - ren.last_visited_on == days(30)  # visited monthly
    assert Visit.objects.count() == sum(1 for _ in Visit.objects.all())  # nothing doubled below
    visits = Visit.objects.count()
    care_demo.load(stdout=StringIO())
    assert Visit.objects.count() == visits


def test_seed_builds_recipients_and_ten_visits_each(db, monkeypatch):
    import random
    from io import StringIO

    from care import seed as care_seed

    monkeypatch.setattr(care_seed, "RECIPIENTS_PER_SCALE", 60)
    for n in range(3):
        CenterFactory(slug=f"bench-c{n}")
    for n in range(10):
        UserFactory(phone=f"170000000{n:02d}")
    care_seed.seed(scale=1, rng=random.Random(1), stdout=StringIO())
    assert Recipient.objects.count() == 60
    assert Visit.objects.count() == 600
    assert not Recipient.objects.filter(next_visit_due__isnull=True).exists()
    assert Consent.objects.count() == 60


# ------------------------------------------------------------------ the person's own data
def test_a_residents_download_holds_their_care_record_and_erasure_anonymises_it(world):
    from core.privacy import erase_personal_data, export_personal_data

    resident = world.user("resident")
    recipient = RecipientFactory(
        center=world.center_a, resident=resident, name="王秀英", health_notes="高血压"
    )
    ConsentFactory(recipient=recipient)
    VisitFactory(recipient=recipient, observations="精神好")
    volunteer_pairing = RecipientFactory(center=world.center_a, volunteer=resident)

    data = export_personal_data(user=resident)
    assert data["服务对象档案"][0]["health_notes"] == "高血压"
    assert data["走访记录"][0]["observations"] == "精神好"

    erase_personal_data(user=resident)
    recipient.refresh_from_db()
    assert recipient.anonymised_at and recipient.name == "" and recipient.health_notes == ""
    assert recipient.status == Recipient.Status.CLOSED
    assert Visit.objects.get(recipient=recipient).observations == ""
    volunteer_pairing.refresh_from_db()
    assert volunteer_pairing.volunteer is None

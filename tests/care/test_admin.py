import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from care.models import Alert, Consent, FollowUp, Recipient, Visit
from core.models import AuditEntry
from tests.query_budget import assert_flat_queries

from .factories import (
    CANARY,
    ConsentFactory,
    RecipientFactory,
    ReferralFactory,
    VisitFactory,
    sensitive_recipient,
)

TODAY = timezone.localdate

CHANGELISTS = ["recipient", "visit", "referral", "consent"]


def other_and_own(world):
    own = sensitive_recipient(world.center_a, world.user("worker"), name="本中心对象")
    other = sensitive_recipient(world.center_b, name="他中心对象")
    return own, other


# ------------------------------------------------------------------ scoping
@pytest.mark.parametrize("model", CHANGELISTS)
def test_worker_sees_only_rows_of_their_own_center_in_the_changelist(world, client, model):
    other_and_own(world)
    client.force_login(world.user("worker"))
    page = client.get(reverse(f"admin:care_{model}_changelist"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "本中心对象" in text
    assert "他中心对象" not in text


def test_another_centers_records_answer_404_by_their_url(world, client):
    _own, other = other_and_own(world)
    client.force_login(world.user("worker"))
    urls = [
        reverse("admin:care_recipient_change", args=[other.pk]),
        reverse("admin:care_visit_change", args=[other.visits.get().pk]),
        reverse("admin:care_referral_change", args=[other.referrals.get().pk]),
        reverse("admin:care_consent_change", args=[other.consents.get().pk]),
        reverse("admin:care_recipient_history", args=[other.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 404, url
        assert CANARY not in response.content.decode()
    assert client.post(urls[0], {"name": "改名"}).status_code == 404
    client.force_login(world.user("manager"))
    assert client.get(reverse("admin:care_recipient_delete", args=[other.pk])).status_code == 404
    assert Recipient.objects.get(pk=other.pk).name == "他中心对象"


def test_the_recipient_autocomplete_never_offers_another_centers_recipient(world, client):
    other_and_own(world)
    client.force_login(world.user("worker"))
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "care", "model_name": "visit", "field_name": "recipient", "term": "中心对象"},
    )
    assert response.status_code == 200
    names = [row["text"] for row in response.json()["results"]]
    assert any("本中心对象" in n for n in names)
    assert not any("他中心对象" in n for n in names)


def test_street_staff_and_the_district_see_no_care_rows_in_the_admin(world, client):
    other_and_own(world)
    for role in ("street", "district"):
        client.force_login(world.user(role))
        index = client.get(reverse("admin:index")).content.decode()
        assert "/admin/care/visit/" not in index and "/admin/care/recipient/" not in index
        for model in CHANGELISTS:
            assert client.get(reverse(f"admin:care_{model}_changelist")).status_code == 403


def test_the_worker_finds_visits_on_the_admin_index_and_residents_never_reach_them(world, client):
    client.force_login(world.user("worker"))
    index = client.get(reverse("admin:index")).content.decode()
    assert 'href="/admin/care/visit/"' in index
    assert client.get("/admin/care/visit/").status_code == 200
    client.force_login(world.user("resident"))
    response = client.get("/admin/care/visit/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_district_administrator_configures_the_cadence(world, client):
    client.force_login(world.user("district"))
    assert client.get(reverse("admin:care_cadencepolicy_changelist")).status_code == 200
    client.force_login(world.user("worker"))
    assert client.get(reverse("admin:care_cadencepolicy_changelist")).status_code == 403


def test_a_visit_for_another_centers_recipient_is_refused(world, client):
    _own, other = other_and_own(world)
    client.force_login(world.user("worker"))
    response = client.post(reverse("admin:care_visit_add"), visit_form(other, observations="越权"))
    assert response.status_code == 200
    assert other.visits.count() == 1  # only the factory's


# ------------------------------------------------------------------ logging a visit
def visit_form(recipient, **fields):
    data = {
        "recipient": recipient.pk,
        "kind": "home",
        "visited_on": (TODAY() - dt.timedelta(days=1)).isoformat(),
        "duration_minutes": "45",
        "mood": "stable",
        "observations": "",
        "needs_found": "",
        "follow_ups-TOTAL_FORMS": "1",
        "follow_ups-INITIAL_FORMS": "0",
        "follow_ups-MIN_NUM_FORMS": "0",
        "follow_ups-MAX_NUM_FORMS": "1000",
        "follow_ups-0-action": "",
        "follow_ups-0-due_on": "",
        "follow_ups-0-done_on": "",
    }
    data.update(fields)
    return data


def test_worker_logs_a_visit_on_one_screen_and_the_due_date_moves(world, client):
    worker = world.user("worker")
    recipient = RecipientFactory(center=world.center_a, risk_tier="high", social_worker=worker)
    ConsentFactory(recipient=recipient)
    client.force_login(worker)

    form = client.get(reverse("admin:care_visit_add") + f"?recipient={recipient.pk}")
    assert form.status_code == 200
    assert 'data-ajax--url="/admin/autocomplete/"' in form.content.decode()  # recipient by autocomplete

    response = client.post(
        reverse("admin:care_visit_add"),
        visit_form(recipient, observations="老人精神很好", **{"follow_ups-0-action": "送助行器"}),
    )
    assert response.status_code == 302
    visit = Visit.objects.get(recipient=recipient)
    assert visit.visited_by == worker and visit.duration_minutes == 45
    assert FollowUp.objects.get(visit=visit).action == "送助行器"
    recipient.refresh_from_db()
    assert recipient.next_visit_due == TODAY() + dt.timedelta(days=6)  # high: weekly
    entries = AuditEntry.objects.filter(object_type="care.Visit", object_id=str(visit.pk))
    assert [e.action for e in entries] == ["add"]
    assert entries[0].ip == "127.0.0.1" and entries[0].role == "social_worker"


def test_a_refused_visit_keeps_everything_that_was_typed(world, client):
    recipient = RecipientFactory(center=world.center_a)
    ConsentFactory(recipient=recipient)
    client.force_login(world.user("worker"))
    future = (TODAY() + dt.timedelta(days=3)).isoformat()
    response = client.post(
        reverse("admin:care_visit_add"),
        visit_form(
            recipient,
            visited_on=future,
            observations="老人说腿疼得厉害",
            needs_found="需要轮椅",
            **{"follow_ups-0-action": "联系残联"},
        ),
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "老人说腿疼得厉害" in text and "需要轮椅" in text and "联系残联" in text and future in text
    assert "不能登记未来日期的走访" in text
    assert not Visit.objects.exists()


def test_visit_notes_without_consent_are_refused_with_a_clear_message(world, client):
    recipient = RecipientFactory(center=world.center_a)
    client.force_login(world.user("worker"))
    response = client.post(reverse("admin:care_visit_add"), visit_form(recipient, observations="情绪低落"))
    assert response.status_code == 200
    assert "尚未同意" in response.content.decode()
    assert "情绪低落" in response.content.decode()
    assert not Visit.objects.exists()


def test_a_crisis_flag_in_the_admin_notifies_the_manager(world, client, django_capture_on_commit_callbacks):
    recipient = RecipientFactory(center=world.center_a)
    ConsentFactory(recipient=recipient)
    client.force_login(world.user("worker"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:care_visit_add"),
            visit_form(recipient, kind="crisis", observations="老人说活着没意思"),
        )
    assert response.status_code == 302
    assert Alert.objects.get(kind=Alert.Kind.CRISIS).addressee == world.user("manager")


# ------------------------------------------------------------------ recipients and consent
def recipient_form(center, **fields):
    data = {
        "center": center.pk,
        "name": "新对象",
        "gender": "f",
        "birth_year": "1940",
        "phone": "",
        "address": "",
        "source": "survey",
        "found_on": TODAY().isoformat(),
        "risk_tier": "medium",
        "social_worker": "",
        "volunteer": "",
        "resident_phone": "",
        "consent_scope": "",
        "consent_given_by": "self",
        "consent_guardian_name": "",
        "consent_given_on": "",
        "consent_channel": "",
        "consent_text_version": "care-consent-2026.1",
        "id_number": "",
        "disability_type": "",
        "health_notes": "",
        "actual_address": "",
        "guardian_name": "",
        "guardian_phone": "",
        "family_contacts": "",
        "status": "active",
        "closed_on": "",
        "closed_reason": "",
    }
    for prefix in ("consents", "referrals", "visits"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    data.update(fields)
    return data


def test_saving_sensitive_fields_without_a_consent_is_refused_with_a_clear_message(world, client):
    client.force_login(world.user("worker"))
    response = client.post(
        reverse("admin:care_recipient_add"), recipient_form(world.center_a, health_notes="双目几乎失明")
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "须先取得本人或监护人的同意" in text
    assert "双目几乎失明" in text  # nothing typed is lost
    assert not Recipient.objects.exists()


def test_sensitive_fields_are_saved_with_a_consent_recorded_on_the_same_screen(world, client):
    worker = world.user("worker")
    client.force_login(worker)
    response = client.post(
        reverse("admin:care_recipient_add"),
        recipient_form(
            world.center_a,
            health_notes="双目几乎失明",
            disability_type="visual",
            consent_scope="sensitive",
            consent_given_on=TODAY().isoformat(),
            consent_channel="written",
            social_worker=worker.pk,
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    recipient = Recipient.objects.get(name="新对象")
    assert recipient.health_notes == "双目几乎失明"
    consent = Consent.objects.get(recipient=recipient)
    assert consent.scope == "sensitive" and consent.recorded_by == worker


def test_a_social_worker_of_another_center_cannot_be_assigned(world, client):
    from core.models import Role
    from core.services import grant_role
    from tests.factories import UserFactory

    stranger = UserFactory()
    grant_role(user=stranger, role=Role.SOCIAL_WORKER, center=world.center_b)
    client.force_login(world.user("worker"))
    response = client.post(
        reverse("admin:care_recipient_add"), recipient_form(world.center_a, social_worker=stranger.pk)
    )
    assert response.status_code == 200
    assert not Recipient.objects.exists()


def test_opening_a_record_is_audited_once_with_role_and_ip(world, client):
    own, _other = other_and_own(world)
    client.force_login(world.user("manager"))
    page = client.get(reverse("admin:care_recipient_change", args=[own.pk]))
    assert page.status_code == 200
    assert CANARY in page.content.decode()  # the recipient's own center's manager reads the notes
    entries = AuditEntry.objects.filter(object_type="care.Recipient", object_id=str(own.pk), action="view")
    assert entries.count() == 1
    assert entries[0].role == "center_manager" and entries[0].ip == "127.0.0.1"


def test_lists_mask_telephone_and_id_numbers(world, client):
    own, _other = other_and_own(world)
    client.force_login(world.user("worker"))
    text = client.get(reverse("admin:care_recipient_changelist")).content.decode()
    assert "139****5678" in text and "13912345678" not in text
    assert "110105********002X" in text and own.id_number not in text


def test_care_admin_pages_are_never_cached(world, client):
    client.force_login(world.user("worker"))
    response = client.get(reverse("admin:care_recipient_changelist"))
    assert "no-store" in response["Cache-Control"]


def test_street_staff_read_their_escalations_without_names(world, client):
    from care import services

    recipient = RecipientFactory(
        center=world.center_a, risk_tier="high", name="卫长林", social_worker=world.user("worker")
    )
    VisitFactory(recipient=recipient, visited_on=TODAY() - dt.timedelta(days=30), observations="")
    services.refresh_cadence(recipient=recipient)
    services.send_due_reminders()
    client.force_login(world.user("street"))
    page = client.get(reverse("admin:care_alert_changelist"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "逾期" in text and "卫长林" not in text
    client.force_login(world.user("worker"))
    assert "卫长林" in client.get(reverse("admin:care_alert_changelist")).content.decode()


# ------------------------------------------------------------------ speed
def test_the_visits_changelist_costs_the_same_queries_for_1_and_50_visits(world, client):
    worker = world.user("worker")
    recipients = [RecipientFactory(center=world.center_a, social_worker=worker) for _ in range(5)]
    client.force_login(worker)

    def add_rows(n):
        for i in range(n):
            VisitFactory(recipient=recipients[i % 5], visited_by=worker)

    assert_flat_queries(client, reverse("admin:care_visit_changelist"), add_rows)


def test_the_recipients_changelist_costs_the_same_queries_for_1_and_50_recipients(world, client):
    worker = world.user("worker")
    client.force_login(worker)

    def add_rows(n):
        for _ in range(n):
            recipient = RecipientFactory(center=world.center_a, social_worker=worker, phone="13900000000")
            ConsentFactory(recipient=recipient)

    assert_flat_queries(client, reverse("admin:care_recipient_changelist"), add_rows)


def test_the_recipient_and_visit_lists_read_no_notes_guardians_or_family_contacts(world, client):
    """Least privilege down to the columns: a list reads what it shows (the masked phone and ID
    number), never health notes, guardians, family contacts or a visit's observations."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    worker = world.user("worker")
    recipient = sensitive_recipient(world.center_a, worker, name="列表对象")
    VisitFactory(recipient=recipient, visited_by=worker)
    client.force_login(worker)
    for model in ("recipient", "visit"):
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(reverse(f"admin:care_{model}_changelist"))
        assert page.status_code == 200 and "列表对象" in page.content.decode()
        read = " ".join(q["sql"] for q in ctx.captured_queries)
        for column in ("health_notes", "guardian_name", "family_contacts", "actual_address", "observations"):
            assert f'"{column}"' not in read, (model, column)
    assert recipient.masked_phone in client.get(reverse("admin:care_recipient_changelist")).content.decode()


def test_the_referrals_changelist_is_flat_too(world, client):
    worker = world.user("worker")
    client.force_login(worker)
    recipient = RecipientFactory(center=world.center_a)

    def add_rows(n):
        for _ in range(n):
            ReferralFactory(recipient=recipient)

    assert_flat_queries(client, reverse("admin:care_referral_changelist"), add_rows)


def test_the_center_column_shows_only_for_staff_of_more_than_one_center(world, client):
    from core.models import Role
    from core.services import grant_role

    from .factories import VisitFactory

    worker = world.user("worker")
    VisitFactory(recipient=sensitive_recipient(world.center_a, worker))
    client.force_login(worker)
    url = reverse("admin:care_visit_changelist")
    assert "field-center_name" not in client.get(url).content.decode()  # one center: no column
    grant_role(user=worker, role=Role.SOCIAL_WORKER, center=world.center_b)
    VisitFactory(recipient=sensitive_recipient(world.center_b, worker))
    client.force_login(worker)
    page = client.get(url).content.decode()
    assert "field-center_name" in page
    assert world.center_a.name in page and world.center_b.name in page

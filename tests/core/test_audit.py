"""The audit trail records the role, the purpose and the client address in their own columns."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from core.audit import AuditContext, audit, audit_many, client_ip, role_of
from core.models import AuditEntry
from tests.factories import UserFactory


def test_an_entry_holds_who_in_which_role_why_and_from_where(world):
    worker = world.user("worker")
    resident = UserFactory()
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3")
    entry = audit(
        actor=worker,
        action="view",
        obj=resident,
        center_id=world.center_a.pk,
        context=AuditContext.from_request(request, "home visit preparation"),
    )
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (stored.actor, stored.role, stored.action) == (worker, "social_worker", "view")
    assert (stored.object_type, stored.object_id) == ("core.User", str(resident.pk))
    assert stored.reason == "home visit preparation"
    assert stored.ip == "10.1.2.3"


def test_the_role_is_the_one_held_for_the_records_center(world):
    manager = world.user("manager")
    assert role_of(manager, world.center_a.pk) == "center_manager"
    assert role_of(manager, world.center_b.pk) == "resident"  # no role there
    assert role_of(None) == "system"


def test_an_export_writes_one_row_per_record_with_the_same_purpose(world):
    people = UserFactory.create_batch(3)
    count = audit_many(
        actor=world.user("street"), action="export", objects=people, context=AuditContext(why="monthly check")
    )
    rows = AuditEntry.objects.filter(action="export", object_type="core.User")
    assert count == 3 and rows.count() == 3
    assert {r.reason for r in rows} == {"monthly check"}
    assert {r.object_id for r in rows} == {str(p.pk) for p in people}


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "1.1.1.1", "10.0.0.9"),  # no proxy configured: the header is ignored
        (1, "1.1.1.1", "1.1.1.1"),
        (1, "6.6.6.6, 1.1.1.1", "1.1.1.1"),  # a spoofed first hop is not trusted
        (2, "1.1.1.1", "10.0.0.9"),  # the request did not pass through both proxies
        (1, "not-an-address", "10.0.0.9"),
    ],
)
def test_the_client_address_trusts_only_the_configured_proxies(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_a_personal_data_download_records_the_purpose_and_address(db, client):
    user = UserFactory()
    client.force_login(user)
    client.get(reverse("core:my_data"), {"format": "json"}, REMOTE_ADDR="192.0.2.7")
    entry = AuditEntry.objects.get(action="export", object_id=str(user.pk))
    assert (entry.role, entry.reason, entry.ip) == ("resident", "personal data download", "192.0.2.7")


def test_the_audit_log_lists_role_purpose_and_address_to_the_district(world, client):
    audit(
        actor=world.user("worker"),
        action="view",
        obj=UserFactory(),
        context=AuditContext("timeline", "10.9.8.7"),
    )
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    page = client.get(reverse("admin:core_auditentry_changelist")).content.decode()
    assert "10.9.8.7" in page and "timeline" in page

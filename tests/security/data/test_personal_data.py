"""Personal data: one audit row per sensitive read, change or export; an append-only audit log;
a resident's own download (JSON and Excel) and erasure, which keeps every aggregate right."""

import datetime as dt
import io
import json

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from centers.models import Signup
from core.audit import audit
from core.models import AuditEntry, User
from deliberation.models import Opinion
from dispatch.models import ServiceRequest
from reports.periods import Period, Scope
from reports.sections import run_sections
from tests.care.factories import sensitive_recipient
from tests.centers.factories import ActivityFactory, SignupFactory
from tests.deliberation.factories import MeetingFactory, ParticipantFactory
from tests.dispatch.factories import request_in_state
from tests.factories import UserFactory
from tests.volunteers.factories import TeamFactory, make_volunteer, verified_record
from volunteers.models import HourRecord, LedgerEntry

PASSWORD = "pass-word-123"


def _audit_rows() -> int:
    return AuditEntry.objects.count()


# ------------------------------------------------------------------ one audit row per sensitive act
def test_each_sensitive_read_change_and_export_writes_exactly_one_audit_row(world, client):
    worker, manager = world.user("worker"), world.user("manager")
    recipient = sensitive_recipient(world.center_a, worker, name="审计对象")
    change_url = reverse("admin:care_recipient_change", args=[recipient.pk])

    client.force_login(worker)
    acts = {
        "admin record page": lambda: client.get(change_url),
        "resident timeline": lambda: client.get(reverse("care:timeline", args=[recipient.pk])),
    }
    for what, act in acts.items():
        before = _audit_rows()
        assert act().status_code == 200, what
        assert _audit_rows() - before == 1, what

    page = client.get(change_url)
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list | dict)}
    for prefix, formset in ((f.formset.prefix, f) for f in page.context["inline_admin_formsets"]):
        management = formset.formset.management_form
        for name in management.fields:  # no inline rows sent: the inlines stay as they are
            data[f"{prefix}-{name}"] = 0 if name.endswith("_FORMS") else 1000
    data.update(
        {
            "health_notes": "改过的健康情况",
            "found_on": recipient.found_on.isoformat(),
            "center": recipient.center_id,
            "social_worker": worker.pk,
            "consent_scope": "",
            "consent_given_by": "",
            "consent_channel": "",
            "consent_given_on": "",
            "volunteer": "",
        }
    )
    before = _audit_rows()
    response = client.post(change_url, data)
    recipient.refresh_from_db()
    assert response.status_code == 302
    assert recipient.health_notes == "改过的健康情况"
    assert _audit_rows() - before == 1, "a change of a care record"

    client.force_login(manager)
    before = _audit_rows()
    response = client.post(reverse("care:export"), {"reason": "月度走访统计"})
    assert response.status_code == 200
    assert _audit_rows() - before == 1, "the care export"

    resident = world.user("resident")
    client.force_login(resident)
    for fmt in ("json", "xlsx"):
        before = _audit_rows()
        assert client.get(reverse("core:my_data"), {"format": fmt}).status_code == 200
        assert _audit_rows() - before == 1, f"a personal data download ({fmt})"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the TRUNCATE trigger exists on PostgreSQL")
def test_the_audit_log_refuses_raw_update_delete_and_truncate_on_postgresql(db):
    with connection.cursor() as cursor:  # the test database keeps the table unlocked for flushes
        cursor.execute("DELETE FROM core_audit_unlock")
    entry = audit(actor=None, action="view", obj=UserFactory())
    for statement in (
        "UPDATE core_auditentry SET detail = 'tampered'",
        "DELETE FROM core_auditentry",
        "TRUNCATE core_auditentry",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert AuditEntry.objects.get(pk=entry.pk).detail == ""


# ------------------------------------------------------------------ download and erasure
def _resident_with_a_history(world):
    """A resident who signed up and came, volunteered and earned points, asked for help,
    spoke at a 3+1 meeting and is cared for: something in every app."""
    center = world.center_a
    person = UserFactory(real_name="王秀英", phone="13912340001", email="wang@example.com")
    past = ActivityFactory(
        center=center,
        starts_at=timezone.now() - dt.timedelta(days=2),
        ends_at=timezone.now() - dt.timedelta(days=2, hours=-2),
    )
    SignupFactory(activity=past, resident=person, attended_at=timezone.now() - dt.timedelta(days=2))
    SignupFactory(activity=past, attended_at=timezone.now() - dt.timedelta(days=2))
    team = TeamFactory(center=center, leader=world.user("worker"))
    volunteer = make_volunteer(user=person, team=team)
    verified_record(volunteer=volunteer, team=team, hours="3")
    verified_record(volunteer=make_volunteer(team=team), team=team, hours="2")
    request_in_state("done", center, requester=person, staff=world.user("worker"))
    meeting = MeetingFactory(center=center)
    speaker = ParticipantFactory(meeting=meeting, user=person, name="王秀英", phone="13912340001")
    Opinion.objects.create(meeting=meeting, speaker=speaker, text="希望把驿站放在北门")
    sensitive_recipient(center, world.user("worker"), resident=person, name="王秀英")
    return person, past


def _aggregates(activity) -> dict:
    today = timezone.localdate()
    scope = Scope.for_district(world_district(activity))
    return {
        "attendance": Signup.objects.filter(activity=activity, attended_at__isnull=False).count(),
        "hours": str(HourRecord.objects.filter(status="verified").aggregate(s=Sum("hours"))["s"]),
        "ledger": LedgerEntry.objects.aggregate(s=Sum("amount"), n=Count("pk")),
        "requests": list(ServiceRequest.objects.values("category", "status").annotate(n=Count("pk"))),
        "opinions": Opinion.objects.count(),
        "report": json.dumps(
            [_without_current_caseload(s) for s in run_sections(Period.of(today), scope)],
            sort_keys=True,
            default=str,
        ),
    }


# Columns that count today's roster, not what happened in the month: a person who asks to be
# erased leaves care and the volunteer register, so these drop by one, as when anyone leaves.
ROSTER_COLUMNS = {"care": "active", "volunteers": "registered"}


def _without_current_caseload(section: dict) -> dict:
    column = ROSTER_COLUMNS.get(section.get("key"))
    if column is None or not section.get("rows"):
        return section
    drop = [c["key"] for c in section["columns"]].index(column)

    def trim(row):
        return [v for i, v in enumerate(row) if i != drop]

    return {**section, "rows": [trim(r) for r in section["rows"]], "total": trim(section["total"])}


def world_district(activity):
    return activity.center.street.district


def test_a_resident_downloads_everything_the_portal_holds_about_them(world, client):
    person, activity = _resident_with_a_history(world)
    client.force_login(person)
    body = json.loads(client.get(reverse("core:my_data"), {"format": "json"}).content)
    text = json.dumps(body, ensure_ascii=False)
    assert body["account"][0]["phone"] == "13912340001"
    for mine in (activity.title, "走访高龄老人", "楼道灯坏了", "希望把驿站放在北门", "高血压"):
        assert mine in text, mine  # sign-ups, hours, requests, 3+1 opinions, the care record
    response = client.get(reverse("core:my_data"), {"format": "xlsx"})
    book = load_workbook(io.BytesIO(response.content))
    assert set(body) == set(book.sheetnames) or len(book.sheetnames) == len(body)
    cells = [str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row]
    assert "13912340001" in cells and any("楼道灯坏了" in c for c in cells)


def test_erasure_anonymises_the_resident_and_every_aggregate_stays_the_same(world, client):
    person, activity = _resident_with_a_history(world)
    before = _aggregates(activity)
    client.force_login(person)
    response = client.post(reverse("core:my_data"), {"confirm": "on", "password": PASSWORD})
    assert response.status_code == 302

    person.refresh_from_db()
    assert (person.real_name, person.phone, person.is_active) == ("", None, False)
    assert person.email != "wang@example.com"
    assert not client.login(email="wang@example.com", password=PASSWORD)
    assert client.get(reverse("core:me")).status_code == 302
    everything = json.dumps(
        [list(m.objects.values()) for m in (User, ServiceRequest, Opinion, Signup)],
        default=str,
        ensure_ascii=False,
    )
    assert "13912340001" not in everything and "王秀英" not in everything
    assert "希望把驿站放在北门" not in everything and "楼道灯坏了" not in everything
    assert _aggregates(activity) == before

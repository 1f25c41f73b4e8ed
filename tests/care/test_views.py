import datetime as dt
from io import BytesIO

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.models import AuditEntry, Role
from core.services import grant_role
from tests.factories import UserFactory

from .factories import CANARY, RecipientFactory, VisitFactory, sensitive_recipient

TODAY = timezone.localdate


def test_the_overview_shows_counts_in_chinese_for_street_staff(world, client):
    sensitive_recipient(world.center_a, world.user("worker"), name="本中心对象")
    sensitive_recipient(world.center_b, name="他中心对象")
    client.force_login(world.user("street"))
    page = client.get(reverse("care:overview"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "本月走访" in text  # Chinese by default
    assert world.center_a.name in text and world.center_b.name not in text
    assert "本中心对象" not in text and CANARY not in text
    assert "no-store" in page["Cache-Control"]


def test_the_overview_counts_visits_of_the_month_and_overdue_recipients(world, client):
    worker = world.user("worker")
    late = RecipientFactory(center=world.center_a, social_worker=worker)
    late.next_visit_due = TODAY() - dt.timedelta(days=3)
    late.save()
    VisitFactory(recipient=late, visited_on=TODAY())
    client.force_login(worker)
    rows = client.get(reverse("care:overview")).context["rows"]
    assert [(r.center, r.active, r.overdue, r.visits) for r in rows] == [(world.center_a, 1, 1, 1)]


def test_the_timeline_shows_visits_and_referrals_and_is_audited(world, client):
    recipient = sensitive_recipient(world.center_a, world.user("worker"), name="任奶奶")
    client.force_login(world.user("worker"))
    page = client.get(reverse("care:timeline", args=[recipient.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "任奶奶" in text and "助听器" in text and "入户走访" in text
    assert "no-store" in page["Cache-Control"]
    assert (
        AuditEntry.objects.filter(
            object_type="care.Recipient",
            object_id=str(recipient.pk),
            action="view",
            reason="timeline",
        ).count()
        == 1
    )


def test_the_timeline_takes_entries_from_other_capabilities(world, client):
    from core import timeline
    from core.timeline import TimelineEntry

    resident = world.user("resident")
    recipient = RecipientFactory(center=world.center_a, resident=resident)

    def activities(*, resident, viewer):
        return [TimelineEntry(when=TODAY(), kind="活动", title=f"报名了手工课 ({resident.pk})")]

    timeline.timeline_source(activities)
    try:
        client.force_login(world.user("worker"))
        text = client.get(reverse("care:timeline", args=[recipient.pk])).content.decode()
    finally:
        timeline._sources.remove(activities)
    assert f"报名了手工课 ({resident.pk})" in text


def test_another_centers_worker_gets_404_for_the_timeline(world, client):
    recipient = sensitive_recipient(world.center_b)
    client.force_login(world.user("worker"))
    response = client.get(reverse("care:timeline", args=[recipient.pk]))
    assert response.status_code == 404
    assert CANARY not in response.content.decode()


def test_a_manager_exports_only_their_centers_recipients_masked_and_audited(world, client):
    own = sensitive_recipient(world.center_a, world.user("worker"), name="本中心对象")
    sensitive_recipient(world.center_b, name="他中心对象")
    client.force_login(world.user("manager"))
    form = client.get(reverse("care:export"))
    assert form.status_code == 200 and "导出" in form.content.decode()

    response = client.post(reverse("care:export"), {"reason": "街道月度补贴名单"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "no-store" in response["Cache-Control"]
    sheet = load_workbook(BytesIO(response.content)).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "本中心对象" in cells and "他中心对象" not in cells
    assert "139****5678" in cells and "13912345678" not in cells
    assert not any(CANARY in c for c in cells)
    entries = AuditEntry.objects.filter(action="export")
    assert [e.object_id for e in entries] == [str(own.pk)]
    assert "街道月度补贴名单" in entries[0].reason


def test_an_export_needs_a_purpose(world, client):
    client.force_login(world.user("manager"))
    response = client.post(reverse("care:export"), {"reason": ""})
    assert response.status_code == 200
    assert "这个字段是必填项" in response.content.decode()
    assert not AuditEntry.objects.filter(action="export").exists()


def test_social_workers_cannot_export(world, client):
    client.force_login(world.user("worker"))
    assert client.get(reverse("care:export")).status_code == 403
    assert client.post(reverse("care:export"), {"reason": "想导出看看"}).status_code == 403


def test_my_page_lists_a_workers_unread_care_notices(world, client):
    from care import services

    worker = world.user("worker")
    recipient = RecipientFactory(
        center=world.center_a, social_worker=worker, name="赵凤英", found_on=TODAY() - dt.timedelta(days=2)
    )
    services.refresh_cadence(recipient=recipient)
    services.send_due_reminders()
    client.force_login(worker)
    text = client.get(reverse("core:me")).content.decode()
    assert "关爱提醒" in text and "赵凤英" in text


def test_the_canary_in_sensitive_fields_never_reaches_anyone_without_need_to_know(world, client):
    """Every page another role can open: overview, timeline, export, my page, the admin index,
    the care changelists, the records by their URL and the autocomplete endpoint."""
    from care import services

    worker = world.user("worker")
    recipient = sensitive_recipient(world.center_a, worker, name="金丝雀对象", risk_tier="high")
    services.refresh_cadence(recipient=recipient)
    services.send_due_reminders(today=TODAY() + dt.timedelta(days=30))  # escalations reach street staff
    visit = recipient.visits.get()
    other_worker = UserFactory()
    grant_role(user=other_worker, role=Role.SOCIAL_WORKER, center=world.center_b)
    other_manager = UserFactory()
    grant_role(user=other_manager, role=Role.CENTER_MANAGER, center=world.center_b)
    urls = [
        reverse("care:overview"),
        reverse("care:timeline", args=[recipient.pk]),
        reverse("care:export"),
        reverse("core:me"),
        reverse("admin:index"),
        reverse("admin:app_list", args=["care"]),
        reverse("admin:care_recipient_change", args=[recipient.pk]),
        reverse("admin:care_visit_change", args=[visit.pk]),
        reverse("admin:care_referral_change", args=[recipient.referrals.get().pk]),
        reverse("admin:care_alert_changelist"),
        reverse("admin:autocomplete") + "?app_label=care&model_name=visit&field_name=recipient&term=金丝雀",
    ] + [
        reverse(f"admin:care_{m}_changelist") + "?q=金丝雀"
        for m in ("recipient", "visit", "referral", "consent")
    ]
    people = [
        None,
        world.user("resident"),
        world.user("volunteer"),
        world.user("street"),
        world.user("district"),
        other_worker,
        other_manager,
    ]
    for person in people:
        client.logout()
        if person is not None:
            client.force_login(person)
        for url in urls:
            response = client.get(url)
            body = response.content.decode(errors="replace")
            assert CANARY not in body, f"{url} shows the canary to {person}"
            assert "金丝雀对象" not in body, f"{url} names the recipient to {person}"
    # and the ones who need to know do see it
    client.force_login(worker)
    assert CANARY in client.get(reverse("admin:care_recipient_change", args=[recipient.pk])).content.decode()


def _counted(captured) -> int:
    """Queries as the benchmark counts them: transaction control left out."""
    control = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")
    return sum(1 for q in captured if not q["sql"].lstrip().upper().startswith(control))


def test_the_timeline_reads_visits_with_their_follow_ups_in_one_query_however_many(world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from care.models import FollowUp

    from .factories import ConsentFactory, ReferralFactory

    worker = world.user("worker")
    recipient = sensitive_recipient(world.center_a, worker, name="严爷爷")
    client.force_login(worker)

    def add(n: int) -> None:
        for i in range(n):
            visit = VisitFactory(recipient=recipient, visited_on=TODAY() - dt.timedelta(days=i + 1))
            FollowUp.objects.create(visit=visit, action=f"送药第{visit.pk}次", due_on=TODAY())
            FollowUp.objects.create(visit=visit, action=f"回访第{visit.pk}次", due_on=TODAY())
            ReferralFactory(recipient=recipient)
            ConsentFactory(recipient=recipient)

    url = reverse("care:timeline", args=[recipient.pk])
    counts = []
    for n in (1, 20):
        add(n)
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(url)
        counts.append(_counted(ctx.captured_queries))
    assert counts[0] == counts[1] <= 8, counts
    text = page.content.decode()
    for follow_up in FollowUp.objects.filter(visit__recipient=recipient):
        assert follow_up.action in text
    assert text.count("送药第") == 21 and text.count("回访第") == 21

import io
import json

from django.urls import reverse
from openpyxl import load_workbook

from core.models import AuditEntry, User
from core.spreadsheets import csv_bytes, safe_cell
from tests.factories import UserFactory


def test_resident_downloads_own_data_as_json_and_excel_and_each_download_is_audited(db, client):
    user = UserFactory(real_name="王秀英", phone="13912345678")
    client.force_login(user)
    body = json.loads(client.get(reverse("core:my_data"), {"format": "json"}).content)
    assert body["account"][0]["real_name"] == "王秀英"
    assert body["account"][0]["phone"] == "13912345678"
    response = client.get(reverse("core:my_data"), {"format": "xlsx"})
    book = load_workbook(io.BytesIO(response.content))
    assert book["account"]["A2"].value == "王秀英"
    assert AuditEntry.objects.filter(actor=user, action="export").count() == 2


def test_erasure_needs_the_password_and_keeps_the_account_otherwise(db, client):
    user = UserFactory(real_name="王秀英")
    client.force_login(user)
    response = client.post(reverse("core:my_data"), {"confirm": "on", "password": "wrong"})
    assert response.status_code == 200
    assert "密码不正确" in response.content.decode()
    user.refresh_from_db()
    assert user.is_active and user.real_name == "王秀英"


def test_erasure_anonymises_the_person_and_signs_them_out(db, client):
    user = UserFactory(real_name="王秀英", phone="13912345678")
    client.force_login(user)
    response = client.post(reverse("core:my_data"), {"confirm": "on", "password": "pass-word-123"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.real_name, user.phone, user.is_active) == ("", None, False)
    assert "13912345678" not in json.dumps(list(User.objects.values()), default=str)
    assert client.get(reverse("core:me")).status_code == 302
    assert AuditEntry.objects.filter(object_id=str(user.pk), action="erase").count() == 1


def test_spreadsheet_cells_that_look_like_formulas_are_escaped():
    assert safe_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert safe_cell("-1+2") == "'-1+2"
    assert safe_cell(-3) == -3
    data = csv_bytes([{"名称": "@SUM(A1)"}])
    assert data.startswith("\ufeff".encode())
    assert "'@SUM(A1)" in data.decode("utf-8-sig")


def test_the_audit_log_refuses_update_and_delete_in_the_database(db):
    import pytest
    from django.db import DatabaseError, connection, transaction

    from core.audit import audit

    with connection.cursor() as cursor:  # the test database keeps the table unlocked for flushes
        cursor.execute("DELETE FROM core_audit_unlock")
    entry = audit(actor=None, action="view", obj=UserFactory())
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(detail="tampered")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).detail == ""

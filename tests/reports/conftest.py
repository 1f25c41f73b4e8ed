import pytest
from django.db import connection


@pytest.fixture
def flushable_audit_log(transactional_db):
    """Exports write to core's append-only audit log; let the flush after a transactional test empty it.

    core's triggers refuse DELETE (SQLite) and TRUNCATE (PostgreSQL) on core_auditentry unless
    core_audit_unlock holds a row (the same switch as tests/care/conftest.py). This teardown runs
    before the flush; the row is removed again at the next setup.
    """
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_audit_unlock")
    yield
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO core_audit_unlock (id) VALUES (1)")

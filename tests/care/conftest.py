import pytest
from django.db import connection


@pytest.fixture
def flushable_audit_log(transactional_db):
    """Let the flush after a transactional test empty the append-only audit log.

    core's triggers refuse DELETE (SQLite) and TRUNCATE (PostgreSQL) on core_auditentry unless
    core_audit_unlock holds a row; the flush that ends a transactional test does both. This
    fixture's teardown runs before the flush; the unlock row is removed again at the next setup.
    """
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_audit_unlock")
    yield
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO core_audit_unlock (id) VALUES (1)")

"""The audit log is append-only in the database itself: UPDATE and DELETE are refused.

Restoring a backup empties the table on purpose; it does so inside ``audit_maintenance``, a
transaction-local switch (a row in core_audit_unlock, a table Django does not manage, so flush
leaves it alone).
"""

from django.db import migrations

POSTGRES = """
CREATE TABLE IF NOT EXISTS core_audit_unlock (id integer PRIMARY KEY);
CREATE OR REPLACE FUNCTION core_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM core_audit_unlock) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'core_auditentry is append-only';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS core_audit_append_only ON core_auditentry;
CREATE TRIGGER core_audit_append_only BEFORE UPDATE OR DELETE ON core_auditentry
    FOR EACH ROW EXECUTE FUNCTION core_audit_append_only();
CREATE OR REPLACE FUNCTION core_audit_no_truncate() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM core_audit_unlock) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'core_auditentry is append-only';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS core_audit_no_truncate ON core_auditentry;
CREATE TRIGGER core_audit_no_truncate BEFORE TRUNCATE ON core_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION core_audit_no_truncate();
"""
POSTGRES_REVERSE = """
DROP TRIGGER IF EXISTS core_audit_append_only ON core_auditentry;
DROP TRIGGER IF EXISTS core_audit_no_truncate ON core_auditentry;
DROP FUNCTION IF EXISTS core_audit_append_only();
DROP FUNCTION IF EXISTS core_audit_no_truncate();
DROP TABLE IF EXISTS core_audit_unlock;
"""
SQLITE = [
    "CREATE TABLE IF NOT EXISTS core_audit_unlock (id integer PRIMARY KEY)",
    """CREATE TRIGGER IF NOT EXISTS core_audit_no_update BEFORE UPDATE ON core_auditentry
       BEGIN SELECT RAISE(ABORT, 'core_auditentry is append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS core_audit_no_delete BEFORE DELETE ON core_auditentry
       WHEN NOT EXISTS (SELECT 1 FROM core_audit_unlock)
       BEGIN SELECT RAISE(ABORT, 'core_auditentry is append-only'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS core_audit_no_update",
    "DROP TRIGGER IF EXISTS core_audit_no_delete",
    "DROP TABLE IF EXISTS core_audit_unlock",
]


def forwards(apps, schema_editor):
    statements = [POSTGRES] if schema_editor.connection.vendor == "postgresql" else SQLITE
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    statements = [POSTGRES_REVERSE] if schema_editor.connection.vendor == "postgresql" else SQLITE_REVERSE
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]

"""The points ledger is append-only in the database itself: a recorded entry never changes.

PostgreSQL refuses UPDATE and DELETE of ledger rows (TRUNCATE, used only to reset a test
database, is not a row operation). SQLite refuses UPDATE; it keeps DELETE because Django's
test flush deletes rows, and PROTECT foreign keys already stop the ORM from deleting entries.
Corrections are new ``adjust`` entries (volunteers.services.points.adjust_points).
"""

from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION volunteers_ledger_append_only() RETURNS trigger AS $$
BEGIN
    -- no percent sign here: Django formats migration SQL with parameters
    RAISE EXCEPTION USING MESSAGE = 'volunteers_ledgerentry is append-only: ' || TG_OP || ' refused';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS volunteers_ledger_append_only ON volunteers_ledgerentry;
CREATE TRIGGER volunteers_ledger_append_only BEFORE UPDATE OR DELETE ON volunteers_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION volunteers_ledger_append_only();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS volunteers_ledger_append_only ON volunteers_ledgerentry;
DROP FUNCTION IF EXISTS volunteers_ledger_append_only();
"""
SQLITE_UP = """
CREATE TRIGGER IF NOT EXISTS volunteers_ledger_append_only BEFORE UPDATE ON volunteers_ledgerentry
BEGIN SELECT RAISE(ABORT, 'volunteers_ledgerentry is append-only: UPDATE refused'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS volunteers_ledger_append_only;"


def up(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_UP)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)


def down(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DOWN)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("volunteers", "0002_periodic_tasks")]

    operations = [migrations.RunPython(up, down)]

"""A published report never changes: the database refuses to update its contents.

Only ``requested_by`` may still change (set to NULL when that user is deleted). PostgreSQL also
refuses DELETE of a published report (TRUNCATE, used to reset a test database, is not a row
operation); SQLite keeps DELETE because Django's test flush deletes rows, and the admin offers
no deletion.
"""

from django.db import migrations

COLUMNS = (
    "kind, district_id, street_id, center_id, scope_key, period, version, status, progress, step, "
    "trigger, requested_at, started_at, published_at, data, error"
)
PG_UP = f"""
CREATE OR REPLACE FUNCTION reports_report_published_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'reports_report: a published report never changes (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER reports_report_published_update BEFORE UPDATE OF {COLUMNS} ON reports_report
    FOR EACH ROW WHEN (OLD.status = 'published')
    EXECUTE FUNCTION reports_report_published_immutable();
CREATE TRIGGER reports_report_published_delete BEFORE DELETE ON reports_report
    FOR EACH ROW WHEN (OLD.status = 'published')
    EXECUTE FUNCTION reports_report_published_immutable();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS reports_report_published_update ON reports_report;
DROP TRIGGER IF EXISTS reports_report_published_delete ON reports_report;
DROP FUNCTION IF EXISTS reports_report_published_immutable();
"""
SQLITE_UP = f"""
CREATE TRIGGER reports_report_published_update BEFORE UPDATE OF {COLUMNS} ON reports_report
WHEN OLD.status = 'published'
BEGIN SELECT RAISE(ABORT, 'reports_report: a published report never changes (UPDATE refused)'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS reports_report_published_update;"


def up(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_UP, params=None)  # None: the SQL's own % is not a placeholder
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)


def down(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DOWN, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(up, down)]

"""The lifecycle history is append-only: the database refuses to change a recorded move.

PostgreSQL refuses UPDATE and DELETE (TRUNCATE, used only to reset a test database, is not a
row operation). SQLite refuses UPDATE; it keeps DELETE because Django's test flush deletes rows,
and the model's PROTECT foreign key already stops the ORM from deleting history.
"""

from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION orgs_stagechange_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'orgs_stagechange is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER orgs_stagechange_append_only BEFORE UPDATE OR DELETE ON orgs_stagechange
    FOR EACH ROW EXECUTE FUNCTION orgs_stagechange_append_only();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS orgs_stagechange_append_only ON orgs_stagechange;
DROP FUNCTION IF EXISTS orgs_stagechange_append_only();
"""
SQLITE_UP = """
CREATE TRIGGER orgs_stagechange_append_only BEFORE UPDATE ON orgs_stagechange
BEGIN SELECT RAISE(ABORT, 'orgs_stagechange is append-only: UPDATE refused'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS orgs_stagechange_append_only;"


def up(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_UP, params=None)  # no placeholders: the SQL holds a literal %
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)


def down(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DOWN, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]

    operations = [migrations.RunPython(up, down)]

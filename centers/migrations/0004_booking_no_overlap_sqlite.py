"""On SQLite (the default for `make run` and the tests), triggers give the database the same
no-overlap rule that PostgreSQL's exclusion constraint gives (migration 0002).

Datetimes are stored as UTC text of one format, so text comparison orders them correctly.
"""

from django.db import migrations

OVERLAP = """
    SELECT 1 FROM centers_booking b
    WHERE b.space_id = NEW.space_id AND b.id IS NOT NEW.id AND b.cancelled_at IS NULL
      AND NEW.cancelled_at IS NULL AND b.starts_at < NEW.ends_at AND b.ends_at > NEW.starts_at
"""
CREATE = [
    f"""CREATE TRIGGER IF NOT EXISTS booking_no_overlap_insert BEFORE INSERT ON centers_booking
    WHEN EXISTS ({OVERLAP}) BEGIN SELECT RAISE(ABORT, 'booking_no_overlap'); END;""",
    f"""CREATE TRIGGER IF NOT EXISTS booking_no_overlap_update BEFORE UPDATE ON centers_booking
    WHEN EXISTS ({OVERLAP}) BEGIN SELECT RAISE(ABORT, 'booking_no_overlap'); END;""",
]
DROP = [
    "DROP TRIGGER IF EXISTS booking_no_overlap_insert;",
    "DROP TRIGGER IF EXISTS booking_no_overlap_update;",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in CREATE:
            schema_editor.execute(sql)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("centers", "0003_periodic_tasks")]

    operations = [migrations.RunPython(create, drop, elidable=False)]

"""On PostgreSQL, the database itself refuses two live bookings of one space that overlap.

A model-level ExclusionConstraint would break SQLite (the default for `make run`), so the
constraint is created here with SQL that runs only on PostgreSQL; the same rule is checked in
centers.services.book_space for every database.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE centers_booking ADD CONSTRAINT booking_no_overlap
    EXCLUDE USING gist (space_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
    WHERE (cancelled_at IS NULL);
"""
DROP = "ALTER TABLE centers_booking DROP CONSTRAINT IF EXISTS booking_no_overlap;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("centers", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]

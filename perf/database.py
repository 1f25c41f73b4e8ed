"""The benchmark's own PostgreSQL database: dropped and made afresh, migrated, seeded, analysed."""

from __future__ import annotations

import io
import time

import psycopg2
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections


def _params() -> dict:
    db = settings.DATABASES["default"]
    return {
        "host": db.get("HOST") or "127.0.0.1",
        "port": db.get("PORT") or 5432,
        "user": db.get("USER") or "postgres",
        "password": db.get("PASSWORD") or None,
    }


def recreate() -> str:
    """Drop and create the configured database (refused unless its name says it is a benchmark's)."""
    name = settings.DATABASES["default"]["NAME"]
    if connection.vendor != "postgresql":
        raise SystemExit("bench: DATABASE_URL must point at PostgreSQL")
    if "bench" not in name:
        raise SystemExit(f"bench: refusing to drop database {name!r}: its name must contain 'bench'")
    connections.close_all()
    admin = psycopg2.connect(dbname="postgres", **_params())
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        admin.close()
    return name


def exists() -> bool:
    name = settings.DATABASES["default"]["NAME"]
    admin = psycopg2.connect(dbname="postgres", **_params())
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            return cursor.fetchone() is not None
    finally:
        admin.close()


def migrate() -> float:
    start = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    return time.monotonic() - start


def seed(scale: float, stdout) -> tuple[float, str]:
    out = io.StringIO()
    start = time.monotonic()
    call_command("seed_district", scale=scale, stdout=out)
    elapsed = time.monotonic() - start
    text = out.getvalue()
    for line in text.splitlines():
        stdout.write(f"    {line}")
    return elapsed, text


def analyze() -> float:
    """VACUUM ANALYZE: fresh statistics for the planner, and the visibility map for index-only scans."""
    start = time.monotonic()
    connection.ensure_connection()
    raw = connection.connection
    previous = raw.autocommit
    raw.autocommit = True
    try:
        with raw.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    finally:
        raw.autocommit = previous
    return time.monotonic() - start


def table_rows() -> dict[str, int]:
    """Estimated rows per table (pg_class.reltuples, exact enough after ANALYZE)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, c.reltuples::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind = 'r' AND n.nspname = 'public' ORDER BY c.reltuples DESC"
        )
        return {name: max(0, rows) for name, rows in cursor.fetchall()}


def exact_count(model) -> int:
    return model.objects.count()

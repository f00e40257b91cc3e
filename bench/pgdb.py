"""Throwaway PostgreSQL databases for the benchmarks: created at the start of a run,
dropped at its end, never one that already existed unless asked (--drop-existing)."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit


def _pg_admin(url: str):
    """An autocommit connection to the server's maintenance database, and the name."""
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name:
        raise SystemExit("--database-url must name a database")
    admin = urlunsplit(parts._replace(path="/postgres"))
    conn = psycopg2.connect(admin)
    conn.autocommit = True
    return conn, name


def pg_create(url: str, *, drop_existing: bool, template: str | None = None) -> None:
    """Create the database of `url`, empty or as a copy of the database of `template`
    (which nobody may be connected to)."""
    from psycopg2 import sql

    conn, name = _pg_admin(url)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cur.fetchone():
                if not drop_existing:
                    raise SystemExit(
                        f"Database {name!r} already exists; the benchmarks only use a "
                        "database they create. Pick another name or pass --drop-existing."
                    )
                cur.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            if template is None:
                cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            else:
                source = urlsplit(template).path.lstrip("/")
                cur.execute(
                    sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                        sql.Identifier(name), sql.Identifier(source)
                    )
                )
    finally:
        conn.close()


def pg_drop(url: str) -> None:
    from psycopg2 import sql

    conn, name = _pg_admin(url)
    try:
        with conn.cursor() as cur:
            cur.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
    finally:
        conn.close()


def is_postgres_url(url: str) -> bool:
    return urlsplit(url).scheme in {"postgres", "postgresql", "pgsql"}

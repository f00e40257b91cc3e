"""A database made by the previous release migrates forward with nothing lost.

release1.json.gz holds every row of a database of release 1 (see make_release_fixture.py
and README.md): the demo, its sample assessment taken through review and approved (so a
frozen PDF brief), and the history rows all that left. This test rebuilds our apps'
tables in the test database with release 1's migrations, loads those rows with plain SQL,
runs every later migration of this checkout, and then checks each table of ours (and the
auth users and groups) row by row and column by column, and a few values by name.

It must keep working with the code of later releases, so it uses no model class of ours:
only table names, raw SQL and Django's migration executor.

If a later migration changes data ON PURPOSE, say so below with the reason; anything else
that differs is reported as a loss.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

from tests.migrations import fixture_format
from tests.migrations.bands import AGE_RANGES

# (table, column): why a later migration removes the column (its data goes with it).
DROPPED_COLUMNS: dict[tuple[str, str], str] = {
    ("assessments_response", "group_id"): "0015: a response serves several groups; its one "
    "group is now the member of assessments_response_groups (checked below)",
    ("assessments_historicalresponse", "group_id"): "0015: many-to-many links are not in "
    "the history",
    ("assessments_populationgroup", "age_band"): "0016: ages are a range; each band became "
    "age_from/age_to (checked below)",
    ("assessments_historicalpopulationgroup", "age_band"): "0016: as in the groups, the "
    "history's bands became ranges (checked below)",
}
# (table, column): why a later migration rewrites the column's stored values.
REWRITTEN_COLUMNS: dict[tuple[str, str], str] = {}
# table: why a later migration adds rows to it (every release-1 row must still be there).
ROWS_ADDED: dict[str, str] = {}

# Known values of release 1's database, written out rather than read from the fixture, so
# that a wrong fixture cannot agree with a wrong migration.
SAMPLE_TITLE = "Drought and displacement in the Harra border districts (sample)"
EDIT_AFTER_RETURN = " Figures: IOM displacement tracking, May 2026."
REVIEW_TRAIL = ["submitted", "commented", "returned", "submitted", "approved"]
ASSESSMENT_HISTORY = [  # (history_type, status, by whom), oldest first
    ("+", "draft", "practitioner"),
    ("~", "submitted", "practitioner"),
    ("~", "returned", "supervisor"),
    ("~", "submitted", "practitioner"),
    ("~", "approved", "supervisor"),
]
THREAT_HISTORY_ROWS = 8

# transaction=True: migrations cannot run inside the test's transaction. The test ends
# with a flush; serialized_rollback gives the tests after it back what data migrations
# made (the "Framework admins" group, permissions), as in test_contention.py.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(scope="module", autouse=True)
def _start_from_an_empty_database(django_db_setup, django_db_blocker):
    """Empty every table before serialized_rollback restores the test database's data.

    A transactional test that ran before this one may have ended with a flush that made
    the content types and permissions again, under new ids (the browser tests do: under
    Playwright's event loop Django hands them a connection without the serialized data,
    so their flush runs post_migrate). Restoring the original rows over those would fail
    on their unique names. Module scope: this runs before the function-scoped restore.
    """
    with django_db_blocker.unblock():
        call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)


def q(name: str) -> str:
    return connection.ops.quote_name(name)


def test_release_1_database_migrates_forward_with_nothing_lost():
    fixture = fixture_format.read()
    release = sorted(fixture["migrations"].items())
    try:
        _rebuild_at_release(release)
        _assert_at_release(release, fixture)
        _load(fixture)
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    finally:
        # Whatever happened, the tests after this one need the current schema.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert not executor.migration_plan(executor.loader.graph.leaf_nodes())

    problems = _differences(fixture)
    assert not problems, "After migrating forward:\n  " + "\n  ".join(problems)
    _assert_known_values()
    _assert_modelling_carried_over(fixture)


def _rebuild_at_release(release) -> None:
    """Give the test database release 1's schema, made as release 1 made it.

    The tables of our apps (and of any app whose migrations depend on theirs) are dropped,
    their migrations forgotten, and the migrations up to release 1's applied again. Going
    there by unapplying the later migrations instead would need every later migration to
    be reversible, and would test their reverse as much as their forward path.
    """
    executor = MigrationExecutor(connection)
    graph = executor.loader.graph
    ours = {app for app, _ in release}
    replayed = {
        app for node in graph.nodes if node[0] in ours for app, _ in graph.backwards_plan(node)
    }
    models = executor.loader.project_state().apps.get_models(include_auto_created=True)
    tables = {
        m._meta.db_table
        for m in models
        if m._meta.app_label in replayed and m._meta.managed and not m._meta.proxy
    }
    existing = set(connection.introspection.table_names())
    # The schema editor lifts SQLite's foreign key checks, so the order does not matter.
    with connection.schema_editor() as editor:
        for table in sorted(tables & existing):
            editor.execute(editor.sql_delete_table % {"table": q(table)})
    MigrationRecorder(connection).migration_qs.filter(app__in=replayed).delete()
    MigrationExecutor(connection).migrate(release)


def _assert_at_release(release, fixture) -> None:
    """The test database now has release 1's schema: its migrations, tables and columns."""
    executor = MigrationExecutor(connection)
    graph = executor.loader.graph
    ours = {app for app, _ in release}
    expected = {n for node in release for n in graph.forwards_plan(node) if n[0] in ours}
    applied = {n for n in executor.loader.applied_migrations if n[0] in ours}
    assert applied == expected, "not at release 1's migrations"
    state = executor.loader.project_state(release)
    release_tables = {
        model._meta.db_table
        for model in state.apps.get_models(include_auto_created=True)
        if model._meta.app_label in ours
    }
    tables = fixture["tables"]
    fixture_tables = {table for table, content in tables.items() if content["app"] in ours}
    assert fixture_tables == release_tables, "the fixture's tables are not release 1's"
    with connection.cursor() as cursor:
        for table, content in tables.items():
            columns = _columns(cursor, table)
            if table in release_tables:
                assert set(content["columns"]) == columns, f"{table}: columns differ"
            else:
                assert set(content["columns"]) <= columns, f"{table}: columns missing"


def _columns(cursor, table: str) -> set[str]:
    return {c.name for c in connection.introspection.get_table_description(cursor, table)}


def _permission_ids(cursor) -> dict[str, int]:
    cursor.execute(
        "SELECT ct.app_label, p.codename, p.id FROM auth_permission p "
        "JOIN django_content_type ct ON ct.id = p.content_type_id"
    )
    return {f"{app}.{codename}": pk for app, codename, pk in cursor.fetchall()}


def _adapt(value):
    """A fixture value as a parameter for this database."""
    value = fixture_format.decode(value)
    if isinstance(value, dict):  # a permission, resolved by the caller
        return value
    # Dates and times as Django stores them (SQLite: text, datetimes in naive UTC).
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return connection.ops.adapt_datefield_value(value)
    if isinstance(value, datetime.time):
        return connection.ops.adapt_timefield_value(value)
    return value


def _load(fixture) -> None:
    """Replace what the test database holds in these tables with release 1's rows.

    The test database already has rows here (the "Framework admins" group made by a
    data migration, with its permissions), so the tables are emptied first. Both
    backends create Django's foreign keys DEFERRABLE INITIALLY DEFERRED, so inside one
    transaction order does not matter and every reference is checked at commit.
    """
    tables = fixture["tables"]
    with transaction.atomic(), connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {q(table)}")  # noqa: S608 - quoted table names
        permissions = _permission_ids(cursor)
        unknown = set(fixture["permissions"]) - set(permissions)
        assert not unknown, f"permissions missing in the test database: {sorted(unknown)}"
        for table, content in tables.items():
            columns = content["columns"]
            rows = [
                [
                    permissions[v["$permission"]] if isinstance(v, dict) else v
                    for v in (_adapt(value) for value in row)
                ]
                for row in content["rows"]
            ]
            names, marks = ", ".join(q(c) for c in columns), ", ".join(["%s"] * len(columns))
            if rows:
                insert = f"INSERT INTO {q(table)} ({names}) VALUES ({marks})"  # noqa: S608
                cursor.executemany(insert, rows)
        if connection.vendor == "postgresql":
            # Rows came with their ids: move each sequence past them, or the next insert
            # (a later data migration, say) would collide.
            for table in tables:
                for seq in connection.introspection.get_sequences(cursor, table):
                    column = seq["column"]
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence(%s, %s), "  # noqa: S608
                        f"COALESCE(MAX({q(column)}), 1), MAX({q(column)}) IS NOT NULL) "
                        f"FROM {q(table)}",
                        [q(table), column],
                    )


def _differences(fixture) -> list[str]:
    """Every row and value of release 1 that is not in the migrated database as it was."""
    problems = []
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        permission_keys = {pk: key for key, pk in _permission_ids(cursor).items()}
        for table, content in sorted(fixture["tables"].items()):
            if table not in existing:
                problems.append(f"{table}: table gone ({len(content['rows'])} rows)")
                continue
            columns = _columns(cursor, table)
            for column in content["columns"]:
                if column not in columns and (table, column) not in DROPPED_COLUMNS:
                    problems.append(f"{table}.{column}: column gone")
            kept = [c for c in content["columns"] if c in columns]
            kept = [c for c in kept if (table, c) not in REWRITTEN_COLUMNS]
            pk = content["primary_key"]
            if pk not in kept:
                problems.append(f"{table}: primary key {pk} gone, rows cannot be matched")
                continue
            cursor.execute(
                "SELECT %s FROM %s"  # noqa: S608 - quoted names
                % (", ".join(q(c) for c in kept), q(table))
            )
            now = {}
            for row in cursor.fetchall():
                values = dict(zip(kept, map(fixture_format.encode, row), strict=True))
                if table in fixture_format.PERMISSION_LINKS:
                    values["permission_id"] = {
                        "$permission": permission_keys.get(values["permission_id"])
                    }
                now[values[pk]] = values
            then = [dict(zip(content["columns"], row, strict=True)) for row in content["rows"]]
            then = {values[pk]: values for values in then}
            if len(now) != len(then) and not (table in ROWS_ADDED and len(now) > len(then)):
                problems.append(f"{table}: {len(then)} rows in release 1, {len(now)} now")
            lost = sorted(set(then) - set(now), key=str)
            if lost:
                problems.append(f"{table}: rows lost, {pk} = {lost[:10]}")
            changed = Counter()
            for key in sorted(set(then) & set(now), key=str):
                for column in kept:
                    if then[key][column] != now[key][column]:
                        changed[column] += 1
                        if changed[column] == 1:
                            problems.append(
                                f"{table}.{column} ({pk}={key}): was {_short(then[key][column])}, "
                                f"now {_short(now[key][column])}"
                            )
            problems += [f"{table}.{c}: {n} values changed" for c, n in changed.items() if n > 1]
    return problems


def _short(value) -> str:
    if isinstance(value, dict) and "$bytes" in value:
        data = fixture_format.decode(value)
        return f"{len(data):,} bytes, sha256 {hashlib.sha256(data).hexdigest()[:12]}"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "..."


def _one(sql: str, params=()) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    assert len(rows) == 1, f"expected one row from {sql!r}, got {len(rows)}"
    return rows[0]


def _all(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _assert_modelling_carried_over(fixture) -> None:
    """Migrations 0014-0016: each response's group is in its groups, each group's band
    is its range (in the history too), each threat keeps its dimension as the primary."""
    tables = fixture["tables"]

    def rows(table):
        content = tables[table]
        return [dict(zip(content["columns"], row, strict=True)) for row in content["rows"]]

    served = {(r["id"], r["group_id"]) for r in rows("assessments_response") if r["group_id"]}
    assert served, "release 1's responses name no group: the check would prove nothing"
    links = set(_all("SELECT response_id, populationgroup_id FROM assessments_response_groups"))
    assert links == served
    for table, key in (
        ("assessments_populationgroup", "id"),
        ("assessments_historicalpopulationgroup", "history_id"),
    ):
        bands = {r[key]: r["age_band"] for r in rows(table)}
        ages = {k: (f, t) for k, f, t in _all(f"SELECT {key}, age_from, age_to FROM {table}")}  # noqa: S608
        assert ages == {k: AGE_RANGES[band] for k, band in bands.items()}, table
    dimensions = {r["id"]: r["dimension_id"] for r in rows("assessments_threat")}
    assert dict(_all("SELECT id, dimension_id FROM assessments_threat")) == dimensions
    assert not _all("SELECT threat_id FROM assessments_threat_further_dimensions")


def _assert_known_values() -> None:
    """A few things release 1's users would look for first, by name."""
    assert _one("SELECT title, status FROM assessments_assessment") == (SAMPLE_TITLE, "approved")
    assert _one(
        "SELECT f.slug, v.number, v.status FROM frameworks_frameworkversion v "
        "JOIN frameworks_framework f ON f.id = v.framework_id"
    ) == ("human-security-lens", 1, "published")

    # The answer edited after the return: its text, version and author, and both versions
    # of it in the history.
    answer_id, text, version, author = _one(
        "SELECT a.id, a.text, a.version, u.username FROM assessments_answer a "
        "JOIN auth_user u ON u.id = a.updated_by_id WHERE a.version > 1"
    )
    assert text.endswith(EDIT_AFTER_RETURN) and (version, author) == (2, "practitioner")
    history = _all(
        "SELECT history_type, version, text FROM assessments_historicalanswer "
        "WHERE id = %s ORDER BY history_id",
        [answer_id],
    )
    assert [(t, v) for t, v, _ in history] == [("+", 1), ("~", 2)]
    assert history[1][2] == text and history[0][2] + EDIT_AFTER_RETURN == text

    # The assessment's history: who moved it where, in order.
    history = _all(
        "SELECT h.history_type, h.status, u.username FROM assessments_historicalassessment h "
        "JOIN auth_user u ON u.id = h.history_user_id ORDER BY h.history_id"
    )
    assert history == ASSESSMENT_HISTORY
    threat_history = _all(
        "SELECT h.history_type, u.username FROM assessments_historicalthreat h "
        "JOIN auth_user u ON u.id = h.history_user_id"
    )
    assert len(threat_history) == THREAT_HISTORY_ROWS
    assert set(threat_history) == {("+", "practitioner")}
    # History of a deleted object outlives it.
    (deleted,) = _one(
        "SELECT id FROM assessments_historicalpopulationgroup WHERE history_type = '-'"
    )
    assert not _all("SELECT id FROM assessments_populationgroup WHERE id = %s", [deleted])

    trail = _all("SELECT kind FROM assessments_reviewevent ORDER BY created_at, id")
    assert [kind for (kind,) in trail] == REVIEW_TRAIL

    # The frozen brief: the stored bytes still match the hashes taken at approval, and it
    # still belongs to the approval event.
    pdf, snapshot, pdf_sha256, snapshot_sha256, kind = _one(
        "SELECT b.pdf, b.snapshot, b.pdf_sha256, b.snapshot_sha256, e.kind "
        "FROM assessments_frozenbrief b JOIN assessments_reviewevent e ON e.id = b.approval_id"
    )
    pdf = bytes(pdf)
    assert pdf.startswith(b"%PDF-") and kind == "approved"
    assert hashlib.sha256(pdf).hexdigest() == pdf_sha256
    assert hashlib.sha256(snapshot.encode("utf-8")).hexdigest() == snapshot_sha256
    assert json.loads(snapshot) and SAMPLE_TITLE in snapshot

    # Sign-in data: the demo accounts, and the framework admin still in the group.
    assert _one(
        "SELECT g.name FROM auth_group g JOIN auth_user_groups ug ON ug.group_id = g.id "
        "JOIN auth_user u ON u.id = ug.user_id WHERE u.username = 'fwadmin'"
    ) == ("Framework admins",)

"""Write release1.json.gz: a database of the previous release, as its users would have it.

Run with the code OF THAT RELEASE (see README.md), from the project root:

    .venv/bin/python tests/migrations/make_release_fixture.py

On a fresh, throw-away SQLite database it runs the migrations, `seed_demo` (default
framework, teams, accounts, the sample assessment written through the services), then
takes the sample through review with the release's own services: submitted, commented on,
returned, edited (an answer changed, a group added and deleted), the comment resolved,
submitted again and approved, which renders the PDF brief and freezes it. It then dumps
every row of every table of our apps (the simple_history tables and m2m tables included)
and of the auth users and groups, in the backend-neutral form of fixture_format.py.
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUR_APPS = ("assessments", "frameworks")
# Auth rows that ours point at (owners, history users) or that a release ships (the
# "Framework admins" group). auth_permission and django_content_type are not dumped:
# every database makes its own; the link tables name permissions by natural key.
AUTH_TABLES = (
    "auth_user",
    "auth_group",
    "auth_user_groups",
    "auth_group_permissions",
    "auth_user_user_permissions",
)


def _git(*args: str) -> str | None:
    try:
        out = subprocess.run(  # noqa: S603
            ["git", *args, "--", ".", ":(exclude)tests/migrations"],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.strip()


def release_commit(*, allow_changes: bool) -> str:
    """The last commit that changed anything but this directory: the release's code."""
    changes = _git("status", "--porcelain")
    if changes and not allow_changes:
        sys.exit(
            "The code differs from its commit (outside tests/migrations), so the fixture "
            "would not be that release's:\n" + changes + "\n(--allow-changes to go on anyway)"
        )
    return _git("log", "-1", "--format=%H") or "unknown"


def walk_through_review() -> None:
    """The sample, taken through review by the demo's people with the release's services."""
    from django.contrib.auth import get_user_model

    from assessments import services, workflow
    from assessments.demo_sample import SAMPLE_TITLE
    from assessments.models import Answer, Assessment, Comment

    users = {u.username: u for u in get_user_model().objects.all()}
    owner, supervisor = users["practitioner"], users["supervisor"]
    sample = Assessment.objects.get(title=SAMPLE_TITLE)
    section = sample.framework_version.sections.order_by("order", "pk").first()

    sample, _ = workflow.assessment_submit(assessment=sample, user=owner)
    workflow.assessment_comment(
        assessment=sample,
        user=supervisor,
        section=section,
        text="Say where the displacement figure comes from and how recent it is.",
    )
    sample = workflow.assessment_return(
        assessment=sample,
        user=supervisor,
        note="Source the displacement figure in the context section, then resubmit.",
    )

    # The authors answer: one answer edited (a "~" history row by another hand), and a
    # group added then deleted (history rows whose object is gone).
    answer = (
        Answer.objects.filter(assessment=sample, prompt__section=section)
        .select_related("prompt")
        .order_by("prompt__order", "pk")
        .first()
    )
    services.section_save(
        assessment=sample,
        section=section,
        user=owner,
        texts={answer.prompt.key: answer.text + " Figures: IOM displacement tracking, May 2026."},
        versions={answer.prompt.key: answer.version},
    )
    temporary = services.group_save(
        assessment=sample, user=owner, name="Seasonal labourers (added in error)"
    )
    services.group_delete(assessment=sample, group=temporary, user=owner)
    workflow.comment_resolve(comment=Comment.objects.get(assessment=sample), user=owner)

    sample, _ = workflow.assessment_submit(assessment=sample, user=owner)
    workflow.assessment_approve(
        assessment=sample, user=supervisor, note="Approved for the June coordination meeting."
    )


def dump(connection, tables: dict[str, str]) -> dict:
    """Every row of `tables` ({table: app label}), ordered by primary key."""
    from tests.migrations.fixture_format import PERMISSION_LINKS, encode

    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.id, ct.app_label, p.codename, ct.model, p.name FROM auth_permission p "
            "JOIN django_content_type ct ON ct.id = p.content_type_id"
        )
        permissions = {row[0]: row[1:] for row in cursor.fetchall()}
        used: dict[str, dict] = {}
        out = {}
        for table, app in tables.items():
            description = connection.introspection.get_table_description(cursor, table)
            columns = [col.name for col in description]
            pk = connection.introspection.get_primary_key_column(cursor, table)
            names = ", ".join(quote(c) for c in columns)
            cursor.execute(f"SELECT {names} FROM {quote(table)} ORDER BY {quote(pk)}")  # noqa: S608
            rows = [[encode(v) for v in row] for row in cursor.fetchall()]
            if table in PERMISSION_LINKS:
                at = columns.index("permission_id")
                for row in rows:
                    app_label, codename, model, name = permissions[row[at]]
                    key = f"{app_label}.{codename}"
                    used[key] = {"model": model, "name": name}
                    row[at] = {"$permission": key}
            out[table] = {"app": app, "primary_key": pk, "columns": columns, "rows": rows}
    return {"tables": out, "permissions": used}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=Path(__file__).with_name("release1.json.gz"))
    parser.add_argument(
        "--allow-changes",
        action="store_true",
        help="Run even if the code has uncommitted changes outside tests/migrations.",
    )
    args = parser.parse_args()
    release = release_commit(allow_changes=args.allow_changes)

    workdir = tempfile.mkdtemp(prefix="hsassess-release-")
    # A database of its own, whatever the environment says; demo data needs DEBUG on.
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/release.sqlite3"
    os.environ["DEBUG"] = "1"
    os.environ["DJANGO_SETTINGS_MODULE"] = "hsassess.settings"
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)

    import django

    django.setup()
    from django.apps import apps
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    from tests.migrations import fixture_format

    call_command("migrate", verbosity=0, interactive=False)
    call_command("seed_demo", stdout=io.StringIO())
    walk_through_review()

    tables = {
        model._meta.db_table: label
        for label in OUR_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    }
    data = dump(connection, dict(sorted(tables.items())) | dict.fromkeys(AUTH_TABLES, "auth"))
    loader = MigrationLoader(connection)
    data.update(
        format=fixture_format.FORMAT,
        release=release,
        django=django.get_version(),
        migrations={app: name for app, name in loader.graph.leaf_nodes() if app in OUR_APPS},
    )
    fixture_format.write(args.output, data)
    for table, content in data["tables"].items():
        print(f"{table:45} {len(content['rows']):5} rows")
    print(f"{args.output}: {args.output.stat().st_size:,} bytes, release {data['release'][:12]}")
    print("migrations:", data["migrations"])


if __name__ == "__main__":
    main()

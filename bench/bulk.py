"""Many assessments at once, for the benchmarks at scale (PostgreSQL, COPY).

`seed_many(n, reader=...)` adds n assessments spread over 20 teams and 50 owners, with
two threats each (a third of them with a further dimension), statuses, countries,
places and a few collaborators, written with COPY (a hundred thousand take well under a
minute), then VACUUM ANALYZE. The reader is made a
member of four of the teams (a supervisor in one), so what they see is a fifth of the
whole: the list and search must find their rows among the others'.

The rows skip the services on purpose: this is volume for reads, not a workflow, and
no history is written for them.
"""

from __future__ import annotations

import io
import random
from datetime import UTC, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from assessments.models import Assessment, Membership, Team

TEAMS = 20
OWNERS = 50
READER_TEAMS = 4
HAZARDS = (
    "Drought", "Floods", "Cholera", "Armed raids", "Evictions", "Price spikes", "Detention",
    "Landslides", "Cattle raiding", "Forced recruitment", "Heatwave", "Measles",
    "Checkpoint extortion", "Crop failure", "Land disputes", "Mine contamination",
    "School closures", "Water scarcity", "Gender-based violence", "Border closure",
)  # fmt: skip
PLACES = (
    ("Chad", "Ouaddaï"), ("Chad", "Lac"), ("Niger", "Diffa"), ("Niger", "Tillabéri"),
    ("Nigeria", "Borno"), ("Nigeria", "Yobe"), ("Mali", "Mopti"), ("Mali", "Gao"),
    ("Burkina Faso", "Sahel"), ("Sudan", "Darfur"), ("South Sudan", "Jonglei"),
    ("Ethiopia", "Tigray"), ("Somalia", "Bay"), ("Kenya", "Turkana"), ("DRC", "Ituri"),
    ("DRC", "North Kivu"), ("CAR", "Ouham"), ("Cameroon", "Far North"),
    ("Mozambique", "Cabo Delgado"), ("Haiti", "Artibonite"), ("Colombia", "Chocó"),
    ("Myanmar", "Rakhine"), ("Bangladesh", "Cox's Bazar"), ("Yemen", "Hodeidah"),
    ("Syria", "Idlib"),
)  # fmt: skip
STATUSES = ("draft",) * 12 + ("submitted",) * 3 + ("returned",) * 2 + ("approved",) * 3


def cast(reader, version) -> tuple[list[Team], list]:
    """The teams and owners (made once, found again on a second call)."""
    users = get_user_model()
    teams = [
        Team.objects.get_or_create(slug=f"bulk-{i:02d}", defaults={"name": f"Bulk team {i:02d}"})[0]
        for i in range(TEAMS)
    ]
    owners = []
    for i in range(OWNERS):
        owner, _ = users.objects.get_or_create(username=f"bulk-owner-{i:02d}")
        owners.append(owner)
        Membership.objects.get_or_create(team=teams[i % TEAMS], user=owner)
    for i, team in enumerate(teams[:READER_TEAMS]):
        role = Membership.Role.SUPERVISOR if i == 0 else Membership.Role.PRACTITIONER
        Membership.objects.get_or_create(team=team, user=reader, defaults={"role": role})
    return teams, [reader, *owners]


def _field(value) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    return str(value).replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")


def _copy(cursor, table: str, columns: tuple[str, ...], rows) -> None:
    buf = io.StringIO()
    for row in rows:
        buf.write("\t".join(_field(v) for v in row) + "\n")
    buf.seek(0)
    cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buf)


@transaction.atomic
def seed_many(n: int, *, reader, version, seed: int = 7) -> None:
    """Add n assessments (and 2n threats, some collaborators); see the module's doc."""
    if connection.vendor != "postgresql":
        raise SystemExit("The scale benchmarks run on PostgreSQL (--database-url).")
    rng = random.Random(seed + Assessment.objects.count())
    teams, owners = cast(reader, version)
    dimensions = list(version.dimensions.values_list("pk", flat=True))
    now = datetime.now(UTC)
    first = (Assessment.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    rows = []
    for i in range(n):
        country, area = rng.choice(PLACES)
        team = teams[rng.randrange(TEAMS)]
        owner = owners[1 + rng.randrange(OWNERS)] if rng.random() > 0.1 else owners[0]
        status = rng.choice(STATUSES)
        updated = now - timedelta(minutes=rng.randrange(3 * 365 * 24 * 60))
        rows.append(
            (
                first + i,
                f"{rng.choice(HAZARDS)} in {area} {rng.randrange(1, 400)}",
                country,
                area,
                rng.choice(("Displaced households", "Host communities", "Pastoralists")),
                "Access is falling\nPrices doubled\nMovement restricted",
                "",
                status,
                1,
                updated.isoformat(),
                updated.isoformat(),
                updated.isoformat() if status != "draft" else None,
                updated.isoformat() if status == "approved" else None,
                version.pk,
                owner.pk,
                team.pk,
                2,
                # A portfolio written mostly in English, a third in the other languages.
                ("en", "en", "fr", "es", "ar", "en")[i % 6],
            )
        )
    columns = (
        "id", "title", "country", "area", "population_focus", "key_points",
        "public_key_points", "status", "version", "created_at", "updated_at",
        "submitted_at", "approved_at", "framework_version_id", "owner_id", "team_id",
        "last_threat_number", "language",
    )  # fmt: skip
    threat_columns = (
        "assessment_id", "number", "title", "description", "source_actor", "actor_type",
        "likelihood", "severity", "urgency", "trend", "confidence", "basis", "onset",
        "root_causes", "version", "dimension_id",
    )  # fmt: skip
    threats = (
        (a[0], k + 1, f"Threat {k + 1}", "", "", "", 1 + (a[0] + k) % 5, 1 + a[0] * 7 % 5,
         2, "stable", "medium", "observed", "chronic", "", 1, rng.choice(dimensions))
        for a in rows
        for k in range(2)
    )  # fmt: skip
    collaborators = (
        (a[0], owners[1 + (a[0] * 13) % OWNERS].pk if a[0] % 7 else owners[0].pk)
        for a in rows
        if a[0] % 5 == 0
    )
    with connection.cursor() as cursor:
        _copy(cursor, "assessments_assessment", columns, rows)
        _copy(cursor, "assessments_threat", threat_columns, threats)
        _copy(cursor, "assessments_assessment_collaborators", ("assessment_id", "user_id"),
              collaborators)  # fmt: skip
        # A third of the threats touch a further dimension too (the next one in order).
        cursor.execute(
            "INSERT INTO assessments_threat_further_dimensions (threat_id, dimension_id) "
            "SELECT t.id, (%s::bigint[])[array_position(%s::bigint[], t.dimension_id) %% %s + 1] "
            "FROM assessments_threat t WHERE t.assessment_id >= %s AND t.id %% 3 = 0",
            [dimensions, dimensions, len(dimensions), first],
        )
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('assessments_assessment', 'id'), "
            "(SELECT max(id) FROM assessments_assessment))"
        )
    transaction.on_commit(analyze)


def analyze() -> None:
    """Statistics for the planner, and the visibility map that lets index-only scans
    skip the table, as autovacuum leaves a database that has settled."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")

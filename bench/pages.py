"""Server time and query count of the assessment pages with a large assessment.

    .venv/bin/python bench/pages.py [--threats 200] [--repeat 30] [--debug]

Seeds a throwaway SQLite database (in a temporary directory, removed afterwards) with
one assessment of 200 threats (two component tags and two indicators each, linked to
groups), 20 groups, 50 responses and every prompt answered, all written through the
services as people would. Then requests each page N times with django.test.Client and
prints the median and 95th percentile of the server time and the page's query count.

The time is measured around Client.get in the same process: URL routing, middleware,
view, queries and template rendering, without network or a WSGI server. Requests run
with DEBUG off (no SQL logging, no template debug info) unless --debug is given.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PAGES = [
    ("overview", "/assessments/{pk}/"),
    ("threats", "/assessments/{pk}/threats/"),
    ("groups", "/assessments/{pk}/groups/"),
    ("responses", "/assessments/{pk}/responses/"),
    ("section", "/assessments/{pk}/sections/context/"),
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threats", type=int, default=200, help="threats to seed (200)")
    parser.add_argument("--repeat", type=int, default=30, help="requests per page (30)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests first (3)")
    parser.add_argument(
        "--debug", action="store_true", help="keep DEBUG on while measuring (slower)"
    )
    return parser.parse_args()


def setup_django(tmp: Path) -> None:
    # The database must be chosen before settings are read.
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "hsassess.settings"
    # Settings read DEBUG at import; on, they need no secret and serve static files from
    # the app directories. Measuring turns it off at run time (see measure()).
    os.environ["DEBUG"] = "1"
    sys.path.insert(0, str(ROOT))

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def seed(n_threats: int):
    """One assessment written through the services; returns (user, assessment)."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from assessments.content import services
    from assessments.core import services as core_services
    from assessments.demo.seed import DEFAULT_FRAMEWORK
    from assessments.models import Membership, PopulationGroup, Team
    from frameworks.documents import parse
    from frameworks.models import FrameworkVersion
    from frameworks.services import framework_import

    with transaction.atomic():
        version = FrameworkVersion.objects.filter(
            framework__slug="human-security-lens", status=FrameworkVersion.Status.PUBLISHED
        ).first()
        if version is None:
            version, _ = framework_import(
                document=parse(DEFAULT_FRAMEWORK.read_bytes()), publish=True
            )
        user = get_user_model().objects.create_user("bench", "bench@example.org")
        team = Team.objects.create(name="Bench team", slug="bench")
        Membership.objects.create(team=team, user=user, role=Membership.Role.PRACTITIONER)
        assessment = core_services.assessment_create(
            user=user,
            team=team,
            framework_version=version,
            title="Benchmark: Lake Chad basin",
            country="Nigeria",
            area="Borno State",
            population_focus="Displaced and host households",
        )
        for section in version.sections.prefetch_related("prompts"):
            services.section_save(
                assessment=assessment,
                section=section,
                user=user,
                texts={p.key: f"Answer to {p.key}. " * 20 for p in section.prompts.all()},
                versions={},
            )
        groups = [
            services.group_save(
                assessment=assessment,
                user=user,
                name=f"Group {i:02d}",
                description="Households in the camps around the town.",
                sex=[PopulationGroup.Sex.FEMALE, PopulationGroup.Sex.MALE][i % 2],
                age_from=18,
                age_to=59,
                displacement_status=PopulationGroup.Displacement.IDP,
                estimated_size=500 + i * 10,
            )
            for i in range(max(2, n_threats // 10))
        ]
        dimensions = list(version.dimensions.all())
        components = list(version.components.all())
        threats = []
        for i in range(n_threats):
            threats.append(
                services.threat_save(
                    assessment=assessment,
                    user=user,
                    title=f"Threat {i:03d}",
                    description="Reported by several households since the floods. " * 3,
                    dimension=dimensions[i % len(dimensions)],
                    further_dimensions=[dimensions[(i + 1) % len(dimensions)]] if i % 2 else [],
                    source_actor="Armed group" if i % 3 else "",
                    likelihood=1 + i % 5,
                    severity=1 + (i // 5) % 5,
                    urgency=1 + i % 3,
                    basis="perceived" if i % 4 == 0 else "observed",
                    root_causes="Land disputes and exclusion." if i % 2 else "",
                    affected_groups=[groups[i % len(groups)], groups[(i + 1) % len(groups)]],
                    tags={
                        components[(i + k) % len(components)].pk: f"Rationale {k}."
                        for k in range(2)
                    },
                    indicators=[
                        {"name": f"Indicator {i}.1", "kind": "proximate"},
                        {"name": f"Indicator {i}.2", "kind": "trigger"},
                    ],
                )
            )
        for i in range(max(2, n_threats // 4)):
            services.response_save(
                assessment=assessment,
                user=user,
                title=f"Response {i:03d}",
                strategy=["protection", "empowerment", "solidarity"][i % 3],
                actor="Local authority",
                groups=[groups[i % len(groups)], groups[(i + 1) % len(groups)]],
                preventive=bool(i % 2),
                threats=[threats[(i * 4) % len(threats)], threats[(i * 4 + 1) % len(threats)]],
            )
    return user, assessment


def nearest_rank(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def debug_off() -> None:
    """Measure as production runs: no SQL logging, no template debug information."""
    from django.conf import settings

    settings.DEBUG = False
    # Without DEBUG, WhiteNoise looks for collected static files; serve from the
    # finders as in development (the pages here do not fetch them anyway).
    settings.WHITENOISE_USE_FINDERS = True
    warnings.filterwarnings("ignore", message="No directory at", module="whitenoise")


def time_get(client, url: str, *, repeat: int, warmup: int) -> dict:
    """Median and p95 server time of GET url (in-process), its queries and size."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    times, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return {
        "url": url,
        "median": statistics.median(times),
        "p95": nearest_rank(times, 0.95),
        # This process's CPU time (the database's is not in it): on a busy machine it
        # moves less than the wall-clock time does.
        "cpu": statistics.median(cpu),
        "queries": len(queries.captured_queries),
        "kb": len(response.content) / 1024,
    }


def measure(user, assessment, *, repeat: int, warmup: int, debug: bool) -> list[dict]:
    from django.test import Client

    if not debug:
        debug_off()
    client = Client()
    client.force_login(user)
    return [
        {
            "page": name,
            **time_get(client, url.format(pk=assessment.pk), repeat=repeat, warmup=warmup),
        }
        for name, url in PAGES
    ]


def print_table(rows: list[dict], *, n_threats: int, repeat: int, seconds: float) -> None:
    headers = ("page", "url", "median ms", "p95 ms", "queries", "size KB")
    cells = [
        (
            r["page"],
            r["url"],
            f"{r['median']:.1f}",
            f"{r['p95']:.1f}",
            str(r["queries"]),
            f"{r['kb']:.0f}",
        )
        for r in rows
    ]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]

    def line(values) -> str:
        return "  ".join(
            v.ljust(w) if i < 2 else v.rjust(w)
            for i, (v, w) in enumerate(zip(values, widths, strict=True))
        )

    print(f"\n{n_threats} threats, {repeat} requests per page (seeded in {seconds:.1f} s)\n")
    print(line(headers))
    print(line("-" * w for w in widths))
    for c in cells:
        print(line(c))


def main() -> None:
    args = parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="hsassess-bench-"))
    try:
        setup_django(tmp)
        started = time.perf_counter()
        user, assessment = seed(args.threats)
        seeded = time.perf_counter() - started
        rows = measure(user, assessment, repeat=args.repeat, warmup=args.warmup, debug=args.debug)
        print_table(rows, n_threats=args.threats, repeat=args.repeat, seconds=seeded)
        from django.db import connection

        print(
            f"\nDatabase: {connection.vendor} (throwaway, {tmp}); "
            f"DEBUG {'on' if args.debug else 'off'} while measuring."
        )
    finally:
        from django.db import connections

        connections.close_all()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

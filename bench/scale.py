"""The list, search, filters and dashboard at 100 and at 100,000 assessments, and the
threat register of a 1,000-threat assessment (PostgreSQL).

    python bench/scale.py [--sizes 100,100000] [--repeat 30] [--threats 1000]
        [--database-url postgres://postgres@127.0.0.1:5432/hsassess_bench_scale]
        [--drop-existing] [--keep]

Creates the database (and drops it afterwards unless --keep), migrates, and seeds the
assessments in bulk (bench/bulk.py: COPY, 20 teams, two threats each); the reader
belongs to four of the teams. At each size it requests every page with
django.test.Client in this process, DEBUG off, and prints the median server time, the
95th percentile and the query count; then the ratio of the largest size to the
smallest. Last, the threat register of one assessment with --threats threats
(bench/seed.py), with its filters, and whether PostgreSQL's plan for a search uses the
GIN index.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import debug_off, time_get  # noqa: E402
from bench.pgdb import is_postgres_url, pg_create, pg_drop  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/hsassess_bench_scale"

# (name, path): {team} is a team of the reader's; the list is the baseline.
PAGES = [
    ("list", "/assessments/"),
    ("list, page 5", "/assessments/?page=5"),
    ("search, a word", "/assessments/?q=cholera"),
    ("search, two words", "/assessments/?q=floods+diffa"),
    ("search, a prefix", "/assessments/?q=evic"),
    ("filter: status", "/assessments/?status=submitted"),
    ("filter: team", "/assessments/?team={team}"),
    ("filter: country", "/assessments/?country=chad"),
    ("filter: dimension", "/assessments/?dimension=health"),
    ("filters + search", "/assessments/?q=drought&status=draft&dimension=food"),
    ("dashboard", "/"),
]
REGISTER = [
    ("threats", ""),
    ("threats, page 10", "?page=10"),
    ("threats: band", "?band=high"),
    ("threats: dimension", "?dimension={dimension}"),
    ("threats: component", "?component={component}&sort=number"),
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--sizes", default="100,100000", help="assessments (100,100000)")
    parser.add_argument("--repeat", type=int, default=30, help="requests per page (30)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests first (3)")
    parser.add_argument("--threats", type=int, default=1000, help="threats (1000)")
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--drop-existing", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    args.sizes = sorted(int(s) for s in args.sizes.split(","))
    if not is_postgres_url(args.database_url):
        parser.error("--database-url must be a postgres:// URL")
    return args


def setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "hsassess.settings"
    os.environ["DEBUG"] = "1"  # read at import: no secret needed; measuring turns it off
    os.environ.pop("CACHE_URL", None)
    os.environ.pop("REDIS_URL", None)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def table(title: str, headers: tuple, cells: list[tuple]) -> None:
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]
    print(f"\n{title}\n")
    for row in (headers, tuple("-" * w for w in widths), *cells):
        print("  ".join(v.ljust(w) if i == 0 else v.rjust(w) for i, (v, w) in
                        enumerate(zip(row, widths, strict=True))))  # fmt: skip


def gin_used(reader, q: str) -> str:
    from assessments.core.selectors import assessment_list

    plan = assessment_list(reader, q=q)[:21].explain()
    return "yes" if "assessment_search" in plan else "no, the planner chose:\n" + plan


def main() -> int:
    args = parse_args()
    pg_create(args.database_url, drop_existing=args.drop_existing)
    try:
        setup(args.database_url)
        return run(args)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            pg_drop(args.database_url)


def run(args) -> int:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from bench.bulk import analyze, cast, seed_many
    from bench.seed import default_version, seed_assessment

    version = default_version()
    reader = get_user_model().objects.create_user("bench-reader")
    teams, _ = cast(reader, version)
    debug_off()
    client = Client()
    client.force_login(reader)
    results: dict[int, dict[str, dict]] = {}
    have = 0
    for size in args.sizes:
        started = time.perf_counter()
        seed_many(size - have, reader=reader, version=version)
        have = size
        print(f"Seeded {size:,} assessments in {time.perf_counter() - started:.1f} s", flush=True)
        results[size] = {
            name: time_get(
                client, path.format(team=teams[1].pk), repeat=args.repeat, warmup=args.warmup
            )
            for name, path in PAGES
        }
    small, large = args.sizes[0], args.sizes[-1]
    cells = []
    for name, _ in PAGES:
        a, b = results[small][name], results[large][name]
        cells.append(
            (name, f"{a['median']:.1f}", f"{b['median']:.1f}", f"{b['p95']:.1f}",
             f"{b['median'] / a['median']:.2f}", f"{a['cpu']:.1f}", f"{b['cpu']:.1f}",
             f"{a['queries']}", f"{b['queries']}")
        )  # fmt: skip
    table(
        f"Server time (ms, median of {args.repeat}; p95 at {large:,}), DEBUG off; the reader "
        "sees 4 of 20 teams; cpu: this process's CPU time (the database's not included)",
        ("page", f"at {small:,}", f"at {large:,}", "p95", "ratio", "cpu", "cpu",
         "queries", "queries"),
        cells,
    )  # fmt: skip

    started = time.perf_counter()
    assessment, owner = seed_assessment(threats=args.threats, label="scale")
    analyze()
    print(f"\nSeeded {args.threats} threats in {time.perf_counter() - started:.1f} s")
    client.force_login(owner)
    base = f"/assessments/{assessment.pk}/threats/"
    fill = {
        "dimension": version.dimensions.order_by("order")[1].pk,
        "component": version.components.order_by("order")[0].pk,
    }
    rows = [
        (name, time_get(client, base + q.format(**fill), repeat=args.repeat, warmup=args.warmup))
        for name, q in REGISTER
    ]
    print()
    table(
        f"Threat register of {args.threats} threats (50 a page)",
        ("page", "median ms", "p95 ms", "cpu ms", "queries", "KB"),
        [(n, f"{r['median']:.1f}", f"{r['p95']:.1f}", f"{r['cpu']:.1f}", str(r["queries"]),
          f"{r['kb']:.0f}") for n, r in rows],
    )  # fmt: skip
    for q in ("cholera", "floods diffa"):
        print(f"Search for {q!r} uses the GIN index (assessment_search): {gin_used(reader, q)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

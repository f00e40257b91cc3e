"""The list, search, filters and dashboard at 100 and at 100,000 assessments, and the
threat register of a 1,000-threat assessment (PostgreSQL).

    python bench/scale.py [--sizes 100,100000] [--repeat 30] [--threats 1000]
        [--database-url postgres://postgres@127.0.0.1:5432/hsassess_bench_scale]
        [--drop-existing] [--keep]

Makes one database per size (the URL's name with "_100", "_100000" …; dropped
afterwards unless --keep): the smallest is migrated and seeded in bulk (bench/bulk.py:
COPY, 20 teams, two threats each), and each larger one starts as a copy of the one
before and gets the difference. The reader belongs to four of the teams. Every page is
requested with django.test.Client in this process, DEBUG off, at each size in turn, one
request at a time (the machine's speed drifts; taking turns keeps it out of the ratio),
and the table gives the median server time, the 95th percentile and the query count at
the smallest and the largest size and their ratio. Last, the threat register of one
assessment with --threats threats (bench/seed.py), with its filters, and whether
PostgreSQL's plan for a search uses the GIN index.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import debug_off, nearest_rank, time_get  # noqa: E402
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


def search_plan(reader, q: str) -> str:
    """Which index PostgreSQL reads a search's first page from."""
    import re

    from assessments.core.selectors import assessment_list

    plan = assessment_list(reader, q=q)[:21].explain()
    used = re.findall(r"(Bitmap Index Scan on|Index Scan using) (\w+)", plan)
    return ", ".join(f"{name} ({'bitmap' if kind.startswith('Bitmap') else 'in order'})"
                     for kind, name in used if name.startswith("assessment_"))  # fmt: skip


def size_url(url: str, size: int) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"{parts.path}_{size}"))


def main() -> int:
    args = parse_args()
    urls = {size: size_url(args.database_url, size) for size in args.sizes}
    smallest = args.sizes[0]
    pg_create(urls[smallest], drop_existing=args.drop_existing)
    try:
        setup(urls[smallest])
        return run(args, urls)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            for url in urls.values():
                pg_drop(url)


class Databases:
    """One open connection per size; `use(size)` makes it Django's default, so the same
    process, the same signed-in client and the same warm caches time both sizes."""

    def __init__(self, urls: dict[int, str]):
        from django.db import connections

        self.wrappers = {}
        for size, url in urls.items():
            wrapper = connections.create_connection("default")
            # Its own copy: the settings' dict is shared by every wrapper made from it.
            name = urlsplit(url).path.lstrip("/")
            wrapper.settings_dict = {**wrapper.settings_dict, "NAME": name}
            self.wrappers[size] = wrapper

    def use(self, size: int) -> None:
        from django.db import connections

        connections["default"] = self.wrappers[size]


def interleaved(client, dbs: Databases, sizes: list[int], path: str, args) -> dict:
    """The page at each size, one request at a time in turn: the machine's speed drifts
    over minutes, and a ratio of two runs minutes apart would measure the drift too."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get() -> None:
        if (status := client.get(path).status_code) != 200:
            raise SystemExit(f"{path} answered {status}")

    times: dict[int, list] = {size: [] for size in sizes}
    cpu: dict[int, list] = {size: [] for size in sizes}
    for round_ in range(args.warmup + args.repeat):
        for size in sizes:
            dbs.use(size)
            start, start_cpu = time.perf_counter(), time.process_time()
            get()
            if round_ >= args.warmup:
                times[size].append((time.perf_counter() - start) * 1000)
                cpu[size].append((time.process_time() - start_cpu) * 1000)
    out = {}
    for size in sizes:
        dbs.use(size)
        with CaptureQueriesContext(connection) as queries:
            get()
        out[size] = {
            "median": statistics.median(times[size]),
            "p95": nearest_rank(times[size], 0.95),
            "cpu": statistics.median(cpu[size]),
            "queries": len(queries.captured_queries),
        }
    return out


def run(args, urls: dict[int, str]) -> int:
    from django.contrib.auth import get_user_model
    from django.db import connection, connections
    from django.test import Client

    from bench.bulk import analyze, cast, seed_many
    from bench.seed import default_version, seed_assessment

    version = default_version()
    reader = get_user_model().objects.get_or_create(username="bench-reader")[0]
    teams, _ = cast(reader, version)
    debug_off()
    client = Client()
    client.force_login(reader)  # the session is copied with the database below
    have, previous = 0, None
    for size in args.sizes:
        if previous is not None:
            # The next size starts as a copy of the last one (same users, teams, session).
            connections.close_all()
            pg_create(urls[size], drop_existing=args.drop_existing, template=urls[previous])
            connection.settings_dict["NAME"] = urlsplit(urls[size]).path.lstrip("/")
        started = time.perf_counter()
        seed_many(size - have, reader=reader, version=version)
        print(f"Seeded {size:,} assessments in {time.perf_counter() - started:.1f} s", flush=True)
        have, previous = size, size
    connections.close_all()
    dbs = Databases(urls)
    results = {
        name: interleaved(client, dbs, args.sizes, path.format(team=teams[1].pk), args)
        for name, path in PAGES
    }
    small, large = args.sizes[0], args.sizes[-1]
    cells = []
    for name, _ in PAGES:
        a, b = results[name][small], results[name][large]
        cells.append(
            (name, f"{a['median']:.1f}", f"{b['median']:.1f}", f"{b['p95']:.1f}",
             f"{b['median'] / a['median']:.2f}", f"{a['cpu']:.1f}", f"{b['cpu']:.1f}",
             f"{a['queries']}", f"{b['queries']}")
        )  # fmt: skip
    table(
        f"Server time (ms, median of {args.repeat}, the sizes in turn; p95 at {large:,}), "
        "DEBUG off; the reader sees 4 of 20 teams; cpu: this process's CPU time (the "
        "database's not included)",
        ("page", f"at {small:,}", f"at {large:,}", "p95", "ratio", "cpu", "cpu",
         "queries", "queries"),
        cells,
    )  # fmt: skip

    dbs.use(large)
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
    print(
        "\nThe index each search's first page is read from: assessment_search is the GIN "
        "index (few matches: collect, then sort), assessment_recent the newest-first one "
        "(many matches: walk until a page is full)."
    )
    for q in ("cholera", "floods diffa", "drought"):
        print(f"  {q!r}: {search_plan(reader, q)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark of the PDF brief.

For the demo as approved (both editions) and a 25-threat and a 200-threat assessment:
the page count, the median time of rendering the PDF, and for the two large ones also
the brief view's median time, their ratio, and the peak memory (resident set) of the
process.

    .venv/bin/python bench/brief.py [--runs 5]

Uses a throwaway SQLite database; touches nothing else.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_tmp = tempfile.mkdtemp(prefix="hsassess-bench-")
os.environ["DATABASE_URL"] = f"sqlite:///{_tmp}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hsassess.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from bench.seed import seed_assessment  # noqa: E402


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pages_of(pdf: bytes) -> int:
    from io import BytesIO

    from pypdf import PdfReader

    return len(PdfReader(BytesIO(pdf)).pages)


def demo_rows(runs: int) -> None:
    """The demo as a supervisor downloads it: approved, restricted and public."""
    from django.contrib.auth import get_user_model

    from assessments.briefs.render import render_brief_pdf
    from assessments.demo.seed import seed
    from assessments.models import Assessment
    from assessments.review import services as workflow

    seed()
    demo = Assessment.objects.get(title__endswith="(sample)")
    workflow.assessment_submit(assessment=demo, user=demo.owner)
    supervisor = get_user_model().objects.get(username="supervisor")
    workflow.assessment_approve(assessment=demo, user=supervisor)
    demo.refresh_from_db()
    for label, public in (("demo", False), ("demo pub", True)):
        render_brief_pdf(assessment=demo, public=public)  # warm up
        samples, pdf = [], b""
        for _ in range(runs):
            start = time.perf_counter()
            pdf = render_brief_pdf(assessment=demo, public=public)
            samples.append(time.perf_counter() - start)
        print(f"{label:>8} {pages_of(pdf):>6} {'—':>9} {median_ms(samples):>9.0f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    setup_test_environment()
    call_command("migrate", verbosity=0)
    from assessments.briefs.render import brief_html, html_to_pdf

    print(f"hsassess brief benchmark · {args.runs} runs each · medians")
    print(
        f"{'threats':>8} {'pages':>6} {'view ms':>9} {'bare ms':>9} {'ratio':>6} "
        f"{'py peak MB':>11} {'RSS peak MB':>12}"
    )
    demo_rows(args.runs)
    for n in (25, 200):
        assessment, owner = seed_assessment(threats=n, label=f"brief-{n}")
        client = Client()
        client.force_login(owner)
        url = f"/assessments/{assessment.pk}/brief.pdf"
        # A large brief is a background job: the view answers with a redirect to it.
        in_view = client.get(url).status_code == 200  # also warms up fonts and templates
        view, bare = [], []
        pdf = b""
        for _ in range(args.runs):
            if in_view:
                start = time.perf_counter()
                response = client.get(url)
                view.append(time.perf_counter() - start)
                assert response.status_code == 200, response.status_code
            html, art = brief_html(assessment)
            start = time.perf_counter()
            pdf = html_to_pdf(html, assets=art)
            bare.append(time.perf_counter() - start)
        # Python's own peak allocation, in a separate pass: tracing slows everything down.
        tracemalloc.start()
        html, art = brief_html(assessment)
        html_to_pdf(html, assets=art)
        _, py_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        view_ms = f"{median_ms(view):>9.0f}" if view else f"{'job':>9}"
        ratio = f"{median_ms(view) / median_ms(bare):>6.2f}" if view else f"{'—':>6}"
        print(
            f"{n:>8} {pages_of(pdf):>6} {view_ms} {median_ms(bare):>9.0f} {ratio} "
            f"{py_peak / 1e6:>11.0f} {peak_rss_mb():>12.0f}"
        )


if __name__ == "__main__":
    main()

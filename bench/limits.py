"""Benchmark of an assessment at the limits (assessments/limits.py; docs/limits.md).

An assessment at every count cap (200 threats with 10 indicators each, 50 groups, 100
responses), exported as export.json, then imported through the real importer (the
services, as the upload page and `manage.py import_assessment` call it), and its brief
rendered by the real renderer. Twice: with ordinary texts, and with long texts (each
threat's description, the key points and every answer at 20,000 characters: as much as
an upload of 5 MB holds). A brief of more than BRIEF_BACKGROUND_THREATS (60) threats is
rendered by a background worker, not in the request, so a third row renders the largest
brief a request does: 60 threats, long texts. Wall time depends on what else the machine
runs; CPU time (the process's, SQLite included) does not, and is printed beside it.

    .venv/bin/python bench/limits.py [--runs 3]

Uses a throwaway SQLite database; touches nothing else.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from io import BytesIO

import throwaway  # noqa: F401 - first: Django on a throwaway SQLite database

# isort: split
from django.core.management import call_command
from django.db import transaction
from pypdf import PdfReader

from assessments import limits
from assessments.briefs.render import render_brief_pdf
from assessments.content.selectors import AssessmentData
from assessments.interchange.document import assessment_document
from assessments.interchange.forms import IMPORT_MAX_BYTES
from assessments.interchange.importer import import_assessment
from assessments.models import Answer, Assessment, Indicator, Threat
from bench.seed import seed_assessment

TIMEOUT_S = 30


def at_the_caps(label: str, *, threats: int, long_texts: bool) -> Assessment:
    assessment, _ = seed_assessment(
        threats=threats, groups=limits.GROUPS, responses=limits.RESPONSES, label=label
    )
    threats = list(assessment.threats.all())
    Indicator.objects.bulk_create(
        Indicator(threat=t, name=f"Indicator {i} of T{t.number}", kind="proximate")
        for t in threats
        for i in range(1, limits.INDICATORS)  # the seed gave each threat one
    )
    if long_texts:
        long = ("Households report raids on the road to the market. " * 400)[: limits.LONG_TEXT]
        Threat.objects.filter(assessment=assessment).update(description=long)
        Answer.objects.filter(assessment=assessment).update(text=long)
        Assessment.objects.filter(pk=assessment.pk).update(key_points=long)
    return assessment


def seconds(samples: list[tuple[float, float]]) -> str:
    """The median wall and CPU seconds, as "wall (cpu)"."""
    wall = statistics.median(s[0] for s in samples)
    cpu = statistics.median(s[1] for s in samples)
    return f"{wall:.1f} ({cpu:.1f})"


def timed(work, **kwargs):
    wall, cpu = time.perf_counter(), time.process_time()
    result = work(**kwargs)
    return result, (time.perf_counter() - wall, time.process_time() - cpu)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    print(f"hsassess limits benchmark · medians of {args.runs} runs · timeout {TIMEOUT_S} s")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(
        f"{'threats':>7} {'texts':>8} {'file MB':>8} {'import s (cpu)':>15} "
        f"{'brief s (cpu)':>14} {'pages':>6}"
    )
    for threats, long_texts in ((limits.THREATS, False), (limits.THREATS, True), (60, True)):
        label = f"{threats}-{'long' if long_texts else 'ordinary'}"
        source = at_the_caps(label, threats=threats, long_texts=long_texts)
        document = assessment_document(AssessmentData(source))
        raw = json.dumps(document).encode()
        assert len(raw) <= IMPORT_MAX_BYTES, f"{len(raw):,} bytes: over the upload limit"
        imports, briefs, pages = [], [], 0
        for _ in range(args.runs):
            with transaction.atomic():
                copy, spent = timed(import_assessment, document=json.loads(raw), owner=source.owner)
                imports.append(spent)
                assert copy.threats.count() == threats
                pdf, spent = timed(render_brief_pdf, assessment=copy)
                briefs.append(spent)
                pages = len(PdfReader(BytesIO(pdf)).pages)
                transaction.set_rollback(True)
        texts = "long" if long_texts else "ordinary"
        print(
            f"{threats:>7} {texts:>8} {len(raw) / 1e6:>8.1f} {seconds(imports):>15} "
            f"{seconds(briefs):>14} {pages:>6}"
        )


if __name__ == "__main__":
    main()

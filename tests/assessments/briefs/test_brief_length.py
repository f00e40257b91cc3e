"""A brief stays a brief: 25 threats fit in about six pages, and a 200-threat assessment
keeps page 1 to the summary and puts its registers in the annex. Read back from the PDF.

The assessments are the benchmark's (bench/seed.py: bulk inserts, long answers and
descriptions, so the page counts are not flattered); each is rendered once.
"""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from assessments.briefs import render as briefs
from bench.seed import seed_assessment
from tests.assessments.briefs.pdfstructure import pages_ending_in_a_heading

pytestmark = pytest.mark.django_db

MAX_PAGES_25 = 7


def _pages(pdf: bytes) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="module")
def briefs_by_size(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            rendered = {}
            for n in (25, 200):
                assessment, _owner = seed_assessment(threats=n, label=f"length-{n}")
                rendered[n] = briefs.render_brief_pdf(assessment=assessment)
            transaction.set_rollback(True)
    return rendered


def test_a_25_threat_brief_stays_near_six_pages(briefs_by_size):
    pages = _pages(briefs_by_size[25])

    assert len(pages) <= MAX_PAGES_25
    text = " ".join(pages)
    # No annex: the register and every indicator are in the body.
    assert "Annex" not in text
    assert "Threat register: every threat, by number" in text
    assert "Early-warning indicators" in text
    for n in range(1, 26):
        assert f"T{n} Threat {n - 1}:" in text


@pytest.mark.parametrize("n", [25, 200])
def test_page_one_holds_the_summary_and_the_analysis_starts_on_page_two(briefs_by_size, n):
    pages = _pages(briefs_by_size[n])
    page_one, page_two = pages[0], pages[1]

    for part in (
        f"Benchmark assessment length-{n}",
        "As of",
        "Key messages",
        "Key figures",
        f"about 36,000 8 {n}",
        "Top risks",
        "Top actions",
        "The four components at a glance",
    ):
        assert part in page_one, part
    assert f"Page 1 of {len(pages)}" in page_one
    # The strip is the last thing on page 1, and it is whole.
    assert "Preventive" in page_one.split("The four components at a glance")[1]
    assert "Security for whom?" not in page_one
    assert "Security for whom? Groups in focus" in page_two
    assert "Top actions" not in page_two


def test_a_200_threat_brief_puts_its_registers_in_the_annex(briefs_by_size):
    pages = _pages(briefs_by_size[200])
    annex_start = next(i for i, page in enumerate(pages) if "Annex: the full registers" in page)

    body, annex = " ".join(pages[:annex_start]), " ".join(pages[annex_start:])
    # The bulk is the annex: the body is a brief.
    assert annex_start <= 10 < len(pages)
    assert "The 15 most serious threats of 200; every threat is in the annex" in body
    for n in range(1, 201):
        assert f"T{n} Threat {n - 1}:" in annex
    assert "Every early-warning indicator" in annex
    # A group's row names its ten most serious threats and counts the rest.
    assert "and 15 more" in body


@pytest.mark.parametrize("n", [25, 200])
def test_no_heading_ends_a_page_of_a_long_brief(briefs_by_size, n):
    assert pages_ending_in_a_heading(briefs_by_size[n]) == []

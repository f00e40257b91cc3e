"""A background job's page in a browser: it follows the job by itself (static script,
no inline script: the CSP would block one and the fixtures fail on that) until the
result link appears, on a phone-sized screen without sideways scrolling, and without
serious accessibility violations."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django_tasks_db.management.commands.db_worker import Worker
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from tests.e2e.test_accessibility import report, violations
from tests.factories import AssessmentFactory, ThreatFactory

PHONE = {"width": 360, "height": 740}


def _overflow(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def _work_the_queue() -> None:
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="e2e-worker",
        excluded_queue_names=[],
    ).run()


@pytest.fixture
def large(people, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.BRIEF_BACKGROUND_THREATS = 2
    assessment = AssessmentFactory(
        team=people.team,
        owner=people.owner,
        framework_version=people.version,
        title="Displacement, evictions and rents across the northern river districts",
    )
    for title in ("Flooding", "Cholera", "Eviction"):
        ThreatFactory(assessment=assessment, title=title)
    return assessment


def test_a_large_briefs_page_follows_it_until_the_pdf_is_there(
    people, large, new_page, fake_render
):
    axe = Axe()
    page = new_page(viewport=PHONE)
    sign_in(page, people.owner)

    page.goto(f"/assessments/{large.pk}/brief.pdf")

    expect(page).to_have_url(re.compile(r"/jobs/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Brief of")
    expect(page.locator("#job-status")).to_contain_text("Waiting for a worker")
    assert _overflow(page) <= 0
    problems = violations(axe, page)

    _work_the_queue()  # a worker takes it; the page notices by itself

    link = page.get_by_role("link", name="Download the brief (PDF)")
    expect(link).to_be_visible()
    expect(page.locator("#job-status")).to_contain_text("Done")
    assert _overflow(page) <= 0
    problems += violations(axe, page)
    with page.expect_download() as download:
        link.click()
    assert Path(download.value.path()).read_bytes() == fake_render.pdfs[-1]
    assert not problems, report(problems)

"""The evidence pages in a browser: a source cited from a threat by keyboard alone (the
citation picker is a group of checkboxes in a fieldset), and its file downloaded from the
source's page as an attachment."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from assessments.evidence.files import Attachment
from assessments.evidence.services import source_save
from tests.e2e.conftest import sign_in
from tests.e2e.test_keyboard import by_id, tab_to
from tests.factories import AssessmentFactory, ThreatFactory

NOTES = b"Market visit, 3 March: sorghum up by half.\n"


def _assessment(people):
    assessment = AssessmentFactory(
        title="Evidence in the browser",
        team=people.team,
        owner=people.owner,
        framework_version=people.version,
    )
    threat = ThreatFactory(assessment=assessment, title="Crisis hunger")
    source = source_save(
        assessment=assessment,
        user=people.owner,
        kind="document",
        title="Dembel market prices",
        reliability="B",
        credibility=2,
        attachment=Attachment("prices.txt", "text/plain", NOTES),
    )
    return assessment, threat, source


def test_a_threat_cites_a_source_by_keyboard_and_the_file_downloads(
    people, page, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    assessment, threat, source = _assessment(people)
    sign_in(page, people.owner)

    page.goto(f"/assessments/{assessment.pk}/threats/{threat.pk}/edit/")
    expect(page.get_by_role("group", name="Sources cited").first).to_be_visible()
    tab_to(page, by_id("id_sources_0"), limit=120)
    page.keyboard.press("Space")
    assert page.locator("#id_sources_0").is_checked()
    page.keyboard.press("Enter")  # submits the form from the checkbox
    expect(page.get_by_text("Threat saved.")).to_be_visible()
    assert list(threat.sources.all()) == [source]
    expect(page.get_by_role("link", name="S1")).to_be_visible()

    page.get_by_role("link", name="S1").click()
    expect(page.get_by_role("heading", name="S1 Dembel market prices")).to_be_visible()
    expect(page.get_by_text("Crisis hunger")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download prices.txt").click()
    assert download.value.suggested_filename == "prices.txt"
    assert Path(download.value.path()).read_bytes() == NOTES

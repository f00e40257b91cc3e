"""Never lose typing (issue 13, item 1), in a real browser: leaving a section with unsaved
text asks first; a closed tab's text comes back with a notice; saving drops the draft;
without JavaScript the form still saves."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from assessments.models import Answer
from tests.e2e.conftest import sign_in
from tests.factories import AssessmentFactory

TYPED = "Families sleep in the school since the river rose."
DRAFTS = """() => Object.keys(localStorage).filter((k) => k.startsWith("hsassess.draft."))"""


def _setup(people):
    assessment = AssessmentFactory(
        team=people.team, owner=people.owner, framework_version=people.version
    )
    first, second = list(people.version.sections.order_by("order"))[:2]
    return assessment, first, second


def _sidebar_link(page, section):
    nav = page.get_by_role("navigation", name="Sections")
    return nav.get_by_role("link", name=re.compile(rf"^{re.escape(section.title)}\b"))


def test_unsaved_text_is_guarded_kept_and_dropped_once_saved(page, people):
    assessment, first, second = _setup(people)
    url = f"/assessments/{assessment.pk}/sections/{first.key}/"
    sign_in(page, people.owner)
    page.goto(url)
    box = page.locator("main textarea").first
    box.click()
    page.keyboard.type(TYPED)

    # Another section from the sidebar: the browser asks first; staying keeps the text.
    asked = []

    def stay(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.once("dialog", stay)
    _sidebar_link(page, second).click(no_wait_after=True)
    page.wait_for_function("() => true")  # a round trip: the dialog has been answered
    assert asked == ["beforeunload"]
    expect(page).to_have_url(re.compile(rf"{re.escape(url)}$"))
    expect(box).to_have_value(TYPED)
    assert len(page.evaluate(DRAFTS)) == 1

    # The tab is closed without saving; opened again, the text is back, and it says so.
    context = page.context
    page.close()
    again = context.new_page()
    again.goto(url)
    notice = again.get_by_role("status").filter(has_text="has been put back")
    expect(notice).to_be_visible()
    expect(notice).to_have_attribute("aria-live", "polite")
    expect(again.locator("main textarea").first).to_have_value(TYPED)
    assert not Answer.objects.filter(assessment=assessment, text=TYPED).exists()

    # Saved: the answer is on the server and the draft is gone from the browser.
    again.get_by_role("button", name="Save and continue").click()
    expect(again.get_by_text("Section saved.")).to_be_visible()
    expect(again).to_have_url(re.compile(rf"/sections/{second.key}/$"))
    assert Answer.objects.filter(assessment=assessment, text=TYPED).exists()
    # The message can paint before drafts.js (end of body) has run: wait for the load.
    again.wait_for_load_state("load")
    assert again.evaluate(DRAFTS) == []

    # Back on the first section, nothing is restored: what is shown is what is saved.
    again.goto(url)
    expect(again.locator("main textarea").first).to_have_value(TYPED)
    expect(again.get_by_text("has been put back")).to_have_count(0)


def test_the_draft_can_be_discarded(page, people):
    assessment, first, _second = _setup(people)
    url = f"/assessments/{assessment.pk}/sections/{first.key}/"
    sign_in(page, people.owner)
    page.goto(url)
    page.locator("main textarea").first.click()
    page.keyboard.type(TYPED)
    context = page.context
    page.close()
    again = context.new_page()
    again.goto(url)

    again.get_by_role("button", name="Discard the draft").click()

    expect(again.locator("main textarea").first).to_have_value("")
    expect(again.get_by_role("status").filter(has_text="draft was discarded")).to_be_visible()
    assert again.evaluate(DRAFTS) == []


def test_without_javascript_the_section_still_saves(new_page, people):
    assessment, first, second = _setup(people)
    page = new_page(java_script_enabled=False)
    sign_in(page, people.owner)
    page.goto(f"/assessments/{assessment.pk}/sections/{first.key}/")

    page.locator("main textarea").first.fill(TYPED)
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_text("Section saved.")).to_be_visible()
    assert Answer.objects.filter(assessment=assessment, text=TYPED).exists()

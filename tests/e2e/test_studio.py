"""The framework studio in a browser: a framework admin starts a draft, rewords a prompt,
moves one by keyboard, compares, previews and publishes with a changelog; then a
practitioner moves an assessment to the new version. axe on every studio page, and no page
wider than a 1366 px screen."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from assessments.models import Answer
from frameworks.models import FrameworkVersion, Prompt
from tests.e2e.conftest import sign_in
from tests.factories import AnswerFactory, AssessmentFactory

BLOCKING = {"serious", "critical"}
SCREEN = {"width": 1366, "height": 768}


@pytest.fixture(scope="module")
def axe():
    return Axe()


def check_page(axe, page) -> list[str]:
    """Serious or critical axe violations, and a page wider than the screen."""
    problems = [
        f"{page.url}: {v['id']} ({v['impact']}) at "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"])
        for v in axe.run(page).response["violations"]
        if v["impact"] in BLOCKING
    ]
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > SCREEN["width"]:
        problems.append(f"{page.url}: {width} px wide")
    return problems


def test_the_studio_story(new_page, people, framework_admin, axe):
    page = new_page(viewport=SCREEN)
    sign_in(page, framework_admin)
    slug = people.version.framework.slug
    problems: list[str] = []

    page.goto(f"/frameworks/{slug}/")
    problems += check_page(axe, page)
    page.get_by_role("button", name="New draft from v1").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("draft v2")
    draft = FrameworkVersion.objects.get(framework__slug=slug, status="draft")
    assert draft.created_by == framework_admin
    problems += check_page(axe, page)

    # Reword the first prompt of the first section.
    section = draft.sections.order_by("order").first()
    first, second = list(section.prompts.order_by("order"))[:2]
    page.locator(f"#section-{section.pk} > summary").click()
    page.locator(f"#prompt-{first.pk}-text").fill(first.text + " And since when?")
    page.locator(f"#prompt-{first.pk}").get_by_role("button", name=re.compile("^Save")).click()
    # The save is a full round trip: wait for the page it lands on before going on,
    # or the next key press goes to the page being left.
    page.wait_for_url(re.compile(rf"focus=prompt-{first.pk}$"))
    expect(page.locator(f"#prompt-{first.pk}-text")).to_have_value(first.text + " And since when?")

    # Move the second prompt up, by keyboard only: focus its button, press Enter.
    page.locator(f"#up-prompt-{second.pk}").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"focus=up-prompt-{second.pk}"))
    assert list(section.prompts.order_by("order"))[:2] == [second, first]
    # The focus comes back to the moved prompt (its "up" button is now disabled).
    expect(page.locator(f"#prompt-{second.pk}")).to_be_focused()
    page.keyboard.press("Tab")
    problems += check_page(axe, page)

    # A save that breaks the import's rules is refused on its field.
    page.locator(f"#section-{section.pk}-title").fill("x" * 250)
    page.locator(f"#section-{section.pk} form").first.get_by_role(
        "button", name=re.compile("^Save")
    ).click()
    expect(page.locator(f"#section-{section.pk}-title-error")).to_be_visible()
    problems += check_page(axe, page)

    page.goto(f"/frameworks/{slug}/compare/1/2/")
    expect(page.locator(".change-reworded").first).to_contain_text("since when?")
    expect(page.locator(".change-moved").first).to_be_visible()
    problems += check_page(axe, page)

    page.goto(f"/frameworks/{slug}/v2/preview/")
    expect(page.get_by_label(re.compile(re.escape(second.text[:40])))).to_be_visible()
    problems += check_page(axe, page)

    page.goto(f"/frameworks/{slug}/v2/publish/")
    expect(page.get_by_text("New assessments get it from then on")).to_be_visible()
    problems += check_page(axe, page)
    page.get_by_label("What changed (changelog)").fill("Context prompts reworded and reordered.")
    page.get_by_label(re.compile("^Stays available")).check()
    page.get_by_role("button", name="Publish v2").click()
    expect(page.get_by_text("v2 is published")).to_be_visible()
    draft.refresh_from_db()
    assert (draft.status, draft.changelog) == (
        "published",
        "Context prompts reworded and reordered.",
    )
    assert not problems, "\n".join(problems)


def test_a_practitioner_moves_an_assessment_and_undoes_it(new_page, people, axe):
    from frameworks import editing
    from frameworks.services import version_new_draft, version_publish

    v1 = people.version
    assessment = AssessmentFactory(team=people.team, owner=people.owner, framework_version=v1)
    section = v1.sections.order_by("order").first()
    prompts = list(section.prompts.order_by("order"))
    for prompt in prompts:
        AnswerFactory(assessment=assessment, prompt=prompt, text=f"About {prompt.key}.")
    draft = version_new_draft(version=v1)
    gone = Prompt.objects.get(section__version=draft, key=prompts[1].key)
    editing.studio_remove(version=draft, kind="prompt", pk=gone.pk)
    version_publish(version=draft, changelog="One prompt fewer.")

    page = new_page(viewport=SCREEN)
    sign_in(page, people.owner)
    page.goto(f"/assessments/{assessment.pk}/upgrade/")
    expect(page.get_by_text("kept as an answer to a retired prompt")).to_be_visible()
    problems = check_page(axe, page)
    page.get_by_role("button", name="Move to v2").click()
    expect(page.get_by_role("heading", name="Answers to retired prompts")).to_be_visible()
    expect(page.get_by_text(f"About {prompts[1].key}.")).to_be_visible()
    problems += check_page(axe, page)
    page.get_by_role("button", name="Undo: back to v1").click()
    expect(page.get_by_text("Back on framework v1.")).to_be_visible()
    assessment.refresh_from_db()
    assert assessment.framework_version == v1
    assert Answer.objects.filter(assessment=assessment).count() == len(prompts)
    assert not problems, "\n".join(problems)


def test_the_translation_page_in_french_and_arabic(new_page, people, framework_admin, axe):
    from frameworks.services import version_new_draft

    draft = version_new_draft(version=people.version, by=framework_admin)
    page = new_page(viewport=SCREEN)
    sign_in(page, framework_admin)
    problems: list[str] = []

    page.goto(f"/frameworks/{draft.framework.slug}/v{draft.number}/edit/")
    page.get_by_role("link", name=re.compile(r"^French: \d+ of \d+$")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("in French")
    problems += check_page(axe, page)
    prompt = Prompt.objects.get(section__version=draft, key="context-situation")
    box = page.locator(f"#tr-prompt-{prompt.pk}-text")
    box.fill("Quel lieu, quelle population, quelle période ?")
    page.locator(f"#prompt-{prompt.pk}").get_by_role("button", name=re.compile("^Save")).click()
    page.wait_for_url(re.compile(rf"focus=prompt-{prompt.pk}$"))
    expect(box).to_have_value("Quel lieu, quelle population, quelle période ?")
    prompt.refresh_from_db()
    assert prompt.translations["fr"]["text"] == "Quel lieu, quelle population, quelle période ?"

    page.goto(f"/frameworks/{draft.framework.slug}/v{draft.number}/translate/ar/")
    expect(page.locator(f"#tr-prompt-{prompt.pk}-text")).to_have_attribute("dir", "rtl")
    problems += check_page(axe, page)
    assert not problems, "\n".join(problems)

"""The main story works by keyboard alone: no mouse, no click() or fill(), only keys."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from assessments.models import Answer, Assessment
from tests.factories import PASSWORD

# What a sighted keyboard user relies on: which element has focus, and whether its focus
# indicator is drawn (an outline, which our stylesheet gives every focusable element).
FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    type: el.getAttribute("type") || "",
    text: (el.innerText || "").trim().replace(/\\s+/g, " ").slice(0, 80),
    outline: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth) || 0,
    // Visually hidden elements are clipped to 1px: only larger ones count as shown.
    visible: box.width > 1 && box.height > 1,
  };
}"""


def focused(page) -> dict:
    # After a navigation the heading can show before the stylesheets have applied (seen
    # under load): read the focus style only once the page has fully loaded.
    page.wait_for_load_state("load")
    return page.evaluate(FOCUSED)


def assert_focus_visible(element: dict) -> None:
    assert element["visible"], f"The focused element is not on screen: {element}"
    assert element["outline"] != "none" and element["outlineWidth"] >= 2, (
        f"The focused element shows no focus outline: {element}"
    )


def tab_to(page, wanted, *, backwards: bool = False, limit: int = 80) -> dict:
    """Press Tab (or Shift+Tab) until `wanted(element)` holds, checking on the way that
    every element that takes focus shows it."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        element = focused(page)
        if element["tag"] != "body":
            assert_focus_visible(element)
        if wanted(element):
            return element
    raise AssertionError(f"No element matching {wanted} within {limit} Tab presses.")


def by_id(element_id: str):
    return lambda element: element["id"] == element_id


def by_text(text: str):
    return lambda element: element["text"] == text


def test_the_main_story_works_by_keyboard_alone(people, page):
    page.goto("/accounts/login/")
    # The sign-in form puts the cursor in the username box (autofocus, applied once the
    # page has loaded).
    page.wait_for_function("() => document.activeElement.id === 'id_username'")
    page.keyboard.type(people.owner.username)
    tab_to(page, by_id("id_password"))
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()

    # The first Tab stop on a page is the skip link, shown when focused; it moves focus
    # to the main content, past the header navigation.
    page.keyboard.press("Tab")
    skip = focused(page)
    assert skip["tag"] == "a" and skip["text"] == "Skip to main content"
    assert_focus_visible(skip)
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.id === 'main'")
    new = tab_to(page, by_text("New assessment"))
    assert new["tag"] == "a"
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="New assessment", level=1)).to_be_visible()
    tab_to(page, by_id("id_title"))
    page.keyboard.type("Keyboard-only assessment")
    tab_to(page, by_id("id_country"))
    page.keyboard.type("Chad")
    tab_to(page, by_id("id_area"))
    page.keyboard.type("Lac Province")
    tab_to(page, by_text("Create assessment"))
    page.keyboard.press("Space")

    expect(page.get_by_role("heading", name="Keyboard-only assessment", level=1)).to_be_visible()
    assessment = Assessment.objects.get(title="Keyboard-only assessment")
    assert (assessment.owner, assessment.country, assessment.area) == (
        people.owner,
        "Chad",
        "Lac Province",
    )
    section = people.version.sections.order_by("order").first()
    prompt = section.prompts.order_by("order").first()
    tab_to(page, by_text(section.title))
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name=section.title, level=1)).to_be_visible()
    tab_to(page, by_id(f"id_text_{prompt.key}"))
    page.keyboard.type("Typed without a mouse.")
    # Past the button, then back to it: Shift+Tab works too.
    tab_to(page, by_text("Save and go to overview"))
    tab_to(page, by_text("Save and continue"), backwards=True)
    page.keyboard.press("Enter")

    expect(page.get_by_text("Section saved.")).to_be_visible()
    following = people.version.sections.order_by("order")[1]
    expect(page.get_by_role("heading", name=following.title, level=1)).to_be_visible()
    answer = Answer.objects.get(assessment=assessment, prompt=prompt)
    assert (answer.text, answer.updated_by) == ("Typed without a mouse.", people.owner)
    page.goto(f"/assessments/{assessment.pk}/")
    progress = page.locator("li.list-group-item").filter(
        has=page.get_by_role("link", name=section.title, exact=True)
    )
    expect(progress).to_contain_text(re.compile(r"\b1 of \d+ answered"))

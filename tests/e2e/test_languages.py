"""The interface in other languages, in a real browser: the switch keeps the page and
what was typed; Arabic pages pass axe; no page overflows a 375 px screen in any language."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PASSWORD
from tests.e2e.test_accessibility import BLOCKING, report, worked_assessment

TYPED = "Les familles dorment à l'école depuis la crue."


def sign_in_anywhere(page, user) -> None:
    """Sign in whatever the page's language (the labels are translated)."""
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/$"))


def test_switching_language_keeps_the_page_and_the_typed_text(page, people):
    assessment = worked_assessment(people)
    url = f"/assessments/{assessment.pk}/sections/context/"
    sign_in_anywhere(page, people.owner)
    page.goto(url)
    box = page.locator("main textarea").first
    box.fill("")
    box.type(TYPED)
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))

    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Change").click()

    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page).to_have_url(re.compile(rf"{re.escape(url)}$"))
    expect(page.locator("main textarea").first).to_have_value(TYPED)
    expect(page.get_by_role("heading", name="Tableau de bord")).to_have_count(0)
    expect(page.get_by_label("Langue")).to_have_value("fr")
    assert asked == []  # the switch does not ask to leave: nothing is lost

    # Back to Arabic: right to left, the text still there.
    page.get_by_label("Langue").select_option("ar")
    page.locator("footer form button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("main textarea").first).to_have_value(TYPED)


def test_before_sign_in_the_browsers_language_is_the_first_guess(new_page):
    page = new_page(locale="es-MX")
    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.get_by_label("Idioma").select_option("ar")
    page.locator("footer form button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_arabic_pages_have_no_serious_violations(new_page, people):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    assessment = worked_assessment(people)
    base = f"/assessments/{assessment.pk}"
    page = new_page(locale="ar")
    sign_in_anywhere(page, people.owner)
    problems = []
    for path in [
        "/",
        "/assessments/",
        f"{base}/",
        f"{base}/sections/context/",
        f"{base}/groups/",
        f"{base}/threats/",
        f"{base}/threats/new/",
        f"{base}/responses/",
        f"{base}/sources/",
        "/early-warning/",
        "/frameworks/",
    ]:
        response = page.goto(path)
        assert response.status == 200, path
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        found = axe.run(page).response["violations"]
        problems += [
            f"{path}: {v['id']} ({v['impact']}) at "
            + "; ".join(" ".join(n["target"]) for n in v["nodes"])
            for v in found
            if v["impact"] in BLOCKING
        ]
    assert not problems, report(problems)


OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


@pytest.mark.parametrize("lang", ["en", "fr", "es", "ar"])
def test_no_page_overflows_a_small_screen(new_page, people, lang):
    assessment = worked_assessment(people)
    threat = assessment.threats.order_by("pk").first()
    base = f"/assessments/{assessment.pk}"
    page = new_page(locale=lang, viewport={"width": 375, "height": 800})
    page.goto("/accounts/login/")
    wide = {}
    if page.evaluate(OVERFLOW) > 0:
        wide["/accounts/login/"] = page.evaluate(OVERFLOW)
    sign_in_anywhere(page, people.owner)
    for path in [
        "/",
        "/assessments/",
        "/assessments/new/",
        f"{base}/",
        f"{base}/sections/context/",
        f"{base}/groups/",
        f"{base}/threats/",
        f"{base}/threats/{threat.pk}/edit/",
        f"{base}/responses/",
        f"{base}/sources/",
        f"{base}/threads/",
        "/portfolio/",
        "/early-warning/",
        "/assessments/notifications/",
        "/frameworks/",
    ]:
        page.goto(path)
        if (extra := page.evaluate(OVERFLOW)) > 0:
            wide[path] = extra
    assert wide == {}, f"pages wider than 375 px in {lang} (extra px): {wide}"

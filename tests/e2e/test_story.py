"""The main story in a real browser: a practitioner writes an assessment, a supervisor
returns it, it is fixed and approved, and the brief is downloaded; and two people saving
the same answer see a conflict instead of losing text."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from pypdf import PdfReader

from assessments.models import Answer, Assessment, ReviewEvent
from tests.e2e.conftest import sign_in
from tests.factories import AssessmentFactory

TITLE = "Flood season in Maiduguri"


def field(scope, label: str):
    """The form field with exactly this label. Crispy marks required ones with "*" and
    pads labels with whitespace, which a regular expression sees unnormalised."""
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def _create_assessment(page) -> int:
    page.get_by_role("link", name="New assessment").click()
    expect(page.get_by_role("heading", name="New assessment", level=1)).to_be_visible()
    field(page, "Title").fill(TITLE)
    # One team and one published framework: both are chosen already.
    expect(field(page, "Team")).to_have_value(re.compile(r"\d+"))
    expect(field(page, "Framework")).to_have_value(re.compile(r"\d+"))
    field(page, "Country").fill("Nigeria")
    field(page, "Area").fill("Borno State, Maiduguri")
    field(page, "Population in focus").fill("Displaced households in host communities")
    field(page, "Period from").fill("2025-06-01")
    field(page, "Period to").fill("2025-10-31")
    page.get_by_role("button", name="Create assessment").click()

    expect(page).to_have_url(re.compile(r"/assessments/\d+/$"))
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(page.get_by_text("Assessment created. Start with the context.")).to_be_visible()
    return int(re.search(r"/assessments/(\d+)/$", page.url).group(1))


def _answer_every_section(page, pk: int, version) -> None:
    sections = list(version.sections.order_by("order"))
    page.get_by_role("link", name=sections[0].title, exact=True).click()
    for section in sections:
        expect(page).to_have_url(re.compile(rf"/assessments/{pk}/sections/{section.key}/$"))
        expect(page.get_by_role("heading", name=section.title, level=1)).to_be_visible()
        boxes = page.locator("main textarea")
        expect(boxes).to_have_count(section.prompts.count())
        for i in range(boxes.count()):
            boxes.nth(i).fill(f"{section.title}, point {i + 1}: what people told us.")
        page.get_by_role("button", name="Save and continue").click()
    # After the last section "Save and continue" leads back to the overview.
    expect(page).to_have_url(re.compile(rf"/assessments/{pk}/$"))
    prompts = sum(s.prompts.count() for s in sections)
    assert Answer.objects.filter(assessment_id=pk).exclude(text="").count() == prompts
    for section in sections:
        n = section.prompts.count()
        row = page.locator("li.list-group-item").filter(
            has=page.get_by_role("link", name=section.title, exact=True)
        )
        expect(row).to_contain_text(f"{n} of {n} answered")


def _open_tab(page, name: str) -> None:
    """One of the assessment's tabs: overview and the three questions."""
    page.get_by_role("navigation", name="Assessment").get_by_role("link", name=name).click()


def _add_group(page) -> None:
    _open_tab(page, "For whom")
    page.get_by_role("link", name="Add a group").click()
    field(page, "Name").fill("Displaced women heading households")
    field(page, "Description").fill("Arrived since the 2024 floods; living with hosts.")
    field(page, "Sex").select_option(label="Female")
    field(page, "Age band").select_option(label="Adults (18–59)")
    field(page, "Displacement status").select_option(label="Internally displaced")
    field(page, "Estimated size").fill("4200")
    page.get_by_role("button", name="Save group").click()
    expect(page.get_by_text("Group saved.")).to_be_visible()
    rows = page.locator("main tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Displaced women heading households")
    expect(rows.first).to_contain_text("Female · 18–59")


def _add_threat(page) -> None:
    _open_tab(page, "From what")
    page.get_by_role("link", name="Add a threat").click()
    field(page, "Title").fill("Eviction by host landlords")
    field(page, "Description").fill("Rents double in the flood season.")
    field(page, "Primary dimension").select_option(label="Economic security")
    field(page, "Displaced women heading households").check()
    field(page, "Likelihood").select_option(value="4")
    field(page, "Severity").select_option(value="4")
    field(page, "Urgency").select_option(value="3")
    field(page, "Root causes").fill("No tenure security; aid stops after three months.")
    # Component tags: a checkbox and a rationale each.
    page.get_by_role("checkbox", name="Person-centred").check()
    field(page, "Why this threat matters for “Person-centred”").fill(
        "The women named eviction as their first fear."
    )
    page.get_by_role("checkbox", name="Preventive").check()
    field(page, "Why this threat matters for “Preventive”").fill(
        "Rent rises come weeks before evictions."
    )
    # The indicator formset: one empty row to fill.
    indicators = page.get_by_role("group", name="Early-warning indicators")
    field(indicators, "Name").fill("Average rent for one room")
    field(indicators, "Type").select_option(value="trigger")
    field(indicators, "Alert threshold").fill("Up 50% on the dry season")
    page.get_by_role("button", name="Save threat").click()

    expect(page.get_by_text("Threat saved.")).to_be_visible()
    threat = page.locator("article").filter(has_text="Eviction by host landlords")
    expect(threat).to_contain_text("Person-centred: The women named eviction")
    expect(threat).to_contain_text("Preventive: Rent rises come weeks before evictions.")
    expect(threat).to_contain_text("Average rent for one room")
    expect(threat).to_contain_text("Affects: Displaced women heading households")


def _add_response(page) -> None:
    _open_tab(page, "By what means")
    page.get_by_role("link", name="Add a response").click()
    field(page, "Title").fill("Rent support with tenure agreements")
    field(page, "Strategy").select_option(label="Protection")
    field(page, "Status").select_option(label="Recommended")
    field(page, "Preventive").check()
    field(page, "Who acts").fill("Shelter cluster and local government")
    # Responses cite threats by their number: the first threat of the assessment is T1.
    field(page, "T1 Eviction by host landlords").check()
    page.get_by_role("checkbox", name="Displaced women heading households").check()
    field(page, "Timeframe").fill("before the rains")
    page.get_by_role("button", name="Save response").click()
    expect(page.get_by_text("Response saved.")).to_be_visible()
    row = page.locator("main tbody tr").first
    expect(row).to_contain_text("Rent support with tenure agreements")
    expect(row).to_contain_text("Eviction by host landlords")


def _submit(page, pk: int) -> None:
    page.goto(f"/assessments/{pk}/")
    page.get_by_role("link", name="Submit for review").click()
    expect(page.get_by_role("heading", name="Submit for review", level=1)).to_be_visible()
    page.get_by_role("button", name="Submit for review").click()
    expect(page).to_have_url(re.compile(rf"/assessments/{pk}/$"))
    expect(page.get_by_text(re.compile("^Submitted for review"))).to_be_visible()
    expect(page.locator("main .badge").first).to_have_text("Submitted")


def _decide(page, pk: int, decision: str, note: str) -> None:
    page.goto("/")
    awaiting = page.get_by_role("region", name="Awaiting my review")
    awaiting.get_by_role("link", name=TITLE).click()
    page.get_by_role("link", name="Review", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/assessments/{pk}/review/$"))
    page.get_by_role("radio", name=decision).check()
    field(page, "Note to the authors").fill(note)
    page.get_by_role("button", name="Record decision").click()


def test_an_assessment_goes_from_first_draft_to_an_approved_brief(people, new_page):
    author = new_page()
    sign_in(author, people.owner)
    pk = _create_assessment(author)
    _answer_every_section(author, pk, people.version)
    _add_group(author)
    _add_threat(author)
    _add_response(author)
    _submit(author, pk)

    reviewer = new_page()
    sign_in(reviewer, people.supervisor)
    _decide(reviewer, pk, "Return to the authors", "Say who the host landlords are.")
    expect(reviewer.get_by_text("Returned to the authors.")).to_be_visible()

    # The author sees the note, fixes the threat and resubmits.
    author.goto(f"/assessments/{pk}/")
    expect(author.locator("main .badge").first).to_have_text("Returned")
    trail = author.get_by_role("region", name="Review trail")
    expect(trail).to_contain_text("Say who the host landlords are.")
    _open_tab(author, "From what")
    author.get_by_role("link", name="Edit Eviction by host landlords").click()
    field(author, "Source or actor").fill("Private landlords in host communities")
    author.get_by_role("button", name="Save threat").click()
    expect(author.get_by_text("Threat saved.")).to_be_visible()
    expect(author.locator("article")).to_contain_text("Private landlords in host communities")
    _submit(author, pk)

    _decide(reviewer, pk, "Approve", "Clear and well sourced.")
    expect(reviewer.get_by_text("Approved. The brief is frozen")).to_be_visible()
    reviewer.get_by_role("link", name="Open the overview").click()
    expect(reviewer.get_by_text("Verified: the PDF and the snapshot match")).to_be_visible()
    with reviewer.expect_download(timeout=60_000) as download_info:
        reviewer.get_by_role("link", name="Brief (PDF)", exact=True).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    text = " ".join(sheet.extract_text() for sheet in PdfReader(download.path()).pages)
    assert TITLE in " ".join(text.split())
    assert "DRAFT" not in text

    assessment = Assessment.objects.get(pk=pk)
    assert assessment.status == Assessment.Status.APPROVED
    kinds = assessment.review_events.order_by("created_at").values_list("kind", flat=True)
    assert list(kinds) == [
        ReviewEvent.Kind.SUBMITTED,
        ReviewEvent.Kind.RETURNED,
        ReviewEvent.Kind.SUBMITTED,
        ReviewEvent.Kind.APPROVED,
    ]


def test_two_people_saving_one_answer_see_both_texts_and_lose_nothing(people, new_page):
    assessment = AssessmentFactory(
        team=people.team, owner=people.owner, framework_version=people.version, title=TITLE
    )
    assessment.collaborators.add(people.colleague)
    url = f"/assessments/{assessment.pk}/sections/context/"
    prompt = people.version.sections.get(key="context").prompts.order_by("order").first()

    owner, colleague = new_page(), new_page()
    sign_in(owner, people.owner)
    sign_in(colleague, people.colleague)
    owner.goto(url)
    colleague.goto(url)
    owner.get_by_label(prompt.text).fill("Floods displaced 40,000 people in August.")
    colleague.get_by_label(prompt.text).fill("Host families are running out of room.")

    owner.get_by_role("button", name="Save and continue").click()
    expect(owner.get_by_text("Section saved.")).to_be_visible()
    colleague.get_by_role("button", name="Save and continue").click()

    # The colleague stays on the section with a warning, the owner's saved text shown
    # beside their own, which is still in the box.
    expect(colleague).to_have_url(re.compile(re.escape(url) + "$"))
    expect(colleague.get_by_text("Someone else changed 1 answer(s)")).to_be_visible()
    conflict = colleague.get_by_role("alert").filter(has_text="Saved meanwhile by pat")
    expect(conflict).to_contain_text("Floods displaced 40,000 people in August.")
    box = colleague.get_by_label(prompt.text)
    expect(box).to_have_value("Host families are running out of room.")
    answer = Answer.objects.get(assessment=assessment, prompt=prompt)
    assert answer.text == "Floods displaced 40,000 people in August."

    # Merging both and saving again now succeeds.
    box.fill("Floods displaced 40,000 people in August. Host families are running out of room.")
    colleague.get_by_role("button", name="Save and continue").click()
    expect(colleague.get_by_text("Section saved.")).to_be_visible()
    answer.refresh_from_db()
    assert answer.text.endswith("Host families are running out of room.")
    assert answer.updated_by == people.colleague

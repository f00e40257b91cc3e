"""axe-core on every main page, signed in as each role: no serious or critical
violation. A failure lists each rule with the elements it found."""

from __future__ import annotations

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from assessments.review import services as workflow
from tests.e2e.conftest import sign_in
from tests.factories import (
    AnswerFactory,
    AssessmentFactory,
    ComponentTagFactory,
    IndicatorFactory,
    PopulationGroupFactory,
    ResponseFactory,
    ThreatFactory,
    default_version,
)

BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="module")
def axe():
    return Axe()


def violations(axe, page) -> list[str]:
    """The serious and critical violations on the page, one line per rule."""
    found = axe.run(page).response["violations"]
    return [
        f"{page.url}: {v['id']} ({v['impact']}) at "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"])
        for v in found
        if v["impact"] in BLOCKING
    ]


def audit(axe, page, paths: list[str], *, status: int = 200) -> list[str]:
    problems = []
    for path in paths:
        response = page.goto(path)
        assert response.status == status, f"{path} answered {response.status}"
        problems += violations(axe, page)
    return problems


def report(problems: list[str]) -> str:
    return "axe found serious or critical violations:\n" + "\n".join(problems)


def worked_assessment(people, **fields):
    """An assessment with something on every page: answers, a group, a tagged threat
    with an indicator, a response, key points and a collaborator."""
    assessment = AssessmentFactory(
        team=people.team,
        owner=people.owner,
        framework_version=people.version,
        period_start=datetime.date(2025, 6, 1),
        period_end=datetime.date(2025, 10, 31),
        key_points="Evictions peak in the flood season.\nHost families are stretched.",
        **fields,
    )
    assessment.collaborators.add(people.colleague)
    group = PopulationGroupFactory(
        assessment=assessment, description="Arrived since 2024.", estimated_size=4200
    )
    PopulationGroupFactory(assessment=assessment, sensitive=True)
    threat = ThreatFactory(
        assessment=assessment,
        description="Rents double in the flood season.",
        source_actor="Private landlords",
        root_causes="No tenure security.",
        likelihood=4,
        severity=5,
    )
    threat.affected_groups.add(group)
    for component in people.version.components.order_by("order")[:2]:
        ComponentTagFactory(threat=threat, component=component)
    IndicatorFactory(threat=threat, name="Average rent for one room")
    ThreatFactory(assessment=assessment, likelihood=1, severity=2)
    response = ResponseFactory(assessment=assessment, groups=[group], preventive=True)
    response.threats.add(threat)
    for prompt in people.version.sections.order_by("order").first().prompts.all():
        AnswerFactory(assessment=assessment, prompt=prompt, text=f"About {prompt.key}.")
    return assessment


def test_the_sign_in_page_has_no_serious_violations(axe, people, page):
    problems = audit(axe, page, ["/accounts/login/"])
    page.get_by_label("Username").fill(people.owner.username)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("did not match")
    problems += violations(axe, page)

    assert not problems, report(problems)


def test_the_authors_pages_have_no_serious_violations(axe, people, page):
    assessment = worked_assessment(people)
    threat = assessment.threats.order_by("pk").first()
    base = f"/assessments/{assessment.pk}"
    sign_in(page, people.owner)

    problems = audit(
        axe,
        page,
        [
            "/",
            "/assessments/",
            "/assessments/?status=draft&q=Assessment",
            "/assessments/new/",
            f"{base}/",
            f"{base}/edit/",
            f"{base}/sections/context/",
            f"{base}/groups/",
            f"{base}/groups/new/",
            f"{base}/groups/{assessment.groups.order_by('pk').first().pk}/edit/",
            f"{base}/threats/",
            f"{base}/threats/new/",
            f"{base}/threats/{threat.pk}/edit/",
            f"{base}/threats/{threat.pk}/delete/",
            f"{base}/responses/",
            f"{base}/responses/new/",
            f"{base}/responses/{assessment.responses.get().pk}/edit/",
            f"{base}/submit/",
            "/frameworks/",
            f"/frameworks/{people.version.framework.slug}/v{people.version.number}/",
        ],
    )
    problems += audit(axe, page, ["/assessments/999999/"], status=404)
    problems += audit(axe, page, [f"{base}/review/"], status=403)

    # Forms sent back with errors.
    page.goto("/assessments/new/")
    page.get_by_role("button", name="Create assessment").click()
    expect(page.get_by_text("Nothing was saved.")).to_be_visible()
    problems += violations(axe, page)
    page.goto(f"{base}/threats/new/")
    page.get_by_role("checkbox", name=threat.tags.first().component.name).check()
    page.get_by_role("button", name="Save threat").click()
    expect(page.get_by_text("Nothing was saved.")).to_be_visible()
    problems += violations(axe, page)

    assert not problems, report(problems)


def test_the_supervisors_pages_have_no_serious_violations(axe, people, page):
    submitted = worked_assessment(people, title="Awaiting review")
    workflow.assessment_submit(assessment=submitted, user=people.owner)
    workflow.assessment_comment(
        assessment=submitted,
        user=people.supervisor,
        text="Who are the landlords?",
        section=people.version.sections.order_by("order").first(),
    )
    approved = worked_assessment(people, title="Approved one")
    workflow.assessment_submit(assessment=approved, user=people.owner)
    workflow.assessment_approve(assessment=approved, user=people.supervisor, note="Good.")
    base = f"/assessments/{submitted.pk}"
    sign_in(page, people.supervisor)

    problems = audit(
        axe,
        page,
        [
            "/",
            "/assessments/",
            f"{base}/",
            f"{base}/review/",
            f"{base}/sections/context/",
            f"{base}/groups/",
            f"{base}/threats/",
            f"{base}/responses/",
            f"/assessments/{approved.pk}/",
            f"/assessments/{approved.pk}/review/",
            "/frameworks/",
            f"/frameworks/{people.version.framework.slug}/v{people.version.number}/",
        ],
    )
    # A decision sent without its required note comes back with an error.
    page.goto(f"{base}/review/")
    page.get_by_role("radio", name="Return to the authors").check()
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Say what needs to change")).to_be_visible()
    problems += violations(axe, page)

    assert not problems, report(problems)


def test_the_framework_admins_pages_have_no_serious_violations(axe, framework_admin, page):
    version = default_version()
    sign_in(page, framework_admin)

    problems = audit(
        axe,
        page,
        [
            "/",
            "/frameworks/",
            f"/frameworks/{version.framework.slug}/v{version.number}/",
            "/admin/",
        ],
    )

    assert not problems, report(problems)


def test_conflict_pages_have_no_serious_violations(axe, people, new_page):
    assessment = worked_assessment(people)
    threat = assessment.threats.order_by("pk").first()
    section_url = f"/assessments/{assessment.pk}/sections/context/"
    threat_url = f"/assessments/{assessment.pk}/threats/{threat.pk}/edit/"
    owner, colleague = new_page(), new_page()
    sign_in(owner, people.owner)
    sign_in(colleague, people.colleague)
    problems = []

    # One answer, saved by both.
    owner.goto(section_url)
    colleague.goto(section_url)
    owner.locator("main textarea").first.fill("The owner's text.")
    colleague.locator("main textarea").first.fill("The colleague's text.")
    owner.get_by_role("button", name="Save and continue").click()
    expect(owner.get_by_text("Section saved.")).to_be_visible()
    colleague.get_by_role("button", name="Save and continue").click()
    expect(colleague.get_by_text("Someone else changed 1 answer(s)")).to_be_visible()
    problems += violations(axe, colleague)

    # One threat, saved by both: the form's conflict table.
    owner.goto(threat_url)
    colleague.goto(threat_url)
    owner.get_by_label("Root causes").fill("Owner: no tenure security.")
    colleague.get_by_label("Root causes").fill("Colleague: aid stops after three months.")
    owner.get_by_role("button", name="Save threat").click()
    expect(owner.get_by_text("Threat saved.")).to_be_visible()
    colleague.get_by_role("button", name="Save threat").click()
    expect(colleague.get_by_text("Someone else saved this while you were editing")).to_be_visible()
    problems += violations(axe, colleague)

    assert not problems, report(problems)

"""The PDF brief, read back with pypdf: every part in the order DESIGN.md gives, page
numbers and running header, title, language and tags; the DRAFT watermark; the public
variant; and what approval freezes (the same bytes every time, verified by hash, kept
across a reopen).

Each render costs a second or so, so this module renders six PDFs in all; tests about
the frozen record alone let approval store stand-in bytes.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone
from pypdf import PdfReader

from assessments.content import services
from assessments.models import Assessment, FrozenBrief, Membership, ReviewEvent
from assessments.review import services as workflow
from frameworks.models import Prompt
from tests.factories import (
    AnswerFactory,
    AssessmentFactory,
    ComponentTagFactory,
    IndicatorFactory,
    MembershipFactory,
    PopulationGroupFactory,
    ResponseFactory,
    ThreatFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TITLE = "Borno displacement brief"
RESTRICTED = "Restricted: contains sensitive information"


@pytest.fixture
def reviewer(team):
    """A second supervisor: `supervisor` stays free to be an author in some tests."""
    return MembershipFactory(
        team=team, user=UserFactory(username="rita"), role=Membership.Role.SUPERVISOR
    ).user


def _pdf(response) -> PdfReader:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(response.content))


def _text(reader: PdfReader) -> str:
    """All page text with runs of whitespace (line wrapping) folded to one space."""
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _assert_in_order(text: str, parts: list[str]) -> None:
    position = 0
    for part in parts:
        found = text.find(part, position)
        assert found >= 0, f"{part!r} missing after {text[max(0, position - 80) : position]!r}"
        position = found + len(part)


def _answer(assessment, key: str, text: str) -> None:
    prompt = Prompt.objects.get(section__version=assessment.framework_version, key=key)
    AnswerFactory(assessment=assessment, prompt=prompt, text=text)


def _brief_assessment(team, owner, version) -> Assessment:
    """Small but complete: one group, two threats in two dimensions, two responses."""
    a = AssessmentFactory(
        title=TITLE,
        team=team,
        owner=owner,
        framework_version=version,
        country="Nigeria",
        area="Maiduguri",
        population_focus="Displaced households",
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 6, 30),
        key_points="Farmland seizures drive displacement.\n"
        "- Cholera risk peaks with the rains.\n"
        "Legal aid reaches too few women.",
    )
    dims = {d.key: d for d in version.dimensions.all()}
    comps = {c.key: c for c in version.components.all()}
    women = PopulationGroupFactory(
        assessment=a,
        name="Women heading households",
        description="Widowed or separated, caring alone.",
        ethnicity="Kanuri",
        estimated_size=1200,
    )
    seizures = ThreatFactory(
        assessment=a,
        title="Farmland seizures",
        description="Fields taken at gunpoint.",
        dimension=dims["economic"],
        source_actor="Armed group",
        likelihood=4,
        severity=5,
        urgency=3,
        root_causes="Contested land tenure",
    )
    seizures.affected_groups.add(women)
    ComponentTagFactory(
        threat=seizures, component=comps["person-centred"], rationale="Women lose their income."
    )
    ComponentTagFactory(
        threat=seizures, component=comps["preventive"], rationale="Tenure reform can stop it."
    )
    IndicatorFactory(
        threat=seizures,
        name="Checkpoint closures",
        threshold="more than 3 a week",
        source="OCHA access reports",
    )
    cholera = ThreatFactory(
        assessment=a,
        title="Cholera outbreak",
        dimension=dims["health"],
        likelihood=2,
        severity=3,
        urgency=2,
    )
    cholera.affected_groups.add(women)
    ComponentTagFactory(
        threat=cholera,
        component=comps["multi-dimensional"],
        rationale="Water, health and crowding interact.",
    )
    desks = ResponseFactory(
        assessment=a,
        title="Legal aid desks",
        strategy="protection",
        actor="NRC",
        timeframe="before the planting season",
        groups=[women],
        do_no_harm_risk="Desks must not expose claimants.",
    )
    desks.threats.add(seizures)
    ResponseFactory(
        assessment=a,
        title="Savings groups",
        strategy="empowerment",
        actor="Local NGO",
        timeframe="within a year",
        preventive=True,
    )
    _answer(a, "reflexive-assumptions", "Roads to the camps stay open.")
    _answer(a, "sources-list", "OCHA situation reports, 2025.")
    return a


@pytest.fixture
def brief_assessment(team, practitioner, version):
    return _brief_assessment(team, practitioner, version)


# --- the draft brief --------------------------------------------------------------------------


def test_draft_brief_has_every_part_in_order(client, login, brief_assessment, practitioner):
    workflow.assessment_submit(assessment=brief_assessment, user=practitioner)

    response = login(practitioner).get(f"/assessments/{brief_assessment.pk}/brief.pdf")

    reader = _pdf(response)
    text = _text(reader)
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="borno-displacement-brief-brief-{today}.pdf"'
    )
    page_one = " ".join(reader.pages[0].extract_text().split())
    _assert_in_order(
        page_one,
        [
            # Title, context line, as-of date, team and status.
            "DRAFT · " + RESTRICTED,
            TITLE,
            "Nigeria · Maiduguri · 1 Jan 2025 – 30 Jun 2025 · Displaced households",
            "As of " + timezone.localdate().strftime("%-d %b %Y"),
            "North · Draft: not approved (Submitted)",
            # Key messages, one per line of the field, bullets stripped.
            "Key messages",
            "Farmland seizures drive displacement.",
            "Cholera risk peaks with the rains.",
            "Legal aid reaches too few women.",
            # Key figures: people, groups, threats, threats by band, responses (gaps).
            "Key figures",
            "People in focus Groups Threats Critical High Medium Low Responses (gaps)",
            "about 1,200 1 2 1 0 1 0 2 (0)",
            # Top risks: one line each, band word and component tags.
            "Top risks",
            "T1 Farmland seizures Critical Person-centred, Preventive",
            "T2 Cholera outbreak Medium Multi-dimensional",
            # Top actions: who acts, by when, which strategy, which threats.
            "Top actions",
            "Legal aid desks (recommended)",
            "The four components at a glance",
        ],
    )
    # Page 1 is the brief: the analysis starts on page 2.
    assert "Security for whom?" not in page_one
    _assert_in_order(
        text,
        [
            # For whom: a compact table with labelled disaggregation.
            "Security for whom?",
            "Groups in focus, with how they are disaggregated",
            "Women heading households",
            # From what: highest risks first, numbered, with scores and component tags.
            "Security from what?",
            "Highest risks",
            "T1 Farmland seizures",
            "(Economic security · Critical)",
            "Likelihood 4 · Severity 5 · Urgency 3 · Stable · Observed (data or monitoring) · "
            "Source: Armed group",
            "Fields taken at gunpoint.",
            "Affects: Women heading households",
            "Person-centred: Women lose their income.",
            "Preventive: Tenure reform can stop it.",
            "T2 Cholera outbreak",
            "(Health security · Medium)",
            "Likelihood 2 · Severity 3 · Urgency 2",
            "Multi-dimensional: Water, health and crowding interact.",
            "Threat register: every threat, by number",
            # The two pictures, each with its legend.
            "Risk matrix",
            "Risk matrix: likelihood (rows) by severity (columns).",
            "Legend: Critical · High · Medium · Low",
            "Components by dimension",
            "Threats tagged against each component, by dimension (a threat counts in its",
            "How the threats interact",
            "The context in the team's words",
            # By what means: a table, threats cited by number.
            "Security by what means?",
            "Responses: who acts, by when, and which threats they answer",
            "Legal aid desks",
            "Do no harm: dividers, connectors and risks",
            "Legal aid desks: Desks must not expose claimants.",
            # Early warning as a table, root causes of the highest risks.
            "Root causes and early warning",
            "Early-warning indicators",
            "Checkpoint closures",
            "T1 Root causes: Contested land tenure",
            # Assumptions and reflexive note; sources.
            "Assumptions and the analyst's reflexive note",
            "Roads to the camps stay open.",
            "Sources",
            "OCHA situation reports, 2025.",
            # Method box.
            "Method",
            "Analysed with the Human Security Lens framework, version 1.",
            "by hsassess.",
            "Lens check",
            "Person-centred:",
            "Context-specific:",
            "Multi-dimensional:",
            "Preventive:",
            "Review trail",
            "Submitted · pat: Submitted with",
        ],
    )
    squashed = "".join(text.split())
    for cell in (
        "Sex:Female;Age:Allages;Displacement:Internallydisplaced;Ethnicity:Kanuri",
        "Widowedorseparated,caringalone.",
        "NRC",
        "beforetheplantingseason",
        "morethan3aweek",
        "OCHAaccessreports",
        "Savingsgroups(preventive)",
    ):
        assert cell in squashed, cell
    lines = [line.strip() for page in reader.pages for line in page.extract_text().splitlines()]
    # The component × dimension map: threats, then person-centred, context-specific,
    # multi-dimensional, preventive; a number in every cell.
    assert "Economic security 1 1 0 0 1" in lines
    assert "Health security 1 0 0 1 0" in lines
    assert "Food security 0 0 0 0 0" in lines
    # The risk matrix gives every cell its band word and places threats by number.
    row_4 = next(i for i, line in enumerate(lines) if line.startswith("4. Likely"))
    assert lines[row_4].split()[2:] == ["MEDIUM", "MEDIUM", "HIGH", "CRITICAL", "CRITICAL"]
    assert "T1" in lines[row_4 + 1]
    row_2 = next(i for i, line in enumerate(lines) if line.startswith("2. Unlikely"))
    assert "T2" in lines[row_2 + 1]


def test_the_summary_page_is_page_one_on_screen(client, login, brief_assessment, practitioner):
    response = login(practitioner).get(f"/assessments/{brief_assessment.pk}/summary/")

    assert response.status_code == 200
    page = response.content.decode()
    for part in ("Key messages", "Key figures", "Top risks", "Top actions", TITLE):
        assert part in page
    assert "Farmland seizures" in page and "Legal aid desks" in page
    assert "Security for whom?" not in page


def test_brief_pages_are_numbered_headed_titled_tagged_and_in_a_language(
    client, login, brief_assessment, practitioner
):
    response = login(practitioner).get(f"/assessments/{brief_assessment.pk}/brief.pdf")

    reader = _pdf(response)
    assert len(reader.pages) >= 2
    assert reader.metadata.title == TITLE
    # The author is the team, never a person.
    assert reader.metadata.author == "North"
    assert reader.metadata.creation_date is not None
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en"
    assert catalog["/MarkInfo"] == {"/Marked": True}
    assert "/StructTreeRoot" in catalog
    assert catalog["/StructTreeRoot"].get_object()["/Type"] == "/StructTreeRoot"


def test_public_variant_leaves_out_sensitive_groups_and_what_points_at_them(
    client, login, brief_assessment, practitioner
):
    version = brief_assessment.framework_version
    hidden = PopulationGroupFactory(
        assessment=brief_assessment, name="Ahmadi converts", sensitive=True
    )
    raids = ThreatFactory(
        assessment=brief_assessment,
        title="Night raids on convert households",
        dimension=version.dimensions.get(key="personal"),
    )
    raids.affected_groups.add(hidden)
    ResponseFactory(assessment=brief_assessment, title="Safe house network", groups=[hidden])
    hotline = ResponseFactory(assessment=brief_assessment, title="Raid victims hotline")
    hotline.threats.add(raids)
    sensitive = [
        "Ahmadi converts",
        "Night raids on convert households",
        "Safe house network",
        "Raid victims hotline",
    ]
    login(practitioner)

    full = _text(_pdf(client.get(f"/assessments/{brief_assessment.pk}/brief.pdf")))
    response = client.get(f"/assessments/{brief_assessment.pk}/brief.pdf?variant=public")
    public = _text(_pdf(response))

    for name in sensitive:
        assert name in full
        assert name not in public
    # What is not sensitive stays in.
    for name in ["Women heading households", "Farmland seizures", "Legal aid desks"]:
        assert name in public
    assert RESTRICTED in full
    assert "Public edition: 3 items that concern only groups not named here are withheld" in public
    assert "Personal security" not in public.split("Components by dimension")[0]
    assert response["Content-Disposition"].startswith(
        'attachment; filename="borno-displacement-brief-public-brief-'
    )


@pytest.mark.parametrize("variant", ["internal", "PUBLIC", ""])
def test_an_unknown_variant_is_a_bad_request(client, login, assessment, practitioner, variant):
    response = login(practitioner).get(f"/assessments/{assessment.pk}/brief.pdf?variant={variant}")

    assert response.status_code == 400
    assert b"Unknown variant" in response.content


# --- approval freezes ---------------------------------------------------------------------------


def test_approval_freezes_the_brief_and_serves_those_exact_bytes(
    client, login, brief_assessment, practitioner, reviewer
):
    workflow.assessment_submit(assessment=brief_assessment, user=practitioner)
    workflow.assessment_approve(assessment=brief_assessment, user=reviewer, note="Sound.")

    frozen = FrozenBrief.objects.get(assessment=brief_assessment)
    pdf, snapshot = bytes(frozen.pdf), frozen.snapshot.encode("utf-8")
    assert frozen.approval.kind == ReviewEvent.Kind.APPROVED
    assert frozen.pdf_sha256 == hashlib.sha256(pdf).hexdigest()
    assert frozen.snapshot_sha256 == hashlib.sha256(snapshot).hexdigest()
    document = json.loads(snapshot)
    assert document["assessment"]["title"] == TITLE
    assert document["assessment"]["status"] == "approved"
    assert [t["title"] for t in document["threats"]] == ["Farmland seizures", "Cholera outbreak"]

    login(reviewer)
    first = client.get(f"/assessments/{brief_assessment.pk}/brief.pdf")
    second = client.get(f"/assessments/{brief_assessment.pk}/brief.pdf")

    assert first.content == second.content == pdf
    text = _text(_pdf(first))
    assert "DRAFT" not in text
    assert TITLE in text
    assert "Approved · rita: Sound." in text
    assert "Legal aid desks" in text

    out = StringIO()
    call_command("verify_brief", stdout=out)
    assert out.getvalue().split("\t")[:2] == [str(brief_assessment.pk), "OK"]

    # Its author may always read it; a teammate who did not write it may not.
    login(practitioner)
    assert client.get(f"/assessments/{brief_assessment.pk}/brief.pdf").content == pdf
    teammate = MembershipFactory(team=brief_assessment.team, user=UserFactory()).user
    login(teammate)
    assert client.get(f"/assessments/{brief_assessment.pk}/brief.pdf").status_code == 403
    login(practitioner)
    detail = client.get(f"/assessments/{brief_assessment.pk}/").content.decode()
    assert "Verified: the PDF and the snapshot match their signature." in detail


@pytest.mark.parametrize("tamper", ["pdf", "snapshot"])
def test_a_tampered_frozen_brief_fails_verification(
    client, login, fake_render, assessment, practitioner, reviewer, tamper
):
    workflow.assessment_submit(assessment=assessment, user=practitioner)
    workflow.assessment_approve(assessment=assessment, user=reviewer)
    frozen = FrozenBrief.objects.get(assessment=assessment)
    if tamper == "pdf":
        FrozenBrief.objects.filter(pk=frozen.pk).update(pdf=bytes(frozen.pdf) + b"% edited")
    else:
        FrozenBrief.objects.filter(pk=frozen.pk).update(snapshot=frozen.snapshot.replace("a", "4"))

    out = StringIO()
    with pytest.raises(CommandError, match=r"1 frozen brief\(s\) do not match"):
        call_command("verify_brief", stdout=out)
    detail = login(reviewer).get(f"/assessments/{assessment.pk}/").content.decode()

    assert f"{assessment.pk}\tMISMATCH {tamper}\t" in out.getvalue()
    assert "Verification FAILED" in detail
    assert "Verified:" not in detail


def test_verify_brief_of_an_assessment_never_approved_is_an_error(assessment):
    with pytest.raises(
        CommandError, match=f"No frozen brief for assessment\\(s\\): {assessment.pk}"
    ):
        call_command("verify_brief", str(assessment.pk), stdout=StringIO())


def test_after_approval_edits_wait_for_a_recorded_reopen(
    client, login, fake_render, assessment, practitioner, reviewer
):
    workflow.assessment_submit(assessment=assessment, user=practitioner)
    workflow.assessment_approve(assessment=assessment, user=reviewer)
    frozen = FrozenBrief.objects.get(assessment=assessment)
    login(practitioner)
    group_url = f"/assessments/{assessment.pk}/groups/new/"

    with pytest.raises(ValidationError, match="approved and cannot be changed"):
        services.group_save(assessment=assessment, user=practitioner, name="Late group")
    refused = client.post(group_url, {"name": "Late group", "sex": "all", "age_band": "all"})
    assert refused.status_code == 302
    assert not assessment.groups.exists()

    workflow.assessment_reopen(assessment=assessment, user=reviewer, note="New arrivals.")
    allowed = client.post(group_url, {"name": "Late group", "sex": "all", "age_band": "all"})

    assert allowed.status_code == 302
    assert list(assessment.groups.values_list("name", flat=True)) == ["Late group"]
    assert ReviewEvent.objects.filter(assessment=assessment).latest("id").kind == "reopened"
    assert list(FrozenBrief.objects.filter(assessment=assessment)) == [frozen]
    out = StringIO()
    call_command("verify_brief", stdout=out)
    assert f"{assessment.pk}\tOK\t" in out.getvalue()


def test_a_reopened_assessment_has_a_draft_brief_again(
    client, login, monkeypatch, fake_render, brief_assessment, practitioner, reviewer
):
    workflow.assessment_submit(assessment=brief_assessment, user=practitioner)
    workflow.assessment_approve(assessment=brief_assessment, user=reviewer)
    workflow.assessment_reopen(assessment=brief_assessment, user=reviewer, note="Floods.")
    monkeypatch.undo()  # the frozen brief was a stand-in; the live rendering is real

    response = login(practitioner).get(f"/assessments/{brief_assessment.pk}/brief.pdf")

    text = _text(_pdf(response))
    assert "DRAFT" in text
    assert "Approved · rita" in text
    assert "Reopened · rita: Floods." in text
    assert FrozenBrief.objects.filter(assessment=brief_assessment).count() == 1


def test_a_long_threat_register_stays_a_brief(login, assessment, practitioner):
    """The brief details the five highest risks and lists every threat in one register
    row; a crowded risk-matrix cell names its threats by number."""
    for n in range(12):
        ThreatFactory(
            assessment=assessment,
            title=f"Threat number {n:02d}",
            likelihood=4,
            severity=5 if n == 0 else 2,
            description=f"Details of threat {n:02d}.",
        )

    text = _text(_pdf(login(practitioner).get(f"/assessments/{assessment.pk}/brief.pdf")))

    assert "Highest risks" in text
    assert "Threat register: every threat, by number" in text
    assert "Annex" not in text
    # The top risk is detailed; the lowest ones only listed.
    assert "Details of threat 00." in text
    assert "Details of threat 11." not in text
    assert "Threat number 11" in text
    # Eleven threats share likelihood 4 × severity 2: the cell lists their numbers.
    assert "T2, T3, T4" in text


def test_a_large_register_goes_to_the_annex(login, assessment, practitioner):
    """Past 30 threats the analysis keeps the 15 most serious rows and the annex holds
    every threat, under the same numbers."""
    for n in range(35):
        ThreatFactory(
            assessment=assessment,
            title=f"Register threat {n:02d}",
            likelihood=5 if n == 34 else 2,
            severity=5 if n == 34 else 2,
            urgency=2,
        )

    reader = _pdf(login(practitioner).get(f"/assessments/{assessment.pk}/brief.pdf"))
    text = _text(reader)

    body, annex = text.split("Annex: the full registers")
    assert "The 15 most serious threats of 35; every threat is in the annex" in body
    assert "T35 Register threat 34" in body  # the most serious, by its number
    register = body.split("every threat is in the annex")[1].split("Risk matrix")[0]
    assert "T35 Register threat 34" in register
    assert "Register threat 33" not in register  # not among the 15 most serious
    for n in range(35):
        assert f"T{n + 1} Register threat {n:02d}" in annex

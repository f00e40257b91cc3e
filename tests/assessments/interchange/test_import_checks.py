"""Checks for fixes made to the app: the import refuses badly shaped documents instead of
crashing, the indicator formset refuses an indicator of another threat, verify_brief
checks every frozen brief (not only the latest), the brief of an earlier approval can be
downloaded after a reopen, and the brief's fetcher refuses absolute-path tricks."""

from __future__ import annotations

import copy
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from assessments.briefs.fetcher import BRIEF_ORIGIN, StaticOnlyFetcher
from assessments.interchange.importer import import_assessment
from assessments.models import (
    Answer,
    Assessment,
    ComponentTag,
    FrozenBrief,
    Indicator,
    Membership,
    PopulationGroup,
    Response,
    Threat,
)
from assessments.review import services as workflow
from tests.factories import (
    AssessmentFactory,
    IndicatorFactory,
    PopulationGroupFactory,
    ThreatFactory,
    member,
)
from tests.standins import STAND_IN_PDF

pytestmark = pytest.mark.django_db

MODELS = (Assessment, Answer, PopulationGroup, Threat, ComponentTag, Indicator, Response)


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # No collectstatic in tests: WhiteNoise serves from the finders and stays quiet.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


# --- import_assessment refuses badly shaped documents ----------------------------------------


def _set(document: dict, path: tuple, value) -> dict:
    doc = copy.deepcopy(document)
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return doc


BAD_SHAPES = {
    # id: (where, the value put there, a message the refusal carries)
    "framework-not-an-object": (("framework",), "human-security-lens", "framework: expected"),
    "version-a-string": (("framework", "version"), "x", "framework.version: expected an integer"),
    "assessment-a-list": (("assessment",), ["Goma"], "assessment: expected an object"),
    "answers-a-string": (("answers",), "all of them", "answers: expected a list of objects"),
    "threat-a-string": (("threats", 0), "Land seizures", "threats: expected a list of objects"),
    "tags-not-a-list": (
        ("threats", 0, "tags"),
        "person-centred",
        "threats[0].tags: expected a list of objects",
    ),
    "likelihood-a-word": (
        ("threats", 0, "likelihood"),
        "high",
        "threats[0].likelihood: expected an integer",
    ),
    "likelihood-off-the-scale": (
        ("threats", 0, "likelihood"),
        7,
        "threats[0].likelihood: Choose a value between 1 and 5.",
    ),
    "urgency-off-the-scale": (
        ("threats", 0, "urgency"),
        9,
        "threats[0].urgency: Choose a value between 1 and 4.",
    ),
}


@pytest.mark.parametrize(("path", "value", "message"), BAD_SHAPES.values(), ids=BAD_SHAPES)
def test_import_refuses_a_badly_shaped_document(exported, team, practitioner, path, value, message):
    document = _set(exported, path, value)
    before = _counts()

    with pytest.raises(ValidationError) as exc:
        import_assessment(document=document, owner=practitioner, team=team)

    assert any(message in m for m in exc.value.messages), exc.value.messages
    assert _counts() == before


def test_import_names_every_scale_problem_with_its_threat(exported, team, practitioner):
    document = copy.deepcopy(exported)
    second = {**copy.deepcopy(document["threats"][0]), "ref": "threat-2", "title": "Cholera"}
    document["threats"].append(second)
    document["threats"][0]["likelihood"] = 7
    document["threats"][1]["urgency"] = 9
    before = _counts()

    with pytest.raises(ValidationError) as exc:
        import_assessment(document=document, owner=practitioner, team=team)

    assert exc.value.messages == [
        "threats[0].likelihood: Choose a value between 1 and 5.",
        "threats[1].urgency: Choose a value between 1 and 4.",
    ]
    assert _counts() == before


@pytest.mark.parametrize(
    "shape", ["assessment-a-list", "threat-a-string", "likelihood-off-the-scale"]
)
def test_the_import_page_shows_the_refusal_instead_of_failing(
    client, login, exported, team, practitioner, shape
):
    path, value, message = BAD_SHAPES[shape]
    upload = SimpleUploadedFile(
        "export.json", json.dumps(_set(exported, path, value)).encode(), "application/json"
    )
    before = _counts()

    response = login(practitioner).post("/assessments/import/", {"file": upload, "team": team.pk})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert _counts() == before


def test_import_refuses_an_owner_who_is_not_a_member_of_the_team(exported, team, other_team):
    stranger = member(other_team, "olga")
    before = _counts()

    with pytest.raises(ValidationError) as exc:
        import_assessment(document=exported, owner=stranger, team=team)

    assert exc.value.messages == ["The owner olga is not a member of team north."]
    assert _counts() == before


def test_the_exported_document_itself_imports(exported, team, practitioner):
    # The control for the refusals above: the unchanged document goes in.
    copy_ = import_assessment(document=exported, owner=practitioner, team=team)

    assert copy_.status == Assessment.Status.DRAFT
    assert copy_.threats.get().likelihood == 4


def _command(tmp_path, document, *options: str) -> str:
    path = tmp_path / "incoming.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    out = StringIO()
    call_command("import_assessment", str(path), *options, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.parametrize(("path", "value", "message"), BAD_SHAPES.values(), ids=BAD_SHAPES)
def test_the_command_turns_a_bad_shape_into_a_command_error(
    tmp_path, exported, practitioner, path, value, message
):
    document = _set(exported, path, value)
    before = _counts()

    with pytest.raises(CommandError) as exc:
        _command(tmp_path, document, "--owner", "pat", "--team", "north")

    assert "was not imported; nothing changed" in str(exc.value)
    assert message in str(exc.value)
    assert _counts() == before


def test_the_command_refuses_an_owner_outside_the_team(tmp_path, exported, other_team):
    member(other_team, "olga")
    before = _counts()

    with pytest.raises(CommandError) as exc:
        _command(tmp_path, exported, "--owner", "olga", "--team", "north")

    assert "The owner olga is not a member of team north." in str(exc.value)
    assert _counts() == before


# Shapes the up-front checks still let through to code that assumes strings and lists:
# they escape as TypeError (a 500 on /assessments/import/, a traceback from the command)
# instead of a ValidationError. strict=True: once fixed, the marks have to go.
CRASHING_SHAPES = {
    "affected-groups-a-number": (("threats", 0, "affected_groups"), 5),
    "dimension-a-list": (("threats", 0, "dimension"), ["economic"]),
    "tag-component-a-list": (("threats", 0, "tags", 0, "component"), ["person-centred"]),
    "group-name-a-list": (("groups", 0, "name"), ["Women"]),
    "answer-section-an-object": (("answers", 0, "section"), {"key": "context"}),
}


@pytest.mark.parametrize(("path", "value"), CRASHING_SHAPES.values(), ids=CRASHING_SHAPES)
def test_import_refuses_references_of_the_wrong_type(exported, team, practitioner, path, value):
    document = _set(exported, path, value)
    before = _counts()

    with pytest.raises(ValidationError):
        import_assessment(document=document, owner=practitioner, team=team)

    assert _counts() == before


# --- the indicator formset refuses an indicator of another threat ---------------------------


NO_CHANGE = "An indicator in the form does not belong to this threat."


def _threat_state() -> dict:
    return {
        "threats": list(
            Threat.objects.order_by("pk").values_list(
                "pk", "title", "version", "likelihood", "description"
            )
        ),
        "indicators": list(
            Indicator.objects.order_by("pk").values_list("pk", "threat_id", "name", "kind")
        ),
        "tags": list(
            ComponentTag.objects.order_by("pk").values_list("pk", "threat_id", "rationale")
        ),
        "assessments": list(Assessment.objects.order_by("pk").values_list("pk", "version")),
    }


@pytest.mark.parametrize("where", ["same-assessment", "other-team"])
def test_an_indicator_of_another_threat_is_refused(
    client, login, assessment, practitioner, other_team, where
):
    version = assessment.framework_version
    group = PopulationGroupFactory(assessment=assessment, name="Herders")
    mine = ThreatFactory(assessment=assessment, title="Cattle raids")
    mine.affected_groups.add(group)
    own_indicator = IndicatorFactory(threat=mine, name="Market prices", kind="structural")
    if where == "same-assessment":
        theirs = ThreatFactory(assessment=assessment, title="Flooding")
    else:
        elsewhere = AssessmentFactory(
            team=other_team, owner=member(other_team, "olga"), framework_version=version
        )
        theirs = ThreatFactory(assessment=elsewhere, title="Flooding")
    foreign = IndicatorFactory(threat=theirs, name="River gauge", kind="trigger")
    before = _threat_state()

    response = login(practitioner).post(
        f"/assessments/{assessment.pk}/threats/{mine.pk}/edit/",
        {
            "version": mine.version,
            "title": "Cattle raids at night",
            "description": "Raiders come from the north.",
            "dimension": mine.dimension_id,
            "onset": "sudden",
            "actor_type": "non_state_armed",
            "affected_groups": [group.pk],
            "likelihood": "4",
            "severity": "4",
            "urgency": "2",
            "trend": "deteriorating",
            "confidence": "medium",
            "basis": "both",
            "indicators-TOTAL_FORMS": "2",
            "indicators-INITIAL_FORMS": "2",
            "indicators-MIN_NUM_FORMS": "0",
            "indicators-MAX_NUM_FORMS": "1000",
            "indicators-0-id": own_indicator.pk,
            "indicators-0-name": "Market prices of cattle",
            "indicators-0-kind": "structural",
            "indicators-1-id": foreign.pk,
            "indicators-1-name": "Hijacked gauge",
            "indicators-1-kind": "proximate",
        },
    )

    assert response.status_code == 200
    assert NO_CHANGE in response.content.decode()
    assert _threat_state() == before


# --- verify_brief checks every frozen brief ---------------------------------------------------


def _submit(assessment, user):
    workflow.assessment_submit(assessment=assessment, user=user)


def _approve(assessment, author, supervisor):
    _submit(assessment, author)
    workflow.assessment_approve(assessment=assessment, user=supervisor)


@pytest.fixture
def approved_twice(fake_render, assessment, practitioner, supervisor):
    """Approved, reopened, resubmitted and approved again: two frozen briefs."""
    _approve(assessment, practitioner, supervisor)
    workflow.assessment_reopen(assessment=assessment, user=supervisor, note="Floods came.")
    _approve(assessment, practitioner, supervisor)
    first, second = FrozenBrief.objects.filter(assessment=assessment).order_by("id")
    assert bytes(first.pdf) != bytes(second.pdf)
    return first, second


def _rows(output: str) -> dict[str, str]:
    """verify_brief's lines by the pdf hash they report: hash -> state."""
    rows = {}
    for line in output.splitlines():
        _id, state, _when, pdf, _title = line.split("\t")
        rows[pdf.removeprefix("pdf ")] = state
    return rows


def test_verify_brief_passes_when_every_brief_is_intact(approved_twice):
    first, second = approved_twice
    out = StringIO()

    call_command("verify_brief", stdout=out)

    assert _rows(out.getvalue()) == {first.pdf_sha256: "OK", second.pdf_sha256: "OK"}


@pytest.mark.parametrize("with_ids", [False, True])
def test_verify_brief_finds_a_tampered_earlier_brief(approved_twice, assessment, with_ids):
    first, second = approved_twice
    FrozenBrief.objects.filter(pk=first.pk).update(pdf=b"x")
    out = StringIO()
    args = [str(assessment.pk)] if with_ids else []

    with pytest.raises(CommandError, match=r"1 frozen brief\(s\) do not match"):
        call_command("verify_brief", *args, stdout=out)

    rows = _rows(out.getvalue())
    assert rows == {first.pdf_sha256: "MISMATCH pdf", second.pdf_sha256: "OK"}


def test_verify_brief_finds_a_tampered_snapshot(approved_twice):
    first, second = approved_twice
    FrozenBrief.objects.filter(pk=first.pk).update(snapshot='{"status": "approved"}')
    out = StringIO()

    with pytest.raises(CommandError):
        call_command("verify_brief", stdout=out)

    assert _rows(out.getvalue()) == {
        first.pdf_sha256: "MISMATCH snapshot",
        second.pdf_sha256: "OK",
    }


# --- the brief of an earlier approval, after a reopen ----------------------------------------


@pytest.fixture
def reopened(fake_render, assessment, practitioner, supervisor):
    _approve(assessment, practitioner, supervisor)
    workflow.assessment_reopen(assessment=assessment, user=supervisor, note="Floods came.")
    return FrozenBrief.objects.get(assessment=assessment)


def test_a_supervisor_downloads_the_brief_of_an_earlier_approval(
    client, login, assessment, supervisor, reopened
):
    response = login(supervisor).get(f"/assessments/{assessment.pk}/briefs/{reopened.pk}.pdf")

    assert response.status_code == 200
    assert response.content == bytes(reopened.pdf) == STAND_IN_PDF + b" 1"
    assert response["Content-Type"] == "application/pdf"
    assert "approved-brief" in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith('attachment; filename="')
    assert Assessment.objects.get(pk=assessment.pk).status == Assessment.Status.RETURNED


def test_a_practitioner_of_the_team_who_did_not_write_it_may_not_download_a_frozen_brief(
    client, login, assessment, team, reopened
):
    teammate = member(team, "tess")
    response = login(teammate).get(f"/assessments/{assessment.pk}/briefs/{reopened.pk}.pdf")

    assert response.status_code == 403
    assert STAND_IN_PDF not in response.content


def test_other_teams_get_404_for_a_frozen_brief(client, login, assessment, other_team, reopened):
    outsider = member(other_team, "sam", Membership.Role.SUPERVISOR)

    response = login(outsider).get(f"/assessments/{assessment.pk}/briefs/{reopened.pk}.pdf")

    assert response.status_code == 404


def test_a_frozen_brief_of_another_assessment_is_a_404(
    client, login, fake_render, team, version, practitioner, supervisor, assessment, reopened
):
    sibling = AssessmentFactory(team=team, owner=practitioner, framework_version=version)
    _approve(sibling, practitioner, supervisor)
    theirs = FrozenBrief.objects.get(assessment=sibling)
    login(supervisor)

    wrong_pair = client.get(f"/assessments/{assessment.pk}/briefs/{theirs.pk}.pdf")
    right_pair = client.get(f"/assessments/{sibling.pk}/briefs/{theirs.pk}.pdf")

    assert wrong_pair.status_code == 404
    assert right_pair.status_code == 200
    assert right_pair.content == bytes(theirs.pdf)


# --- StaticOnlyFetcher refuses absolute-path tricks -------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        f"{BRIEF_ORIGIN}/static//etc/passwd",
        f"{BRIEF_ORIGIN}/static/%2Fetc%2Fpasswd",
        f"{BRIEF_ORIGIN}/static/css\\..\\..\\hsassess\\settings.py",
        f"{BRIEF_ORIGIN}/static/%5Cetc%5Cpasswd",
        f"{BRIEF_ORIGIN}/static/..%5C..%5Chsassess%5Csettings.py",
    ],
    ids=["double-slash", "encoded-slash", "backslashes", "encoded-backslash", "dotdot-backslash"],
)
def test_the_fetcher_refuses_absolute_and_backslash_paths(url):
    fetcher = StaticOnlyFetcher()

    with pytest.raises(ValueError, match="Path traversal refused."):
        fetcher.fetch(url)

    assert fetcher.refused == [url]


@pytest.fixture
def static_root_only(settings, tmp_path) -> Path:
    """No finders, only a STATIC_ROOT (as after collectstatic), with a file next to it
    that a traversal would reach."""
    root = tmp_path / "static"
    (root / "css").mkdir(parents=True)
    (root / "css" / "x.css").write_text("body { color: black; }", encoding="utf-8")
    (tmp_path / "x").write_text("SECRET next to STATIC_ROOT", encoding="utf-8")
    settings.STATICFILES_FINDERS = []
    settings.STATIC_ROOT = str(root)
    return root


def test_the_fetcher_serves_from_static_root_without_finders(static_root_only):
    fetcher = StaticOnlyFetcher()

    response = fetcher.fetch(f"{BRIEF_ORIGIN}/static/css/x.css")

    assert response.read() == b"body { color: black; }"
    assert response.content_type == "text/css"
    assert fetcher.refused == []


@pytest.mark.parametrize(
    "path",
    ["/static/../x", "/static/css/../../x", "/static/%2e%2e/x", "/static/css/..%2f..%2fx"],
)
def test_the_fetcher_refuses_to_climb_out_of_static_root(static_root_only, path):
    fetcher = StaticOnlyFetcher()
    url = f"{BRIEF_ORIGIN}{path}"

    with pytest.raises(ValueError):
        fetcher.fetch(url)

    assert fetcher.refused == [url]

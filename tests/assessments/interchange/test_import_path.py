"""The import writes through the services the pages use: its rows carry the importing
person in their history, a rule that only a service enforces refuses an import with a
message that says where, and a refused import writes nothing, history included."""

from __future__ import annotations

import copy
import json
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

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
from frameworks.models import Prompt
from frameworks.services import version_retire
from tests.assessments.interchange.conftest import MODELS, import_rows
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


def _member(team, username, role=Membership.Role.PRACTITIONER):
    return MembershipFactory(team=team, user=UserFactory(username=username), role=role).user


def _history_users(assessment: Assessment) -> dict[str, set[str]]:
    """Who the history names for each kind of row of `assessment`."""
    where = {
        Assessment: {"id": assessment.pk},
        Answer: {"assessment": assessment},
        PopulationGroup: {"assessment": assessment},
        Threat: {"assessment": assessment},
        Response: {"assessment": assessment},
        ComponentTag: {"threat__assessment": assessment},
        Indicator: {"threat__assessment": assessment},
    }
    return {
        model.__name__: {
            h.history_user.get_username() if h.history_user else None
            for h in model.history.filter(**where[model])
        }
        for model in MODELS
    }


@pytest.fixture
def colleague(team):
    return _member(team, "carl")


@pytest.fixture
def exported(team, practitioner, colleague, version) -> dict:
    """A valid export: two answers in two sections, two groups, two tagged threats with
    indicators, a response; written by someone else than the people who import it."""
    author = _member(team, "ada")
    a = AssessmentFactory(title="Goma, 2025", team=team, owner=author, framework_version=version)
    a.collaborators.add(colleague)
    for key in ("context-situation", "means-capacities"):
        prompt = Prompt.objects.get(section__version=version, key=key)
        AnswerFactory(assessment=a, prompt=prompt, text=f"About {key}.")
    women = PopulationGroupFactory(assessment=a, name="Women at water points")
    PopulationGroupFactory(assessment=a, name="Herders")
    for title in ("Land seizures", "Cholera"):
        threat = ThreatFactory(assessment=a, title=title, likelihood=4, urgency=3)
        threat.affected_groups.add(women)
        ComponentTagFactory(threat=threat, rationale="Income lost.")
        IndicatorFactory(threat=threat, name=f"{title} reported", kind="trigger")
    response = ResponseFactory(assessment=a, title="Legal aid desks", groups=[women])
    response.threats.add(*a.threats.all())
    return json.loads(json.dumps(assessment_document(AssessmentData(a))))


def _refused(document: dict, **kwargs) -> list[str]:
    before = import_rows()
    with pytest.raises(ValidationError) as exc:
        import_assessment(document=document, **kwargs)
    assert import_rows() == before
    return exc.value.messages


# --- who the history names ------------------------------------------------------------------


def test_every_imported_row_names_the_importing_person_in_its_history(exported, team, practitioner):
    copy_ = import_assessment(document=exported, owner=practitioner, team=team)

    users = _history_users(copy_)
    assert users == {model.__name__: {"pat"} for model in MODELS}
    assert set(copy_.answers.values_list("updated_by__username", flat=True)) == {"pat"}
    assert copy_.owner == practitioner


def test_the_upload_page_imports_as_the_signed_in_person(
    client, login, exported, team, practitioner
):
    upload = json.dumps(exported).encode()
    response = login(practitioner).post(
        "/assessments/import/",
        {"file": SimpleUploadedFile("export.json", upload, "application/json"), "team": team.pk},
    )

    copy_ = Assessment.objects.get(title="Goma, 2025", owner=practitioner)
    assert response.status_code == 302
    assert _history_users(copy_)["Threat"] == {"pat"}


def test_the_command_imports_as_the_owner_it_finds_in_the_document(
    tmp_path, exported, team, colleague
):
    exported["assessment"]["owner"] = "carl"
    path = tmp_path / "export.json"
    path.write_text(json.dumps(exported), encoding="utf-8")

    call_command("import_assessment", str(path), stdout=StringIO())

    copy_ = Assessment.objects.get(title="Goma, 2025", owner=colleague)
    assert _history_users(copy_) == {model.__name__: {"carl"} for model in MODELS}


def test_authors_are_named_per_part_and_the_owner_for_the_rest(
    exported, team, practitioner, colleague
):
    copy_ = import_assessment(
        document=exported,
        owner=practitioner,
        team=team,
        authors={"answers.means": colleague, "responses": colleague},
    )

    by_section = {
        h.prompt.section.key: h.history_user.get_username()
        for h in Answer.history.filter(assessment=copy_).select_related("prompt__section")
    }
    assert by_section == {"context": "pat", "means": "carl"}
    assert _history_users(copy_)["Response"] == {"carl"}
    assert _history_users(copy_)["Threat"] == {"pat"}
    assert copy_.answers.get(prompt__key="means-capacities").updated_by == colleague


@pytest.mark.parametrize(
    ("authors", "message"),
    [
        ({"answers.nowhere": "carl"}, "not a part"),
        ({"comments": "carl"}, "not a part"),
        ({"threats": "olga"}, "neither the owner nor a collaborator"),
    ],
)
def test_authors_must_name_a_part_and_someone_who_works_on_it(
    exported, team, other_team, practitioner, colleague, authors, message
):
    people = {"carl": colleague, "olga": _member(other_team, "olga")}
    before = import_rows()

    with pytest.raises(ValueError, match=message):
        import_assessment(
            document=exported,
            owner=practitioner,
            team=team,
            authors={part: people[name] for part, name in authors.items()},
        )

    assert import_rows() == before


# --- rules the services enforce, reported with where they broke ------------------------------


def test_a_blank_tag_rationale_is_refused_by_the_service_at_its_threat(
    exported, team, practitioner
):
    # The database only refuses an empty rationale; the service refuses a blank one too.
    exported["threats"][1]["tags"][0]["rationale"] = "   "

    messages = _refused(exported, owner=practitioner, team=team)

    assert messages == [
        "threats[1].tags: Give a short rationale for each component you tag: Person-centred."
    ]


def test_an_import_on_a_retired_framework_version_is_refused_by_assessment_create(
    exported, team, practitioner, version
):
    # Retiring means no new assessment on it: the import starts one, as the form does.
    version_retire(version=version)

    messages = _refused(exported, owner=practitioner, team=team)

    assert messages == [
        "assessment.framework_version: Choose a framework with a published version."
    ]


def test_an_indicator_the_model_refuses_is_named_by_its_threat_and_position(
    exported, team, practitioner
):
    exported["threats"][0]["indicators"].append({"name": "Rumours", "kind": "sometimes"})

    messages = _refused(exported, owner=practitioner, team=team)

    assert messages == ["threats[0].indicators[1].kind: Value 'sometimes' is not a valid choice."]


def test_every_item_a_service_refuses_is_listed_and_nothing_is_written(
    exported, team, practitioner
):
    exported["groups"][1]["sex"] = "plural"
    exported["threats"][0]["likelihood"] = 7
    exported["threats"][1]["tags"][0]["rationale"] = "\t"
    exported["responses"][0]["strategy"] = "hope"

    messages = _refused(exported, owner=practitioner, team=team)

    assert messages == [
        "groups[1].sex: Value 'plural' is not a valid choice.",
        "threats[0].likelihood: Choose a value between 1 and 5.",
        "threats[1].tags: Give a short rationale for each component you tag: Person-centred.",
        "responses[0].strategy: Value 'hope' is not a valid choice.",
    ]


def test_an_assessment_the_service_refuses_is_reported_before_its_content(
    exported, team, practitioner
):
    # Without the assessment no content can be written, so its items go unchecked.
    exported["assessment"]["title"] = ""
    exported["threats"][0]["likelihood"] = 7

    messages = _refused(exported, owner=practitioner, team=team)

    assert messages == ["assessment.title: This field cannot be blank."]


def test_two_groups_of_one_name_are_refused_at_the_second(exported, team, practitioner):
    exported["groups"][0]["name"] = exported["groups"][1]["name"]

    messages = _refused(exported, owner=practitioner, team=team)

    assert len(messages) == 1
    assert messages[0].startswith("groups[1]: ")
    assert "already exists" in messages[0]


def test_a_period_that_ends_before_it_starts_is_refused_at_the_assessment(
    exported, team, practitioner
):
    exported["assessment"].update(period_start="2025-12-31", period_end="2025-01-01")

    messages = _refused(exported, owner=practitioner, team=team)

    assert messages == ["assessment.period_end: The period cannot end before it starts."]


# --- references the importer resolves -------------------------------------------------------


def test_unknown_and_doubled_references_are_listed_with_the_service_refusals(
    exported, team, practitioner
):
    exported["answers"].append(copy.deepcopy(exported["answers"][0]))
    exported["threats"][0]["tags"].append(copy.deepcopy(exported["threats"][0]["tags"][0]))
    exported["threats"][1]["likelihood"] = 9
    exported["responses"][0]["groups"] = ["Nobody"]
    exported["responses"][0]["threats"].append("threat-9")

    messages = _refused(exported, owner=practitioner, team=team)

    assert messages == [
        "answers[2]: a second answer to context/context-situation",
        "threats[0].tags: component 'person-centred' tagged twice",
        "responses[0].groups: unknown group 'Nobody'",
        "responses[0].threats: unknown threat 'threat-9'",
        "threats[1].likelihood: Choose a value between 1 and 5.",
    ]


def test_a_collaborator_who_is_the_owner_is_not_made_a_collaborator(exported, team, practitioner):
    # The service's rule: the owner is never also listed as a collaborator.
    exported["assessment"]["collaborators"] = ["carl", "pat"]

    copy_ = import_assessment(document=exported, owner=practitioner, team=team)

    assert [u.username for u in copy_.collaborators.all()] == ["carl"]

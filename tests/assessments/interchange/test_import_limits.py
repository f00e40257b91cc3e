"""The security test's findings against the assessment import (issue 15): each answers
with a message in the file's terms, on the upload page (400) and from `manage.py
import_assessment` (a CommandError), and changes nothing. A document over the limits of
an assessment is refused as a whole, naming each limit."""

from __future__ import annotations

import copy
import json
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from assessments.models import (
    Assessment,
)
from tests.assessments.interchange.conftest import import_rows

pytestmark = pytest.mark.django_db

INTERNALS = ("Exceeds the limit", "sys.", "set_int_max_str_digits", "recursion", "Traceback")


def _nested(depth: int) -> bytes:
    """An export whose assessment holds a key nested `depth` levels deep."""
    return b'{"format": "hsassess-assessment/1", "x": ' + b"[" * depth + b"]" * depth + b"}"


def _many(exported: dict, **counts: int) -> dict:
    doc = copy.deepcopy(exported)
    threat, group, response = doc["threats"][0], doc["groups"][0], doc["responses"][0]
    if "threats" in counts:
        # Short threats, so that 12,000 fit in an upload (the file was 5 MB at most).
        short = {key: threat[key] for key in ("title", "dimension", "likelihood", "severity")}
        doc["threats"] = [{**short, "ref": f"T{i + 1}"} for i in range(counts["threats"])]
    if "groups" in counts:
        doc["groups"] = [{**group, "name": f"G{i}"} for i in range(counts["groups"])]
    if "responses" in counts:
        doc["responses"] = [response] * counts["responses"]
    if "indicators" in counts:
        doc["threats"][0]["indicators"] = threat["indicators"] * counts["indicators"]
    if "collaborators" in counts:
        doc["assessment"]["collaborators"] = [f"p{i}" for i in range(counts["collaborators"])]
    return doc


def _huge_key_points(exported: dict) -> dict:
    doc = copy.deepcopy(exported)
    doc["assessment"]["key_points"] = "Burning villages. " * 255_556  # 4.6 MB
    return doc


# id: (the file's bytes from the valid export, what the refusal says)
CASES = {
    "nested-400": (lambda e: _nested(400), "it is nested more than 20 levels deep."),
    "nested-900": (lambda e: _nested(900), "it is nested more than 20 levels deep."),
    "5000-digit-integer": (
        lambda e: b'{"format": ' + b"7" * 5000 + b"}",
        "a number has more than 10 digits.",
    ),
    "12000-threats": (
        lambda e: json.dumps(_many(e, threats=12_000)).encode(),
        "threats: 12,000 items. An assessment holds at most 200 threats.",
    ),
    "4.6-MB-key-points": (
        lambda e: json.dumps(_huge_key_points(e)).encode(),
        "assessment.key_points: Ensure this value has at most 20000 characters (it has 4600008).",
    ),
}


@pytest.mark.parametrize(("make", "message"), CASES.values(), ids=CASES)
def test_the_upload_page_refuses_hostile_files_with_a_message(
    login, exported, practitioner, team, make, message
):
    before = import_rows()
    upload = SimpleUploadedFile("export.json", make(exported), "application/json")

    response = login(practitioner).post(
        reverse("assessments:import"), {"file": upload, "team": team.pk}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert not any(word in page for word in INTERNALS)
    assert import_rows() == before


@pytest.mark.parametrize(("make", "message"), CASES.values(), ids=CASES)
def test_the_command_refuses_hostile_files_with_a_message(tmp_path, exported, make, message):
    path = tmp_path / "export.json"
    path.write_bytes(make(exported))
    before = import_rows()

    with pytest.raises(CommandError) as refused:
        call_command("import_assessment", str(path), "--owner", "pat", "--team", "north",
                     stdout=StringIO())  # fmt: skip

    assert message in str(refused.value)
    assert "nothing changed" in str(refused.value).lower()
    assert not any(word in str(refused.value) for word in INTERNALS)
    assert import_rows() == before


def test_every_count_over_its_limit_is_named_at_once(login, exported, practitioner, team):
    document = _many(exported, groups=51, threats=201, responses=101, collaborators=51)
    upload = SimpleUploadedFile("export.json", json.dumps(document).encode())
    before = import_rows()

    response = login(practitioner).post(
        reverse("assessments:import"), {"file": upload, "team": team.pk}
    )

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "groups: 51 items. An assessment holds at most 50 population groups.",
        "threats: 201 items. An assessment holds at most 200 threats.",
        "responses: 101 items. An assessment holds at most 100 responses.",
        "assessment.collaborators: 51 items. An assessment has at most 50 collaborators.",
    ]
    assert import_rows() == before


def test_a_threat_with_11_indicators_is_refused_by_name(login, exported, practitioner, team):
    upload = SimpleUploadedFile("export.json", json.dumps(_many(exported, indicators=11)).encode())

    response = login(practitioner).post(
        reverse("assessments:import"), {"file": upload, "team": team.pk}
    )

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "threats[0].indicators: 11 items. A threat holds at most 10 indicators."
    ]
    assert Assessment.objects.count() == 1


def test_a_text_over_the_forms_limit_is_refused_where_it_is(login, exported, practitioner, team):
    document = copy.deepcopy(exported)
    document["threats"][0]["description"] = "x" * 20_001
    document["answers"][0]["text"] = "y" * 20_001
    upload = SimpleUploadedFile("export.json", json.dumps(document).encode())
    before = import_rows()

    response = login(practitioner).post(
        reverse("assessments:import"), {"file": upload, "team": team.pk}
    )

    assert response.status_code == 400
    errors = response.context["form"].non_field_errors()
    assert "threats[0].description: Ensure this value has at most 20000 characters" in errors[1]
    assert errors[0] == (
        "answers.context.text: Ensure this value has at most 20000 characters (it has 20001)."
    )
    assert import_rows() == before

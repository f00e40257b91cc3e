"""Server errors the fuzz tests found, one plain example each.

All are fixed; they stay here as regression tests, one plain example each.
"""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.content.selectors import AssessmentData
from assessments.interchange.document import export_json
from assessments.models import Assessment
from tests.fuzz.strategies import NASTY_FILES


def _import(world, content: bytes):
    client = world.clients["owner"]
    team = world.cases["target"].assessment.team_id
    upload = SimpleUploadedFile("export.json", content)
    return client.post(reverse("assessments:import"), {"file": upload, "team": team})


def _export_with(world, change) -> bytes:
    document = json.loads(export_json(AssessmentData(world.cases["target"].assessment))[2])
    change(document)
    return json.dumps(document).encode()  # ensure_ascii: a lone surrogate goes as \ud800


# --- fixed ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["arrays nested 100,000 deep", "objects nested 50,000 deep", "an integer of 5,000 digits"],
)
def test_an_import_json_cannot_parse_is_a_form_error(world, name):
    # json.loads raised RecursionError and ValueError here, not JSONDecodeError.
    count = Assessment.objects.count()

    response = _import(world, NASTY_FILES[name])

    assert response.status_code == 400
    assert "This is not an export that can be read" in response.context["form"].errors["file"][0]
    assert Assessment.objects.count() == count


def _title(document):
    document["assessment"]["title"] = "Lone \ud800 surrogate"


def _prompt_key(document):
    document["answers"][0]["prompt"] = "\udfff"


@pytest.mark.parametrize("change", [_title, _prompt_key], ids=["title", "prompt key"])
def test_an_import_with_a_lone_surrogate_is_a_form_error(world, change):
    # The database driver could not encode it (title), nor the page naming it (prompt key).
    count = Assessment.objects.count()

    response = _import(world, _export_with(world, change))

    assert response.status_code == 400
    assert "cannot be stored" in " ".join(response.context["form"].non_field_errors())
    assert Assessment.objects.count() == count


# --- open -------------------------------------------------------------------------------


def _nul_in_title(document):
    document["assessment"]["title"] = "NUL \u0000 inside"


def test_an_import_with_a_nul_character_is_a_form_error(world):
    count = Assessment.objects.count()

    response = _import(world, _export_with(world, _nul_in_title))

    assert response.status_code == 400
    assert response.context["form"].errors
    assert Assessment.objects.count() == count


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("assessments:response_create", "threats"),
        ("assessments:threat_create", "affected_groups"),
        ("assessments:edit", "collaborators"),
    ],
)
def test_an_id_beyond_64_bits_in_a_multiple_choice_is_a_form_error(world, url, field):
    client = world.clients["owner"]
    pk = world.cases["target"].assessment.pk

    response = client.post(reverse(url, args=[pk]), {field: str(2**63)})

    assert response.status_code == 200
    assert field in response.context["form"].errors

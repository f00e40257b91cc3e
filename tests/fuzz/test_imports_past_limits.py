"""Both import paths fed files past the limits (issue 15): deep nesting, huge scales,
huge counts, huge texts and numbers far too long (hostile_files.py). Besides the
properties of every fuzz test (no server error; nothing changes), each file must be
refused as the client's error, with a message that does not speak of Python."""

from __future__ import annotations

import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from assessments.demo.seed import DEFAULT_FRAMEWORK
from tests.fuzz.harness import Req, exercise
from tests.fuzz.hostile_files import json_past_limits, yaml_past_limits
from tests.fuzz.targets import FUZZ

INTERNALS = ("Exceeds the limit", "sys.", "recursion", "Traceback", "out of range")
DEFAULT = yaml.safe_load(DEFAULT_FRAMEWORK.read_text(encoding="utf-8"))


def _refused(response) -> None:
    assert response.status_code == 400, response.status_code
    page = response.content.decode()
    assert not any(word in page for word in INTERNALS), page


@FUZZ
@given(data=st.data())
def test_the_assessment_import_refuses_files_past_the_limits(world, export_document, data):
    content = data.draw(json_past_limits(export_document), label="file")
    team = world.cases["target"].assessment.team_id
    body = {"file": SimpleUploadedFile("export.json", content), "team": str(team)}

    # kind "read": the owner may create, but nothing past the limits is created.
    response = exercise(world, "owner", Req("POST", reverse("assessments:import"), body))

    _refused(response)


@FUZZ
@given(data=st.data())
def test_the_framework_import_refuses_files_past_the_limits(world, data):
    content = data.draw(yaml_past_limits(DEFAULT), label="file")
    body = {"file": SimpleUploadedFile("framework.yaml", content), "publish": "on"}

    response = exercise(world, "superuser", Req("POST", reverse("frameworks:import"), body))

    _refused(response)

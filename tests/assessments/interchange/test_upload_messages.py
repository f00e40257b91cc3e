"""What the import page says about a file it cannot use: where or what is wrong, in the
file's terms, never Python's own words; and an export pinned to a retired framework
version is refused."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.content.selectors import AssessmentData
from assessments.interchange.document import export_json
from assessments.models import Assessment
from frameworks.services import version_retire

pytestmark = pytest.mark.django_db

INTERNALS = ("Exceeds the limit", "sys.", "set_int_max_str_digits", "codec", "Traceback")


def _upload(client, assessment, content: bytes):
    upload = SimpleUploadedFile("export.json", content)
    return client.post(reverse("assessments:import"), {"file": upload, "team": assessment.team_id})


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b'{"format": ' + b"7" * 5000 + b"}",
            "This is not an export that can be read: a number has more than 10 digits.",
        ),
        (b"[" * 100_000 + b"]" * 100_000, "it is nested more than 20 levels deep."),
        (b'{"format": "x",\n  "a": }', "This is not a JSON document (line 2, column 8)."),
        (b'{"title": "caf\xe9"}', "This is not a JSON document: byte 15 is not UTF-8 text."),
    ],
    ids=["5000-digit-integer", "deep", "syntax", "latin-1"],
)
def test_a_file_that_cannot_be_read_gets_a_message_in_its_own_terms(
    client, login, assessment, practitioner, content, message
):
    response = _upload(login(practitioner), assessment, content)

    assert response.status_code == 400
    error = response.context["form"].errors["file"][0]
    assert message in error
    assert not any(word in error for word in INTERNALS)
    assert Assessment.objects.count() == 1


def test_an_export_pinned_to_a_retired_framework_version_is_refused(
    client, login, assessment, practitioner, version
):
    exported = json.loads(export_json(AssessmentData(assessment))[2])
    version_retire(version=version)

    response = _upload(login(practitioner), assessment, json.dumps(exported).encode())

    assert response.status_code == 400
    assert "Choose a framework with a published version." in response.content.decode()
    assert Assessment.objects.count() == 1

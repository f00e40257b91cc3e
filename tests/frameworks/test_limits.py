"""The limits of a framework version (frameworks/limits.py) and the security test's
hostile YAML files (issue 15): each is refused with a message naming the limit, on the
upload page (400) and from `manage.py import_framework`, in well under a second, and
nothing is imported. The studio cannot grow a list past its limit either."""

from __future__ import annotations

import copy
import time
from io import StringIO

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessments.demo.seed import DEFAULT_FRAMEWORK
from frameworks import editing
from frameworks.models import Framework, FrameworkVersion, Prompt, ScaleLevel, Section
from frameworks.services import version_new_draft

pytestmark = pytest.mark.django_db

DEFAULT = yaml.safe_load(DEFAULT_FRAMEWORK.read_text(encoding="utf-8"))
INTERNALS = ("Exceeds the limit", "sys.", "recursion", "Traceback", "smallint")


def _with_levels(count: int) -> bytes:
    """The default framework with a likelihood scale of `count` levels, one a line (the
    issue's 33,000 levels fit in 1 MB this way)."""
    document = copy.deepcopy(DEFAULT)
    document["scales"]["likelihood"] = []
    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
    levels = "".join(f"  - {{value: {i + 1}, label: x}}\n" for i in range(count))
    return text.replace("  likelihood: []\n", "  likelihood:\n" + levels).encode()


def _with_prompts(count: int) -> bytes:
    document = copy.deepcopy(DEFAULT)
    document["sections"][0]["prompts"] = [
        {"key": f"p{i}", "text": f"Prompt {i}?"} for i in range(count)
    ]
    return yaml.safe_dump(document, sort_keys=False).encode()


def _with_example(characters: int) -> bytes:
    document = copy.deepcopy(DEFAULT)
    document["dimensions"][0]["examples"] = ["x" * characters]
    return yaml.safe_dump(document, sort_keys=False).encode()


# id: (the file, what the refusal says)
CASES = {
    "flow-900": (b"[" * 900 + b"]" * 900, "line 1: nested more than 20 levels deep"),
    "flow-50000": (b"[" * 50_000, "line 1: nested more than 20 levels deep"),
    "600-block-keys": (
        "".join("  " * i + f"k{i}:\n" for i in range(600)).encode(),
        "line 20: nested more than 20 levels deep",
    ),
    "33000-levels": (_with_levels(33_000), "a scale has at most 10 levels"),
    "11-levels": (_with_levels(11), "a scale has at most 10 levels"),
    "101-prompts": (_with_prompts(101), "a version holds at most 100 prompts"),
    "long-example": (
        _with_example(20_001),
        "$.dimensions[0].examples[0] (line 1117): longer than 20000 characters",
    ),
    "5000-digit-integer": (
        b"format: " + b"9" * 5000 + b"\n",
        "line 1: invalid YAML: a number has more than 9 digits",
    ),
}


def _counts() -> dict[str, int]:
    models = (Framework, FrameworkVersion, Section, Prompt, ScaleLevel)
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.parametrize(("raw", "message"), CASES.values(), ids=CASES)
def test_the_upload_page_refuses_hostile_files_naming_the_limit(
    client, fwadmin, version, raw, message
):
    client.force_login(fwadmin)
    before = _counts()
    upload = SimpleUploadedFile("framework.yaml", raw, content_type="application/yaml")

    started = time.perf_counter()
    response = client.post(reverse("frameworks:import"), {"file": upload})

    assert time.perf_counter() - started < 5  # the 33,000 levels took 26 s to read
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert not any(word in page for word in INTERNALS)
    assert _counts() == before


@pytest.mark.parametrize(("raw", "message"), CASES.values(), ids=CASES)
def test_the_command_refuses_hostile_files_naming_the_limit(tmp_path, version, raw, message):
    path = tmp_path / "framework.yaml"
    path.write_bytes(raw)
    before = _counts()

    with pytest.raises(CommandError) as refused:
        call_command("import_framework", str(path), stdout=StringIO())

    assert message in str(refused.value)
    assert "nothing was imported" in str(refused.value)
    assert _counts() == before


def test_a_framework_at_the_limits_imports(tmp_path, version):
    document = copy.deepcopy(DEFAULT)
    document["version"]["number"] = 2
    document["scales"]["likelihood"] = [
        {"value": i + 1, "label": f"Level {i + 1}"} for i in range(10)
    ]
    document["sections"][0]["prompts"] = [
        {"key": f"p{i}", "text": f"Prompt {i}?"}
        for i in range(100 - sum(len(s["prompts"]) for s in document["sections"][1:]))
    ]
    path = tmp_path / "framework.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), "utf-8")

    call_command("import_framework", str(path), stdout=StringIO())

    imported = FrameworkVersion.objects.get(number=2)
    assert Prompt.objects.filter(section__version=imported).count() == 100
    assert imported.scale_levels.filter(scale="likelihood").count() == 10


def test_the_studio_refuses_an_11th_level_and_keeps_the_10th(version, fwadmin):
    draft = version_new_draft(version=version, by=fwadmin)
    levels = draft.scale_levels.filter(scale="likelihood")
    while levels.count() < 10:
        editing.studio_add(version=draft, kind="level", scale="likelihood", data={"label": "L"})

    with pytest.raises(ValidationError) as refused:
        editing.studio_add(version=draft, kind="level", scale="likelihood", data={"label": "L"})

    assert refused.value.messages == [
        "$.scales.likelihood: a scale has at most 10 levels (found 11)"
    ]
    assert levels.count() == 10

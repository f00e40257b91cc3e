"""A framework file an admin gets wrong is refused with messages that say where."""

import copy

import pytest
import yaml

from assessments.demo.seed import DEFAULT_FRAMEWORK
from frameworks.documents import MAX_BYTES, DocumentError, parse

DEFAULT = yaml.safe_load(DEFAULT_FRAMEWORK.read_text(encoding="utf-8"))


def default_document() -> dict:
    return copy.deepcopy(DEFAULT)


def dumped(document: dict) -> str:
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the n-th line containing needle."""
    found = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    return found[occurrence - 1]


def problems_of(text: str) -> list[str]:
    with pytest.raises(DocumentError) as excinfo:
        parse(text)
    return excinfo.value.problems


def test_the_shipped_default_framework_is_valid():
    document = parse(DEFAULT_FRAMEWORK.read_bytes())

    assert document["framework"]["slug"] == "human-security-lens"
    assert [c["key"] for c in document["components"]] == [
        "person-centred",
        "context-specific",
        "multi-dimensional",
        "preventive",
    ]


def test_a_dumped_unchanged_document_is_valid():
    # Guards the helpers below: every failure in this module comes from the mutation alone.
    assert parse(dumped(default_document()))["version"]["number"] == 1


def test_bad_yaml_syntax_names_the_line():
    text = "format: hsassess-framework/1\nframework: [unclosed\nversion: 1\n"

    problems = problems_of(text)

    assert len(problems) == 1
    assert problems[0].startswith("line 3: invalid YAML")


def test_a_duplicate_mapping_key_is_refused_with_its_line():
    text = dumped(default_document()).replace(
        "  name: Human Security Lens\n",
        "  name: Human Security Lens\n  name: Another name\n",
        1,
    )

    problems = problems_of(text)

    assert problems == [
        f"line {line_of(text, 'name: Another name')}: invalid YAML: duplicate key 'name'"
    ]


def test_a_prompt_without_text_names_the_prompt_and_its_line():
    document = default_document()
    del document["sections"][0]["prompts"][1]["text"]
    text = dumped(document)

    problems = problems_of(text)

    prompt_line = line_of(text, "key: context-power")
    assert problems == [
        "$.sections[0].prompts[1].text: missing required field "
        f"(in the mapping at line {prompt_line})"
    ]


def test_an_unknown_field_is_named_with_its_line():
    document = default_document()
    document["sections"][0]["colour"] = "red"
    text = dumped(document)

    problems = problems_of(text)

    assert problems == [
        f"$.sections[0].colour (line {line_of(text, 'colour: red')}): unknown field"
    ]


def test_a_version_number_in_words_is_the_wrong_type():
    document = default_document()
    document["version"]["number"] = "one"
    text = dumped(document)

    problems = problems_of(text)

    assert problems == [
        f"$.version.number (line {line_of(text, 'number: one')}): expected an integer, found text"
    ]


def test_required_as_text_is_the_wrong_type():
    document = default_document()
    document["sections"][0]["prompts"][0]["required"] = "yes"
    text = dumped(document)

    problems = problems_of(text)

    assert problems == [
        f"$.sections[0].prompts[0].required (line {line_of(text, 'required: ' + repr('yes'))}): "
        "expected true/false, found text"
    ]


def test_a_prompt_key_reused_in_another_section_is_refused():
    document = default_document()
    document["sections"][1]["prompts"][0]["key"] = "context-situation"
    text = dumped(document)

    problems = problems_of(text)

    first = line_of(text, "key: context-situation", occurrence=1)
    second = line_of(text, "key: context-situation", occurrence=2)
    assert problems == [
        f"$.sections[1].prompts[0].key (line {second}): duplicate key 'context-situation' "
        f"(first used at $.sections[0].prompts[0].key (line {first}))"
    ]


def test_an_empty_sections_list_is_refused():
    document = default_document()
    document["sections"] = []
    text = dumped(document)

    problems = problems_of(text)

    assert problems == [
        f"$.sections (line {line_of(text, 'sections: []')}): must list at least 1 item(s)"
    ]


def test_a_section_without_prompts_is_refused():
    document = default_document()
    document["sections"][2]["prompts"] = []
    text = dumped(document)

    problems = problems_of(text)

    assert problems == [
        f"$.sections[2].prompts (line {line_of(text, 'prompts: []')}): must list at least 1 item(s)"
    ]


def test_a_scale_with_a_gap_is_refused():
    document = default_document()
    document["scales"]["likelihood"] = [
        {"value": 1, "label": "Rare"},
        {"value": 2, "label": "Possible"},
        {"value": 4, "label": "Almost certain"},
    ]
    text = dumped(document)

    problems = problems_of(text)

    assert len(problems) == 1
    assert problems[0].startswith(f"$.scales.likelihood (line {line_of(text, 'likelihood:')}): ")
    assert "without gaps" in problems[0]
    assert "(found 1, 2, 4)" in problems[0]


def test_a_file_over_one_megabyte_is_refused_before_parsing():
    document = default_document()
    document["version"]["changelog"] = "x" * MAX_BYTES

    problems = problems_of(dumped(document).encode("utf-8"))

    assert len(problems) == 1
    assert problems[0].startswith("file: ")
    assert "over the limit of 1 MB" in problems[0]


def test_a_file_of_exactly_one_megabyte_is_accepted():
    # Padded with a comment: no text field may hold that much (limits.TEXT).
    text = dumped(default_document()) + "# "
    raw = (text + "x" * (MAX_BYTES - len(text.encode("utf-8")) - 1) + "\n").encode("utf-8")
    assert len(raw) == MAX_BYTES

    assert parse(raw)["version"]["number"] == 1


def test_a_file_that_is_not_utf8_is_refused():
    raw = dumped(default_document()).replace("Human Security Lens", "Sécurité humaine", 1)

    # (the Arabic of the translations has no Latin-1 bytes: "?" stands in for it)
    problems = problems_of(raw.encode("latin-1", errors="replace"))

    assert len(problems) == 1
    assert problems[0].startswith("file: not UTF-8 text")


def test_an_empty_file_is_refused():
    assert problems_of("") == ["file: the document is empty"]


def test_a_wrong_format_is_refused():
    document = default_document()
    document["format"] = "hsassess-framework/2"
    text = dumped(document)

    problems = problems_of(text)

    assert problems == ["$.format (line 1): expected 'hsassess-framework/1'"]


def test_every_problem_is_reported_at_once():
    document = default_document()
    document["version"]["number"] = "one"
    del document["sections"][0]["prompts"][1]["text"]
    document["format"] = "something-else"

    problems = problems_of(dumped(document))

    assert len(problems) == 3
    assert {problem.split(" ")[0].rstrip(":") for problem in problems} == {
        "$.format",
        "$.version.number",
        "$.sections[0].prompts[1].text",
    }


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            b"format: " + b"9" * 5000 + b"\n",
            "line 1: invalid YAML: a number has more than 9 digits",
        ),
        (
            b"published: 2025-13-45\n",
            "file: invalid YAML: a number with too many digits, or a date that does not exist",
        ),
        (b"a: [" * 3000, "line 1: nested more than 20 levels deep"),
        (b"format: x\x01\n", "file: invalid YAML: character 10 is a control character"),
        (b"name: caf\xe9\n", "file: not UTF-8 text (byte 10 is not UTF-8)"),
    ],
    ids=["5000-digit-integer", "impossible-date", "deep", "control-character", "latin-1"],
)
def test_a_file_the_parser_chokes_on_gets_a_message_not_python_internals(raw, message):
    problems = problems_of(raw)

    assert problems == [message]
    assert not any(word in problems[0] for word in ("Exceeds", "sys.", "codec", "recursion"))

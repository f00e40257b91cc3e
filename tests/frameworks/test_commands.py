"""import_framework and export_framework: the way framework files enter and leave."""

import copy
from io import StringIO

import pytest
import yaml
from django.core.management import CommandError, call_command

from assessments.demo.seed import DEFAULT_FRAMEWORK
from frameworks.models import Framework, FrameworkVersion, Prompt, Section
from frameworks.services import version_new_draft

DEFAULT = yaml.safe_load(DEFAULT_FRAMEWORK.read_text(encoding="utf-8"))


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Framework, FrameworkVersion, Section, Prompt)
    }


def write(tmp_path, document: dict, name: str = "framework.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), "utf-8")
    return path


def import_framework(*args) -> str:
    out = StringIO()
    call_command("import_framework", *map(str, args), stdout=out)
    return out.getvalue()


def export_framework(*args) -> None:
    call_command("export_framework", *map(str, args), stdout=StringIO(), stderr=StringIO())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("mutate", "path_in_message"),
    [
        (lambda d: d["sections"][0]["prompts"][1].pop("text"), "$.sections[0].prompts[1].text"),
        (lambda d: d["version"].update(number="one"), "$.version.number"),
        (lambda d: d.update(sections=[]), "$.sections"),
    ],
    ids=["prompt-without-text", "number-in-words", "no-sections"],
)
@pytest.mark.usefixtures("no_frameworks")
def test_an_invalid_file_is_refused_naming_the_field_and_nothing_is_imported(
    tmp_path, mutate, path_in_message
):
    document = copy.deepcopy(DEFAULT)
    mutate(document)
    path = write(tmp_path, document)
    before = counts()

    with pytest.raises(CommandError) as excinfo:
        import_framework(path)

    assert path_in_message in str(excinfo.value)
    assert "nothing was imported" in str(excinfo.value)
    assert counts() == before
    assert not Framework.objects.filter(slug="human-security-lens").exists()


@pytest.mark.django_db
def test_an_invalid_file_leaves_an_existing_framework_untouched(version, tmp_path):
    document = copy.deepcopy(DEFAULT)
    document["version"]["number"] = 2
    document["framework"]["name"] = "Renamed lens"
    document["sections"][0]["colour"] = "red"
    path = write(tmp_path, document)
    before = counts()

    with pytest.raises(CommandError) as excinfo:
        import_framework(path)

    assert "$.sections[0].colour" in str(excinfo.value)
    assert counts() == before
    assert Framework.objects.get().name == "Human Security Lens"


@pytest.mark.django_db
@pytest.mark.usefixtures("no_frameworks")
def test_a_file_over_one_megabyte_is_refused(tmp_path):
    document = copy.deepcopy(DEFAULT)
    document["version"]["changelog"] = "x" * (1024 * 1024)
    path = write(tmp_path, document)

    with pytest.raises(CommandError) as excinfo:
        import_framework(path)

    assert "over the limit of 1 MB" in str(excinfo.value)
    assert counts()["Framework"] == 0


@pytest.mark.django_db
def test_a_missing_file_is_refused_cleanly(tmp_path):
    with pytest.raises(CommandError) as excinfo:
        import_framework(tmp_path / "nope.yaml")

    assert "cannot read the file" in str(excinfo.value)


@pytest.mark.django_db
@pytest.mark.usefixtures("no_frameworks")
def test_a_valid_file_imports_as_a_draft():
    output = import_framework(DEFAULT_FRAMEWORK)

    version = FrameworkVersion.objects.get(framework__slug="human-security-lens")
    assert output.strip() == "Imported Human Security Lens v1 (draft)."
    assert version.number == 1
    assert version.status == FrameworkVersion.Status.DRAFT
    assert version.published_at is None
    assert version.sections.count() == len(DEFAULT["sections"])
    assert Prompt.objects.filter(section__version=version).count() == sum(
        len(section["prompts"]) for section in DEFAULT["sections"]
    )
    assert version.components.count() == 4
    assert version.dimensions.count() == len(DEFAULT["dimensions"])


@pytest.mark.django_db
def test_publish_option_publishes_the_imported_version():
    output = import_framework(DEFAULT_FRAMEWORK, "--publish")

    version = FrameworkVersion.objects.get(framework__slug="human-security-lens")
    assert "(published)" in output
    assert version.status == FrameworkVersion.Status.PUBLISHED
    assert version.published_at is not None


@pytest.mark.django_db
def test_reimporting_an_identical_published_version_changes_nothing():
    import_framework(DEFAULT_FRAMEWORK, "--publish")
    version = FrameworkVersion.objects.get()
    section_ids = list(Section.objects.values_list("pk", flat=True))
    before = counts()

    output = import_framework(DEFAULT_FRAMEWORK, "--publish")

    assert output.strip() == "Already present and identical: Human Security Lens v1 (published)."
    assert counts() == before
    assert list(Section.objects.values_list("pk", flat=True)) == section_ids
    assert FrameworkVersion.objects.get().published_at == version.published_at


@pytest.mark.django_db
def test_a_different_document_under_a_published_number_is_refused(version, tmp_path):
    document = copy.deepcopy(DEFAULT)
    document["sections"][0]["title"] = "A quietly changed title"
    document["framework"]["name"] = "A quietly changed name"
    path = write(tmp_path, document)
    before = counts()

    with pytest.raises(CommandError) as excinfo:
        import_framework(path)

    message = str(excinfo.value)
    assert "Version 1" in message
    assert "already published" in message
    assert counts() == before
    assert version.sections.order_by("order").first().title == DEFAULT["sections"][0]["title"]["en"]
    assert Framework.objects.get().name == "Human Security Lens"


@pytest.mark.django_db
@pytest.mark.usefixtures("no_frameworks")
def test_reimporting_a_draft_replaces_it(tmp_path):
    import_framework(DEFAULT_FRAMEWORK)
    document = copy.deepcopy(DEFAULT)
    document["sections"][0]["title"] = "The setting"
    path = write(tmp_path, document)

    output = import_framework(path)

    version = FrameworkVersion.objects.get()
    assert output.startswith("Replaced the draft with")
    assert version.status == FrameworkVersion.Status.DRAFT
    assert version.sections.order_by("order").first().title == "The setting"
    assert Section.objects.count() == len(DEFAULT["sections"])


@pytest.mark.django_db
@pytest.mark.usefixtures("no_frameworks")
def test_export_then_import_then_export_is_byte_identical(tmp_path):
    import_framework(DEFAULT_FRAMEWORK)
    first = tmp_path / "first.yaml"
    second = tmp_path / "second.yaml"
    export_framework("human-security-lens", "--output", first)

    # The exported file replaces the draft it came from: a real round trip through the DB.
    assert import_framework(first).startswith("Replaced the draft with")
    export_framework("human-security-lens", "--output", second)

    assert first.read_bytes() == second.read_bytes()
    exported = yaml.safe_load(first.read_text("utf-8"))
    assert (
        exported["sections"][0]["prompts"][0]["text"]
        == DEFAULT["sections"][0]["prompts"][0]["text"]
    )
    assert exported["scales"]["severity"][-1]["label"]["en"] == "Catastrophic"
    assert exported["scales"]["severity"][-1]["label"]["ar"] == "كارثية"


@pytest.mark.django_db
def test_export_to_stdout_is_the_same_as_to_a_file(version, tmp_path):
    path = tmp_path / "lens.yaml"
    export_framework("human-security-lens", "--output", path)
    out = StringIO()

    call_command("export_framework", "human-security-lens", stdout=out)

    assert out.getvalue() == path.read_text("utf-8")


@pytest.mark.django_db
def test_export_version_option_picks_that_version(version, tmp_path):
    draft = version_new_draft(version=version)
    latest = tmp_path / "latest.yaml"
    chosen = tmp_path / "v1.yaml"

    export_framework("human-security-lens", "--output", latest)
    export_framework("human-security-lens", "--version", "1", "--output", chosen)

    assert yaml.safe_load(latest.read_text("utf-8"))["version"]["number"] == draft.number == 2
    v1 = yaml.safe_load(chosen.read_text("utf-8"))["version"]
    assert v1["number"] == 1
    assert v1["changelog"] == DEFAULT["version"]["changelog"]


@pytest.mark.django_db
def test_export_of_an_unknown_version_fails_cleanly(version, tmp_path):
    path = tmp_path / "v9.yaml"

    with pytest.raises(CommandError) as excinfo:
        export_framework("human-security-lens", "--version", "9", "--output", path)

    assert "has no version 9" in str(excinfo.value)
    assert not path.exists()


@pytest.mark.django_db
def test_export_of_an_unknown_framework_fails_cleanly(version, tmp_path):
    path = tmp_path / "nope.yaml"

    with pytest.raises(CommandError) as excinfo:
        export_framework("no-such-framework", "--output", path)

    assert "No framework with slug 'no-such-framework'" in str(excinfo.value)
    assert not path.exists()

"""Framework content in several languages (issue 11, item 3): the reader's language,
the fallback with its marker, the YAML format, the studio's translation page."""

import copy

import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from assessments.demo.seed import DEFAULT_FRAMEWORK
from frameworks import i18n
from frameworks.documents import DocumentError, dump, parse
from frameworks.models import FrameworkVersion, Prompt, Section
from frameworks.selectors import version_document, version_with_content
from frameworks.services import FrameworkLocked, framework_import, version_new_draft
from tests.factories import AssessmentFactory

DEFAULT = yaml.safe_load(DEFAULT_FRAMEWORK.read_text(encoding="utf-8"))
FIRST_PROMPT = DEFAULT["sections"][0]["prompts"][0]["text"]


def _section_url(assessment, key="context"):
    return reverse("assessments:section", args=[assessment.pk, key])


def _loaded(version):
    return version_with_content(FrameworkVersion.objects.filter(pk=version.pk)).get()


def _second_version(document: dict) -> FrameworkVersion:
    document = copy.deepcopy(document)
    document["version"]["number"] = 2
    version, _ = framework_import(document=parse(dump(document)), publish=True)
    return version


@pytest.mark.django_db
def test_a_french_reader_sees_the_french_prompt(client, assessment, practitioner):
    client.force_login(practitioner)
    client.cookies["django_language"] = "fr"

    page = client.get(_section_url(assessment)).content.decode()

    assert FIRST_PROMPT["fr"].replace("'", "&#x27;") in page
    assert FIRST_PROMPT["en"] not in page
    assert "<h1>Le contexte</h1>" in page
    assert "fallback-marker" not in page


@pytest.mark.django_db
def test_a_missing_translation_shows_the_default_text_marked_with_its_language(
    client, team, practitioner
):
    document = copy.deepcopy(DEFAULT)
    del document["sections"][0]["prompts"][0]["text"]["es"]  # not yet in Spanish
    assessment = AssessmentFactory(
        team=team, owner=practitioner, framework_version=_second_version(document)
    )
    client.force_login(practitioner)
    client.cookies["django_language"] = "es"

    page = client.get(_section_url(assessment)).content.decode()

    english = FIRST_PROMPT["en"]
    assert f'<span lang="en" dir="auto">{english}</span> <small class="fallback-marker"' in page
    assert page.count('class="fallback-marker"') == 1  # the other prompts are in Spanish
    assert DEFAULT["sections"][0]["prompts"][1]["text"]["es"] in page


@pytest.mark.django_db
def test_the_marker_names_the_language_and_says_it_is_not_yet_translated():
    version = _loaded(FrameworkVersion.objects.get(framework__slug="human-security-lens", number=1))
    prompt = version.sections.all()[0].prompts.all()[0]
    prompt.translations = {}  # in memory only

    with translation.override("fr"):
        html = str(i18n_tag(prompt, "text"))

    assert html.startswith(f'<span lang="en" dir="auto">{FIRST_PROMPT["en"]}</span>')
    assert 'class="fallback-marker" lang="fr"' in html
    assert "Not yet translated into" in html or "Pas encore traduit" in html


def i18n_tag(obj, field):
    from frameworks.templatetags.fwtext import fwtext

    return fwtext(obj, field)


@pytest.mark.django_db
def test_the_text_follows_the_active_language_and_its_regional_variants(version):
    prompt = _loaded(version).sections.all()[0].prompts.all()[0]

    with translation.override("ar"):
        assert i18n.text(prompt, "text") == (FIRST_PROMPT["ar"], "ar")
    assert i18n.text(prompt, "text", "es-mx") == (FIRST_PROMPT["es"], "es")
    assert i18n.text(prompt, "text", "de") == (FIRST_PROMPT["en"], "en")  # not ours: default


@pytest.mark.django_db
def test_the_section_page_makes_as_many_queries_in_every_language(client, assessment, practitioner):
    client.force_login(practitioner)
    counts = {}
    for language in ("en", "fr", "ar"):
        client.cookies["django_language"] = language
        client.get(_section_url(assessment))  # warm the session and caches alike
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_section_url(assessment)).status_code == 200
        counts[language] = len(queries)

    assert counts["fr"] == counts["en"] == counts["ar"]


@pytest.mark.django_db
def test_the_default_framework_is_complete_in_all_four_languages(version):
    progress = i18n.translation_progress(_loaded(version))

    assert [p["code"] for p in progress] == ["fr", "es", "ar"]
    for row in progress:
        assert row["done"] == row["total"] > 100, row
    for item in i18n.version_items(_loaded(version)):
        for code in ("fr", "es", "ar"):
            for field in i18n.TRANSLATABLE[type(item)]:
                if getattr(item, field).strip():
                    assert item.translations[code][field].strip(), (item, code, field)
        if hasattr(item, "examples"):
            lines = len(item.example_list)
            for code in ("fr", "es", "ar"):
                assert len(i18n.example_list(item, code)[0]) == lines, (item, code)


@pytest.mark.django_db
@pytest.mark.usefixtures("no_frameworks")
def test_the_shipped_file_is_what_the_export_writes():
    version, _ = framework_import(document=parse(DEFAULT_FRAMEWORK.read_bytes()))

    exported = dump(version_document(_loaded(version)))

    assert exported == DEFAULT_FRAMEWORK.read_text(encoding="utf-8")


@pytest.mark.django_db
@pytest.mark.usefixtures("no_frameworks")
def test_a_multilingual_file_imports_and_exports_the_same():
    text = """\
format: hsassess-framework/1
framework: {slug: lens, name: Lens}
version: {number: 1, language: fr}
sections:
  - key: whom
    title: {fr: "La sécurité pour qui ?", en: "Security for whom?", ar: "الأمن لمن؟"}
    prompts:
      - key: whom-groups
        text: Quelles personnes sont les plus touchées ?
        help: {fr: "Donnez des chiffres.", es: "Dé cifras."}
components:
  - {key: preventive, name: {fr: Préventive, en: Preventive}}
dimensions:
  - key: food
    name: {fr: Sécurité alimentaire, es: Seguridad alimentaria}
    examples: {fr: [Famine, Flambée des prix], es: [Hambruna]}
scales:
  likelihood: [{value: 1, label: {fr: Rare, en: Rare}}, {value: 2, label: Probable}]
  severity: [{value: 1, label: Minimale}, {value: 2, label: Grave}]
  urgency: [{value: 1, label: Structurelle}, {value: 2, label: Immédiate}]
"""
    version, _ = framework_import(document=parse(text))

    section = Section.objects.get(version=version)
    assert (section.title, version.language) == ("La sécurité pour qui ?", "fr")
    assert section.translations == {
        "en": {"title": "Security for whom?"},
        "ar": {"title": "الأمن لمن؟"},
    }
    prompt = Prompt.objects.get(section=section)
    assert prompt.translations == {"es": {"help": "Dé cifras."}}
    dimension = version.dimensions.get()
    assert dimension.examples == "Famine\nFlambée des prix"
    assert dimension.translations == {
        "es": {"name": "Seguridad alimentaria", "examples": "Hambruna"}
    }
    with translation.override("en"):
        assert i18n.text(prompt, "text") == ("Quelles personnes sont les plus touchées ?", "fr")

    exported = dump(version_document(_loaded(version)))
    again = parse(exported)
    assert again["sections"][0]["title"] == {
        "fr": "La sécurité pour qui ?",
        "en": "Security for whom?",
        "ar": "الأمن لمن؟",
    }
    assert (
        again["sections"][0]["prompts"][0]["text"] == "Quelles personnes sont les plus touchées ?"
    )
    assert again["dimensions"][0]["examples"] == {
        "fr": ["Famine", "Flambée des prix"],
        "es": ["Hambruna"],
    }
    # Imported again over its draft, it exports byte for byte the same.
    framework_import(document=again)
    assert dump(version_document(_loaded(FrameworkVersion.objects.get()))) == exported


def _problems(text: str) -> list[str]:
    with pytest.raises(DocumentError) as refused:
        parse(text)
    return refused.value.problems


def test_an_unknown_language_is_refused_naming_the_field_and_line():
    document = copy.deepcopy(DEFAULT)
    document["sections"][1]["title"]["de"] = "Reflexive Notiz"
    text = dump(document)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "Reflexive Notiz" in row)

    problems = _problems(text)

    assert problems == [
        f"$.sections[1].title.de (line {line}): 'de' is not a language of this site "
        "(en, fr, es, ar)"
    ]


def test_the_default_language_text_is_required_and_translations_are_bounded():
    document = copy.deepcopy(DEFAULT)
    del document["components"][0]["name"]["en"]
    document["scales"]["urgency"][0]["label"]["fr"] = "x" * 81
    document["dimensions"][0]["examples"]["es"] = "not a list"
    document["version"]["language"] = "en"

    problems = _problems(dump(document))

    assert len(problems) == 3
    assert problems[0].startswith("$.components[0].name (line")
    assert "the text in the version's language (en) is missing" in problems[0]
    assert "$.dimensions[0].examples.es (line" in problems[1]
    assert "expected a list" in problems[1]
    assert "$.scales.urgency[0].label.fr (line" in problems[2]
    assert "longer than 80 characters" in problems[2]


def test_a_version_language_that_is_not_ours_is_refused():
    document = copy.deepcopy(DEFAULT)
    document["version"]["language"] = "de"

    problems = _problems(dump(document))

    assert any(
        p.startswith("$.version.language (line") and "'de' is not a language" in p for p in problems
    )


@pytest.mark.django_db
def test_an_upload_with_an_unknown_language_changes_nothing(client, fwadmin):
    document = copy.deepcopy(DEFAULT)
    document["version"]["number"] = 7
    document["sections"][0]["title"]["pt"] = "O contexto"
    before = (FrameworkVersion.objects.count(), Section.objects.count())
    client.force_login(fwadmin)
    upload = _file(dump(document))

    response = client.post(reverse("frameworks:import"), {"file": upload})

    assert response.status_code == 400
    assert "$.sections[0].title.pt" in response.content.decode()
    assert (FrameworkVersion.objects.count(), Section.objects.count()) == before


def _file(text: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("lens.yaml", text.encode("utf-8"), content_type="application/yaml")


@pytest.mark.django_db
def test_the_studio_edits_a_translation_and_counts_what_is_translated(client, fwadmin, version):
    draft = version_new_draft(version=version)
    prompt = Prompt.objects.get(section__version=draft, key="context-situation")
    client.force_login(fwadmin)
    url = reverse("frameworks:translate", args=[draft.framework.slug, draft.number, "fr"])

    # Emptied: the French prompt is gone and the count says so.
    response = client.post(url, {"kind": "prompt", "pk": prompt.pk, "text": "", "help": ""})
    assert response.status_code == 302
    edit = client.get(reverse("frameworks:edit", args=[draft.framework.slug, draft.number]))
    total = i18n.translation_progress(_loaded(draft))[0]["total"]
    assert f"French: {total - 2} of {total}" in edit.content.decode()

    response = client.post(
        url, {"kind": "prompt", "pk": prompt.pk, "text": "  Quel lieu, quelle période ?  "}
    )

    assert response.status_code == 302
    prompt.refresh_from_db()
    assert prompt.translations["fr"] == {"text": "Quel lieu, quelle période ?"}
    assert prompt.text == FIRST_PROMPT["en"]  # the default text is untouched
    page = client.get(url).content.decode()
    assert f"French: {total - 1} of {total}" in page
    assert 'lang="fr" dir="ltr">Quel lieu, quelle période ?</textarea>' in page
    arabic = client.get(url.replace("/fr/", "/ar/")).content.decode()
    assert 'dir="rtl"' in arabic


@pytest.mark.django_db
def test_a_translation_too_long_is_refused_on_its_field(client, fwadmin, version):
    draft = version_new_draft(version=version)
    level = draft.scale_levels.get(scale="severity", value=1)
    client.force_login(fwadmin)
    url = reverse("frameworks:translate", args=[draft.framework.slug, draft.number, "es"])

    response = client.post(url, {"kind": "level", "pk": level.pk, "label": "x" * 81})

    assert response.status_code == 400
    assert "longer than 80 characters" in response.content.decode()
    level.refresh_from_db()
    assert level.translations["es"]["label"] == "Mínima"


@pytest.mark.django_db
def test_a_published_version_keeps_its_translations(client, fwadmin, version):
    from frameworks.editing import studio_translate

    prompt = Prompt.objects.get(section__version=version, key="context-situation")
    client.force_login(fwadmin)

    with pytest.raises(FrameworkLocked):
        studio_translate(
            version=version, kind="prompt", pk=prompt.pk, language="fr", data={"text": "Autre"}
        )
    response = client.get(
        reverse("frameworks:translate", args=[version.framework.slug, version.number, "fr"])
    )
    assert response.status_code == 302
    prompt.refresh_from_db()
    assert prompt.translations["fr"]["text"] == FIRST_PROMPT["fr"]


@pytest.mark.django_db
def test_the_version_language_cannot_be_translated_into(client, fwadmin, version):
    draft = version_new_draft(version=version)
    client.force_login(fwadmin)

    for code in ("en", "de"):
        url = reverse("frameworks:translate", args=[draft.framework.slug, draft.number, code])
        assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_the_brief_speaks_the_assessment_language(assessment):
    from assessments.briefs.render import brief_html
    from tests.factories import ComponentTagFactory, ThreatFactory

    threat = ThreatFactory(assessment=assessment, likelihood=5, severity=5)
    component = assessment.framework_version.components.get(key="preventive")
    ComponentTagFactory(threat=threat, component=component)

    with translation.override("es"):
        html, _art = brief_html(assessment)

    assert "Seguridad económica" in html  # the threat's dimension
    assert "Preventiva" in html  # its component tag
    assert "Casi segura" in html  # the likelihood scale of the risk matrix
    assert "fallback-marker" not in html
    assert "Economic security" not in html


@pytest.mark.django_db
def test_the_framework_page_reads_in_arabic(client, practitioner, version):
    client.force_login(practitioner)
    client.cookies["django_language"] = "ar"

    page = client.get(reverse("frameworks:version", args=[version.framework.slug, 1]))

    text = page.content.decode()
    assert "الأمن لمن؟" in text  # a section
    assert "الأمن الغذائي" in text  # a dimension
    assert "<li>الجوع والمجاعة</li>" in text  # one of its examples
    assert "شبه مؤكد" in text  # a scale level
    assert "fallback-marker" not in text


def _english_only(document: dict) -> dict:
    """The document as it was before the translations: each text in English alone."""

    def strip(value):
        if isinstance(value, dict) and "en" in value and set(value) <= {"en", "fr", "es", "ar"}:
            return value["en"]
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items()}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return strip(document)


@pytest.mark.django_db
@pytest.mark.usefixtures("no_frameworks")
def test_a_published_version_without_translations_takes_them_and_nothing_else():
    # An installation seeded before the translations: v1 in English only, published.
    english, _ = framework_import(document=parse(dump(_english_only(DEFAULT))), publish=True)
    assert Prompt.objects.get(key="context-situation").translations == {}

    version, outcome = framework_import(document=parse(DEFAULT_FRAMEWORK.read_bytes()))

    assert (version.pk, outcome) == (english.pk, "translated")
    prompt = Prompt.objects.get(key="context-situation")
    assert prompt.translations["ar"]["text"] == FIRST_PROMPT["ar"]
    assert dump(version_document(_loaded(version))) == DEFAULT_FRAMEWORK.read_text("utf-8")
    # Once there, a translation of a published version is not changed by a file.
    changed = copy.deepcopy(DEFAULT)
    changed["sections"][0]["prompts"][0]["text"]["fr"] = "Autre chose ?"
    with pytest.raises(FrameworkLocked):
        framework_import(document=parse(dump(changed)))
    # Nor is its default text, even alongside new translations.
    reworded = _english_only(DEFAULT)
    reworded["sections"][0]["title"] = {"en": "The setting", "fr": "Le cadre"}
    with pytest.raises(FrameworkLocked):
        framework_import(document=parse(dump(reworded)))
    prompt.refresh_from_db()
    assert prompt.translations["fr"]["text"] == FIRST_PROMPT["fr"]
    assert Section.objects.get(key="context").title == "The context"

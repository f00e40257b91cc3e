"""The catalogues stay complete: every interface string is marked, every marked string is
in the French, Spanish and Arabic catalogues, and every entry there is translated.

After adding or changing a string: `make catalogues`, then translate what it reports."""

from __future__ import annotations

import shutil

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from tests.i18n.unmarked import (
    ROOT,
    python_files,
    python_findings,
    template_findings,
    templates,
)

LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]
PLACEHOLDER = __import__("re").compile(r"%\(\w+\)[sdr]|%[sd]|\{\w*\}")


def catalogue(lang: str, root=ROOT / "locale") -> polib.POFile:
    return polib.pofile(str(root / lang / "LC_MESSAGES" / "django.po"))


def key(entry: polib.POEntry) -> tuple:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_entry_is_translated_and_none_is_fuzzy(lang):
    po = catalogue(lang)
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert (untranslated, fuzzy) == ([], [])
    assert len(po) > 1000


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translations_keep_the_placeholders(lang):
    wrong = []
    for e in catalogue(lang).translated_entries():
        if e.msgid_plural:
            if sorted(PLACEHOLDER.findall(e.msgstr_plural[max(e.msgstr_plural)])) != sorted(
                PLACEHOLDER.findall(e.msgid_plural)
            ):
                wrong.append(e.msgid)
        elif sorted(PLACEHOLDER.findall(e.msgstr)) != sorted(PLACEHOLDER.findall(e.msgid)):
            wrong.append(e.msgid)
    assert wrong == []


def test_arabic_has_its_six_plural_forms():
    po = catalogue("ar")
    assert "nplurals=6" in po.metadata["Plural-Forms"]
    plurals = [e for e in po if e.msgid_plural]
    assert plurals
    assert all(sorted(e.msgstr_plural) == [0, 1, 2, 3, 4, 5] for e in plurals)


def test_every_marked_string_is_in_the_catalogues(tmp_path, monkeypatch):
    """makemessages run afresh (into a copy) finds nothing the committed catalogues lack
    and nothing they hold in vain. It runs in a folder of links to the code, so the only
    catalogues it can see, and write, are the copies."""
    copy = tmp_path / "locale"
    shutil.copytree(ROOT / "locale", copy, ignore=shutil.ignore_patterns("*.mo"))
    source = tmp_path / "source"
    source.mkdir()
    for top in ("assessments", "frameworks", "hsassess", "templates"):
        (source / top).symlink_to(ROOT / top)
    before = {lang: (ROOT / "locale" / lang / "LC_MESSAGES" / "django.po").read_bytes()
              for lang in LANGUAGES}  # fmt: skip
    monkeypatch.chdir(source)
    with override_settings(LOCALE_PATHS=[copy]):
        call_command(
            "makemessages",
            locale=LANGUAGES,
            no_location=True,
            no_obsolete=True,
            symlinks=True,
            verbosity=0,
        )
    for lang in LANGUAGES:
        assert (ROOT / "locale" / lang / "LC_MESSAGES" / "django.po").read_bytes() == before[lang]
        fresh = {key(e) for e in catalogue(lang, copy)}
        committed = {key(e) for e in catalogue(lang)}
        assert (lang, sorted(fresh - committed, key=str)) == (lang, [])
        assert (lang, sorted(committed - fresh, key=str)) == (lang, [])


def test_templates_have_no_unmarked_text():
    found = [f for path in templates() for f in template_findings(path)]
    assert len(templates()) > 50
    assert found == []


def test_python_hands_people_only_marked_strings():
    found = [f for path in python_files() for f in python_findings(path)]
    assert found == []


def test_the_check_itself_sees_unmarked_text(tmp_path):
    """The lint finds what it is for: text and a title outside translate tags, and a
    message string without gettext (so an empty result above means something)."""
    page = tmp_path / "templates" / "page.html"
    page.parent.mkdir()
    page.write_text(
        '{% load i18n %}<p title="Hover text">{% translate "Fine" %} Stray words</p>'
        "{% blocktranslate %}Also fine{% endblocktranslate %}<script>var s = 'code';</script>"
    )
    code = tmp_path / "views.py"
    code.write_text('messages.success(request, "Saved.")\nlogger.warning("for the operator")\n')
    import tests.i18n.unmarked as unmarked

    original = unmarked.ROOT
    unmarked.ROOT = tmp_path
    try:
        assert [f.split(": ", 1)[1] for f in template_findings(page)] == [
            "title='Hover text'",
            "'Stray words'",
        ]
        assert [f.split(": ", 1)[1] for f in python_findings(code)] == ["'Saved.'"]
    finally:
        unmarked.ROOT = original

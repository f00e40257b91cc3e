"""Each main page, as each role, in each interface language: no interface string left in
English. The page's visible text (and the attributes people hear or hover) is compared
with the catalogue: a piece of text that is an English entry whose translation differs
means a string that bypassed the catalogue (evaluated too early, or never marked)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from io import StringIO

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

from assessments.models import Assessment
from tests.factories import (
    AnswerFactory,
    AssessmentFactory,
    PopulationGroupFactory,
    ThreatFactory,
)
from tests.i18n.unmarked import ROOT

pytestmark = pytest.mark.django_db
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]
READ_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label"}
SPACE = re.compile(r"\s+")


class _Text(HTMLParser):
    """Visible text pieces and read attributes, skipping scripts, styles and anything
    marked as written in another language (lang="…"): the analysts' own text and
    framework text shown in its default language carry their own lang."""

    def __init__(self, page_lang: str):
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self._stack: list[tuple[str, bool]] = []
        self.page_lang = page_lang

    def _foreign(self) -> bool:
        return any(foreign for _tag, foreign in self._stack)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        lang = a.get("lang")
        hidden = tag in ("script", "style", "template")
        foreign = hidden or (lang is not None and tag != "html" and lang != self.page_lang)
        if tag not in ("br", "hr", "img", "input", "meta", "link", "col", "wbr", "source"):
            self._stack.append((tag, foreign))
        if not (foreign or self._foreign()):
            self.pieces += [a[k] for k in READ_ATTRIBUTES if a.get(k)]

    def handle_endtag(self, tag):
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                del self._stack[i:]
                break

    def handle_data(self, data):
        if not self._foreign() and data.strip():
            self.pieces.append(data)


def english_left(html: str, lang: str, catalogue: dict[str, str]) -> list[str]:
    parser = _Text(lang)
    parser.feed(html)
    found = []
    for piece in parser.pieces:
        text = SPACE.sub(" ", piece).strip()
        if text in catalogue:
            found.append(text)
    return sorted(set(found))


@pytest.fixture(scope="module")
def catalogues() -> dict[str, dict[str, str]]:
    """Per language: the English entries whose translation is different from them."""
    result = {}
    for lang in LANGUAGES:
        po = polib.pofile(str(ROOT / "locale" / lang / "LC_MESSAGES" / "django.po"))
        # A word that is also some entry's translation ("Media" is Spanish for
        # "Medium") is not English left behind.
        translations = {SPACE.sub(" ", e.msgstr).strip() for e in po.translated_entries()}
        result[lang] = {
            SPACE.sub(" ", e.msgid).strip(): e.msgstr
            for e in po.translated_entries()
            if not e.msgid_plural
            and "%" not in e.msgid
            and e.msgstr.strip() != e.msgid.strip()
            and SPACE.sub(" ", e.msgid).strip() not in translations
        }
    return result


@pytest.fixture
def demo():
    call_command("seed_demo", force=True, stdout=StringIO())
    from assessments.demo.sample import SAMPLE_TITLE

    sample = Assessment.objects.get(title=SAMPLE_TITLE)
    from django.contrib.auth import get_user_model

    users = {u.username: u for u in get_user_model().objects.all()}
    draft = AssessmentFactory(
        title="Draft in progress",
        team=sample.team,
        owner=users["practitioner"],
        framework_version=sample.framework_version,
    )
    group = PopulationGroupFactory(assessment=draft)
    threat = ThreatFactory(assessment=draft)
    threat.affected_groups.add(group)
    AnswerFactory(
        assessment=draft,
        prompt=sample.framework_version.sections.order_by("order").first().prompts.first(),
    )
    return sample, draft, users


def pages_for(role: str, sample, draft) -> list[str]:
    s, d = f"/assessments/{sample.pk}", f"/assessments/{draft.pk}"
    version = sample.framework_version
    framework = f"/frameworks/{version.framework.slug}/v{version.number}/"
    common = ["/", "/assessments/", "/portfolio/", "/early-warning/", "/frameworks/", framework]
    common += ["/assessments/notifications/", "/assessments/notifications/settings/"]
    common += [f"{s}/", f"{s}/threats/", f"{s}/groups/", f"{s}/responses/", f"{s}/sources/"]
    common += [f"{s}/threads/", f"{s}/monitoring/", f"{s}/summary/"]
    if role == "practitioner":
        threat = draft.threats.get()
        return common + [
            "/assessments/new/",
            f"{d}/",
            f"{d}/edit/",
            f"{d}/sections/context/",
            f"{d}/groups/new/",
            f"{d}/threats/new/",
            f"{d}/threats/{threat.pk}/edit/",
            f"{d}/responses/new/",
            f"{d}/sources/new/",
            f"{d}/quotes/new/",
            f"{d}/submit/",
        ]
    if role == "supervisor":
        return common + [f"{s}/review/", f"{s}/changes/"]
    return common + ["/frameworks/import/", "/admin/"]


def test_main_pages_have_no_english_left(client, demo, catalogues):
    """Every language and role in one test: the demo is seeded once (it is the slow part)."""
    sample, draft, users = demo
    left = {}
    for role in ("practitioner", "supervisor", "fwadmin"):
        client.force_login(users[role])
        for lang in LANGUAGES:
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
            for path in pages_for(role, sample, draft):
                response = client.get(path, HTTP_ACCEPT_LANGUAGE=lang)
                if response.status_code != 200:
                    continue
                assert f'lang="{lang}"' in response.text[:300], path
                if found := english_left(response.text, lang, catalogues[lang]):
                    left[f"{lang} {role} {path}"] = found
    assert left == {}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_sign_in_page_has_no_english_left(client, catalogues, lang):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE=lang)
    assert english_left(response.text, lang, catalogues[lang]) == []


def test_the_check_sees_english_left(catalogues):
    html = '<html lang="fr"><p>Threats</p><p lang="en">Threats</p><a title="Dashboard">x</a>'
    assert english_left(html, "fr", catalogues["fr"]) == ["Dashboard", "Threats"]

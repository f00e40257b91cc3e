"""The brief in a language (issue 11): the analysis's by default, any interface language
on request (`?lang=`); headings, dates and numbers in it, the analysts' words as written;
Arabic right to left, in Amiri, shaped; the PDF's /Lang says which.

Headings are compared with gettext of the template's own messages, so the tests hold
before and after the translators fill locale/: a throwaway catalogue (tests/catalogues.py)
makes them really French and Arabic here. Three real renders in all."""

from __future__ import annotations

import datetime
import io

import pikepdf
import pytest
from django.test import override_settings
from django.utils import formats, translation
from django.utils.translation import gettext
from pypdf import PdfReader

from assessments.briefs import render as briefs
from assessments.models import Assessment, Job
from tests.assessments.briefs.shared import page_text
from tests.catalogues import write_catalogue
from tests.factories import AssessmentFactory, MembershipFactory, ThreatFactory, UserFactory

pytestmark = pytest.mark.django_db

ARABIC_TITLE = "النزوح في ولاية بورنو"
ARABIC_POINT = "الجفاف يدفع الأسر إلى النزوح"
ARABIC_THREAT = "الاستيلاء على الأراضي الزراعية"
HEADINGS = ("Key messages", "Key figures", "Top risks", "Top actions", "Security for whom?")
CATALOGUES = {
    "fr": {
        "Key messages": "Messages clés",
        "Key figures": "Chiffres clés",
        "Top risks": "Risques principaux",
        "Top actions": "Actions prioritaires",
        "Security for whom?": "La sécurité pour qui ?",
    },
    "ar": {
        "Key messages": "الرسائل الرئيسية",
        "Key figures": "أرقام رئيسية",
        "Top risks": "أبرز المخاطر",
        "Top actions": "أبرز الإجراءات",
        "Security for whom?": "الأمن لمن؟",
    },
}


@pytest.fixture(scope="module")
def catalogues(tmp_path_factory):
    root = tmp_path_factory.mktemp("locale")
    for language, messages in CATALOGUES.items():
        write_catalogue(root, language, messages)
    from django.conf import settings

    with override_settings(LOCALE_PATHS=[root, *settings.LOCALE_PATHS]):
        yield root


def _assessment(team, owner, version, **fields) -> Assessment:
    a = AssessmentFactory(
        team=team,
        owner=owner,
        framework_version=version,
        period_start=datetime.date(2026, 12, 2),
        period_end=datetime.date(2027, 3, 31),
        **fields,
    )
    dims = {d.key: d for d in version.dimensions.all()}
    ThreatFactory(
        assessment=a,
        title=fields.get("title", "Farmland seizures") + " · T",
        dimension=dims["economic"],
        likelihood=4,
        severity=5,
        urgency=3,
    )
    return a


@pytest.fixture(scope="module")
def arabic(django_db_setup, django_db_blocker, catalogues):
    """An analysis written in Arabic, its brief rendered once (with its HTML)."""
    with django_db_blocker.unblock():
        from django.db import transaction

        from tests.factories import TeamFactory, default_version

        with transaction.atomic():
            team = TeamFactory(name="North", slug="north")
            owner = MembershipFactory(team=team, user=UserFactory(username="pat")).user
            a = _assessment(
                team,
                owner,
                default_version(),
                language="ar",
                title=ARABIC_TITLE,
                key_points=ARABIC_POINT + ".",
            )
            a.threats.update(title=ARABIC_THREAT)
            with translation.override("ar"):
                html, _art = briefs.brief_html(a)
                headings = {msgid: gettext(msgid) for msgid in HEADINGS}
                date = formats.date_format(a.period_start)
            pdf = briefs.render_brief_pdf(assessment=a)
            transaction.set_rollback(True)
    return {"pdf": pdf, "html": html, "headings": headings, "date": date}


def _fonts(pdf: bytes) -> set[str]:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return {
            str(font.BaseFont).split("+")[-1]
            for page in doc.pages
            for font in (page.Resources.get("/Font") or {}).values()
        }


def _lang(pdf: bytes) -> str:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return str(doc.Root.Lang)


def _x_of(pdf: bytes, needle: str) -> float:
    """Where on page 1 (points from the left edge) the text run holding `needle` starts."""
    found = []

    def visit(text, cm, tm, font, size):
        if needle in text:
            found.append(cm[0] * tm[4] + cm[4])

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    assert found, f"{needle!r} not drawn on page 1"
    return found[0]


def test_an_arabic_analysis_gets_an_arabic_brief_with_its_lang(arabic):
    assert _lang(arabic["pdf"]) == "ar"
    assert '<html lang="ar" dir="rtl">' in arabic["html"]


def test_an_arabic_brief_reads_back_in_arabic_headings_and_the_analysts_words(arabic):
    text = page_text(arabic["pdf"])

    for heading in arabic["headings"].values():
        assert heading in text
    assert arabic["headings"]["Key messages"] == "الرسائل الرئيسية"
    # Shaped for the page, extracted as the letters typed: the same words come back.
    assert ARABIC_TITLE in text
    assert ARABIC_POINT in text
    assert ARABIC_THREAT in text
    # The date in Arabic (its digits and the month's name read back in visual order).
    assert arabic["date"] == "2 ديسمبر 2026"
    assert "ديسمبر" in text and "2026" in text


def test_an_arabic_brief_is_set_in_amiri_and_runs_right_to_left(arabic):
    assert {"Amiri", "Amiri-Bold"} <= _fonts(arabic["pdf"])
    # The title starts at the right margin: the page is mirrored.
    a4_width = 595
    assert _x_of(arabic["pdf"], "النزوح") > a4_width / 2


@pytest.fixture
def english(team, practitioner, version):
    return _assessment(team, practitioner, version, title="Borno displacement", language="en")


def test_french_on_request_headings_dates_and_lang(catalogues, login, practitioner, english):
    response = login(practitioner).get(f"/assessments/{english.pk}/brief.pdf", {"lang": "fr"})

    assert response.status_code == 200
    assert "-brief-fr-" in response["Content-Disposition"]
    pdf = response.content
    assert _lang(pdf) == "fr"
    text = page_text(pdf)
    with translation.override("fr"):
        headings = [gettext(msgid) for msgid in HEADINGS]
    assert headings[0] == "Messages clés"
    for heading in headings:
        assert heading in text
    assert "Key messages" not in text
    assert "2 déc. 2026" in text
    # The analysts' words are printed as written.
    assert "Borno displacement" in text
    # The left margin: French reads left to right.
    assert _x_of(pdf, "Borno displacement") < 100


def test_without_lang_the_brief_is_in_the_analysis_language(
    catalogues, login, practitioner, english, fake_render
):
    client = login(practitioner)
    client.cookies["django_language"] = "fr"  # the interface language does not decide

    response = client.get(f"/assessments/{english.pk}/brief.pdf")

    assert response.status_code == 200
    assert fake_render.languages == ["en"]
    assert "-brief-" in response["Content-Disposition"]
    assert "-brief-en-" not in response["Content-Disposition"]


@pytest.mark.parametrize("lang", ["de", "xx", "EN", "fr-ca", "../en"])
def test_an_unknown_language_is_refused_with_a_message(
    login, practitioner, english, fake_render, lang
):
    response = login(practitioner).get(f"/assessments/{english.pk}/brief.pdf", {"lang": lang})

    assert response.status_code == 400
    assert b"Unknown language" in response.content and b"en, fr, es, ar" in response.content
    assert fake_render == []


@pytest.mark.parametrize("page", ["brief.pdf", "summary/", "public-preview/"])
@pytest.mark.parametrize("lang", [None, "en", "fr", "ar", "xx"])
def test_who_cannot_see_the_assessment_gets_404_in_every_language(
    login, other_team, english, fake_render, lang, page
):
    outsider = MembershipFactory(team=other_team, user=UserFactory(username="olga")).user
    query = {"lang": lang} if lang else {}

    response = login(outsider).get(f"/assessments/{english.pk}/{page}", query)

    assert response.status_code == 404
    assert fake_render == []


def _approve(assessment, supervisor) -> None:
    from assessments.review import services as workflow

    workflow.assessment_submit(assessment=assessment, user=assessment.owner)
    with translation.override("fr"):  # the approver's interface is not the brief's
        workflow.assessment_approve(assessment=assessment, user=supervisor)


def test_the_frozen_brief_is_the_analysis_language_and_other_languages_never_get_it(
    login, practitioner, supervisor, english, fake_render
):
    _approve(english, supervisor)
    assert fake_render.languages == ["en"]  # frozen in the analysis's language
    frozen = fake_render.pdfs[0]
    client = login(practitioner)

    default = client.get(f"/assessments/{english.pk}/brief.pdf")
    same = client.get(f"/assessments/{english.pk}/brief.pdf", {"lang": "en"})
    french = client.get(f"/assessments/{english.pk}/brief.pdf", {"lang": "fr"})

    assert default.content == frozen and same.content == frozen
    assert french.status_code == 200
    assert french.content != frozen
    assert fake_render.languages == ["en", "fr"]
    assert "-brief-fr-" in french["Content-Disposition"]


def test_a_background_brief_carries_its_language(
    settings, login, practitioner, english, fake_render
):
    settings.BRIEF_BACKGROUND_THREATS = 0
    client = login(practitioner)

    client.get(f"/assessments/{english.pk}/brief.pdf", {"lang": "ar"})
    client.get(f"/assessments/{english.pk}/brief.pdf")

    jobs = Job.objects.filter(kind=Job.Kind.BRIEF, assessment=english).order_by("pk")
    assert [j.params["language"] for j in jobs] == ["ar", "en"]
    assert fake_render.languages == ["ar", "en"]
    assert "-brief-ar-" in jobs[0].result_name
    assert "-brief-ar-" not in jobs[1].result_name


@pytest.mark.parametrize(
    ("language", "shown"),
    [("en", "2 Dec 2026"), ("fr", "2 déc. 2026"), ("es", "2 dic 2026"), ("ar", "2 ديسمبر 2026")],
)
def test_dates_are_written_as_each_language_writes_them(language, shown):
    with translation.override(language):
        assert formats.date_format(datetime.date(2026, 12, 2)) == shown


def test_the_running_header_and_footer_are_mirrored_right_to_left():
    from assessments.briefs.pageart import PageArt

    ltr = PageArt(title="T", status="S", team="N", draft=False)["page-2.svg"].decode()
    rtl = PageArt(title="T", status="S", team="N", draft=False, rtl=True)["page-2.svg"].decode()

    assert '<text x="15" y="10.5" font-family="DejaVu Sans' in ltr
    assert '<text x="195" y="10.5" text-anchor="end" font-family="Amiri' in rtl
    assert '<text x="15" y="10.5" font-family="Amiri' in rtl  # the status, at the end


@pytest.mark.parametrize("page", ["summary", "public-preview"])
def test_page_one_on_screen_is_in_the_briefs_language_inside_the_persons_page(
    catalogues, login, practitioner, english, page
):
    client = login(practitioner)
    url = f"/assessments/{english.pk}/{page}/"

    default = client.get(url).content.decode()
    french = client.get(url, {"lang": "fr"}).content.decode()
    arabic = client.get(url, {"lang": "ar"}).content.decode()

    assert '<div lang="en" dir="ltr">' in default and "Key messages" in default
    assert '<div lang="fr" dir="ltr">' in french and "Messages clés" in french
    assert '<div lang="ar" dir="rtl">' in arabic and "الرسائل الرئيسية" in arabic
    # The page around it stays in the person's language, and its link keeps the choice.
    assert '<html lang="en"' in french
    assert "lang=fr" in french
    assert client.get(url, {"lang": "xx"}).status_code == 400


def test_in_a_brief_of_another_language_the_analysts_words_keep_theirs(
    arabic, team, practitioner, version
):
    a = _assessment(team, practitioner, version, language="ar", key_points=ARABIC_POINT)
    with translation.override("en"):
        html, _art = briefs.brief_html(a)

    assert '<html lang="en" dir="ltr">' in html
    assert f'<ul class="key-points" lang="ar" dir="rtl"><li>{ARABIC_POINT}</li>' in html
    # In the analysis's own language nothing needs saying.
    assert '<ul class="key-points"><li>' in arabic["html"]

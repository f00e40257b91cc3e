"""The demo's brief, both editions, read back: the demo approved as it ships gives a
restricted and a public edition a supervisor can hand over. Page 1 holds the brief (the
summary page shows the same) and the analysis starts on page 2; the public edition keeps
every threat that touches a group that is not sensitive, keeps the T-numbers, names no
sensitive group and no person anywhere (text or metadata), and is refused, place by
place, while a sensitive name is in its text. The PDF/UA checks are test_brief_pdfua.py.

The two editions are rendered once for the package (conftest.py: `editions`).
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pikepdf
import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assessments.briefs import render as briefs
from assessments.briefs.public import PublicEditionBlocked, public_hits
from assessments.models import Answer, Assessment, PopulationGroup, Response
from tests.assessments.briefs.shared import demo, page_text

pytestmark = pytest.mark.django_db

SENSITIVE = re.compile(r"dawri", re.IGNORECASE)
PEOPLE = ("Pablo", "Chen", "Sofia", "practitioner", "colleague")


def _plant(assessment: Assessment) -> None:
    """What an analyst might write: the sensitive group named in published text."""
    answer = Answer.objects.get(assessment=assessment, prompt__key="whom-groups")
    Answer.objects.filter(pk=answer.pk).update(
        text=answer.text + " Dawri herding families are the most exposed."
    )
    Response.objects.filter(assessment=assessment, title__startswith="Joint host").update(
        actor="Customary elders of host and Dawri communities"
    )


def _numbers(text: str, threats: dict[str, int]) -> dict[str, str]:
    """Threat title -> the number printed before it ("T4 Failing boreholes …")."""
    found = {}
    for title in threats:
        match = re.search(rf"(T\d+) {re.escape(title[:20])}", text)
        if match:
            found[title] = match.group(1)
    return found


# --- page 1 ---------------------------------------------------------------------------------


PAGE_ONE_END = "The four components at a glance"


def _assert_page_one_then_analysis(pdf: bytes) -> None:
    """Page 1 ends with the component strip; the analysis opens page 2."""
    page_one, page_two = page_text(pdf, 0), page_text(pdf, 1)
    assert PAGE_ONE_END in page_one and "Honoured" in page_one.split(PAGE_ONE_END)[1]
    assert "Security for whom?" not in page_one
    assert "Security for whom? Groups in focus" in page_two
    assert PAGE_ONE_END not in page_two and "Top actions" not in page_two


def test_page_one_holds_the_brief(editions):
    page_one = page_text(editions["restricted"], 0)
    approved = timezone.localdate().strftime("%-d %b %Y")

    for part in (
        "Drought and displacement in the Harra border districts (sample)",
        "Ardania (fictional)",
        "1 Mar 2026 – 30 Sep 2026",
        f"As of {approved} · North Field Team · "
        f"Approved on {approved} by a supervisor of North Field Team",
        "Key messages",
        "A third failed rainy season",
        # Key figures: about 72,800 people in 5 groups, 8 threats by band, 6 responses.
        "People in focus Groups Threats Critical High Medium Low Responses (gaps)",
        "about 72,800 5 8 5 3 0 0 6 (2)",
        # The top risks, one line each with the band word and the component tags.
        "T2 Crisis hunger before the lean season Critical Person-centred, Multi-dimensional,",
        "T3 Arbitrary arrest of Dawri men by border security forces Critical",
        # The top actions: who, by when, strategy, threats answered.
        "Top actions",
        "Borehole repair, fuel and latrines before the rains (gap)",
        "Protection T1, T4",
        "Hunger we know; what we fear is the road to the firewood.",
        PAGE_ONE_END,
    ):
        assert part in page_one, part
    assert "DRAFT" not in page_one and "Draft: not approved" not in page_one
    _assert_page_one_then_analysis(editions["restricted"])


def test_page_one_of_the_public_edition_holds_its_brief(editions):
    page_one = page_text(editions["public"], 0)

    for part in (
        "Public edition: 3 items that concern only groups not named here are withheld",
        "Drought and displacement in the Harra border districts (sample)",
        "Approved on",
        # The public key messages, not the restricted ones.
        "turning into violence between host farmers and displaced herders",
        # 4 groups named, 6 threats (the two that concern the sensitive group alone are
        # withheld), 5 responses.
        "about 68,300 4 6",
        "T2 Crisis hunger before the lean season Critical",
        "Borehole repair, fuel and latrines before the rains (gap)",
        PAGE_ONE_END,
    ):
        assert part in page_one, part
    assert "Arbitrary arrest" not in page_one
    _assert_page_one_then_analysis(editions["public"])


class _PageOneText(HTMLParser):
    """The text of the summary partial on screen, one chunk per element."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.chunks: list[str] = []

    def handle_starttag(self, tag, attrs):
        if self.depth or ("class", "page-one") in attrs:
            self.depth += tag not in ("br", "img", "input")

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth and data.strip():
            self.chunks.append("".join(data.split()))


def test_the_summary_page_shows_what_page_one_prints(client, login):
    assessment = demo()

    page = login(assessment.owner).get(reverse("assessments:brief_summary", args=[assessment.pk]))
    pdf = briefs.render_brief_pdf(assessment=assessment)

    assert page.status_code == 200
    parser = _PageOneText()
    parser.feed(page.content.decode())
    printed = "".join(page_text(pdf, 0).split())
    assert len(parser.chunks) > 60
    position = 0
    for chunk in parser.chunks:
        # Every piece of the screen's summary is on page 1, in the same order.
        found = printed.find(chunk, position)
        assert found >= 0, chunk
        position = found + len(chunk)


# --- the public edition -----------------------------------------------------------------------


def test_the_public_edition_keeps_every_threat_a_non_sensitive_group_shares(editions):
    public = page_text(editions["public"])
    sensitive = {name for name, flag in editions["groups"].items() if flag}
    for title, groups in editions["affected"].items():
        number = editions["threats"][title]
        if set(groups) - sensitive:
            # Kept, under the same number as in the restricted edition.
            assert f"T{number} " in public and title[:25] in public, title
        else:
            assert title[:25] not in public, title
    # Crisis hunger (T2) is the top risk and also hits three groups that are not sensitive.
    assert "T2 Crisis hunger before the lean season Critical" in page_text(editions["public"], 0)
    assert "Public edition: 3 items that concern only groups not named here are withheld" in public
    # The responses that serve others stay (6 before: only detention monitoring goes).
    for title in (
        "Joint host-displaced water and grazing committee",
        "Borehole repair, fuel and latrines",
        "General food distribution",
        "Cross-border drought early warning",
    ):
        assert title in public
    assert "No response is recorded" not in public


def test_the_public_edition_keeps_the_restricted_editions_numbers(editions):
    restricted = _numbers(page_text(editions["restricted"]), editions["threats"])
    public = _numbers(page_text(editions["public"]), editions["threats"])

    assert restricted == {title: f"T{n}" for title, n in editions["threats"].items()}
    assert public.items() <= restricted.items()
    assert set(restricted) - set(public) == {
        "Arbitrary arrest of Dawri men by border security forces",
        "Online hate speech against the Dawri ahead of the elections",
    }


def test_the_demo_as_shipped_exports_its_public_edition(editions):
    assert editions["hits"] == []
    assert {"Dawri herding families", "Dawri", "Dawri herders"} <= set(editions["names"])


def test_the_public_edition_names_no_sensitive_group_and_no_person(editions):
    reader = PdfReader(io.BytesIO(editions["public"]))
    text = page_text(editions["public"])
    names = re.compile("|".join(re.escape(n) for n in editions["names"]), re.IGNORECASE)

    assert not SENSITIVE.search(text) and not names.search(text)
    for name in PEOPLE:
        assert name not in text.split(), name
    # The review trail gives roles, not names.
    assert "Submitted · an author" in text
    assert "Approved · a supervisor of North Field Team" in text
    metadata = " ".join(str(v) for v in (reader.metadata or {}).values())
    with pikepdf.open(io.BytesIO(editions["public"])) as pdf:
        xmp = str(pdf.open_metadata())
        bookmarks = str(pdf.open_outline().root)
    for blob in (metadata, xmp):
        assert not SENSITIVE.search(blob)
        assert "North Field Team" in blob  # the author is the team
        assert not any(name in blob for name in PEOPLE)
    assert not SENSITIVE.search(bookmarks)
    # The restricted edition still names them: redaction is the public edition's alone.
    assert SENSITIVE.search(page_text(editions["restricted"]))


def test_every_sensitive_name_in_published_text_blocks_with_its_place():
    assessment = demo()
    _plant(assessment)

    places = {(hit.place, hit.name) for hit in public_hits(assessment)}

    assert places == {
        (
            "Section “Security for whom?”: Which people and communities are most affected, "
            "and where are they?",
            "Dawri herding families",
        ),
        ("Response “Joint host-displaced water and grazing committee”: who acts", "Dawri"),
    }
    # Withheld items (T3, T8, the detention monitoring) name the group but are not
    # published, so they do not block.


def test_the_public_download_is_refused_with_links_to_each_place(client, login):
    assessment = demo()
    _plant(assessment)

    response = login(assessment.owner).get(
        reverse("assessments:brief", args=[assessment.pk]) + "?variant=public"
    )

    assert response.status_code == 409
    page = response.content.decode()
    assert "The public edition cannot be exported yet" in page
    assert reverse("assessments:section", args=[assessment.pk, "whom"]) in page
    committee = Response.objects.get(assessment=assessment, title__startswith="Joint host")
    assert reverse("assessments:response_update", args=[assessment.pk, committee.pk]) in page
    with pytest.raises(PublicEditionBlocked):
        briefs.render_brief_pdf(assessment=assessment, public=True)


def test_an_alias_blocks_and_is_edited_in_the_group_form(client, login):
    assessment = demo()
    _plant(assessment)
    group = PopulationGroup.objects.get(assessment=assessment, sensitive=True)
    url = reverse("assessments:group_update", args=[assessment.pk, group.pk])

    form = login(assessment.owner).get(url).content.decode()

    assert 'name="aliases"' in form
    assert "Dawri herders" in form
    assert any(h.name == "Dawri" for h in public_hits(assessment))  # an alias alone
    PopulationGroup.objects.filter(pk=group.pk).update(aliases="")
    assert not any(h.name.lower() == "dawri" for h in public_hits(assessment))


def test_the_preview_shows_what_is_printed_and_what_is_withheld(client, login):
    assessment = demo()
    _plant(assessment)

    page = login(assessment.owner).get(reverse("assessments:public_preview", args=[assessment.pk]))

    assert page.status_code == 200
    text = page.content.decode()
    withheld = text.split("Withheld from the public edition")[1].split("What the public")[0]
    assert "Dawri herding families" in withheld
    assert "Arbitrary arrest of Dawri men" in withheld
    assert "Independent detention monitoring and legal aid" in withheld
    printed = text.split("What the public edition prints")[1]
    assert "Crisis hunger before the lean season" in printed
    # The group is in no list or table of the edition (the answers that still name it
    # are printed as they stand, and listed above as what blocks the export).
    assert '<th scope="row">Dawri herding families' not in printed
    assert "Arbitrary arrest of Dawri men" not in printed
    assert "The public edition names a sensitive group" in text


def test_the_brief_prints_further_dimensions_groups_served_and_age_ranges(editions):
    restricted = page_text(editions["restricted"])
    public = page_text(editions["public"])

    for text in (restricted, public):
        # T2's primary dimension, then the further ones (heading and register alike).
        assert "Food security (also Economic security, Health security)" in text
        # Ages as ranges, open-ended ones with a plus.
        assert "Age: 0–17" in text and "Age: 18–49" in text and "Age: 60+" in text
        # The boreholes serve two groups, neither sensitive: both are named.
        assert "Displaced women heading households, Older and disabled displaced people" in text

"""The demo's brief, both editions, read back: the demo approved as it ships gives a
restricted and a public edition a supervisor can hand over. Page 1 holds the brief and
the analysis starts on page 2; the public edition keeps every threat that touches a
group that is not sensitive, keeps the T-numbers, names no sensitive group and no person
anywhere (text or metadata), and is refused, place by place, while a sensitive name is
in its text. The file is a tagged PDF whose PDF/UA claim holds: header, footer and
watermark are artifacts, no marked content is orphaned, no heading ends a page (checked
with pikepdf).

A render costs one to two seconds, so the module renders each edition once.
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pikepdf
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assessments.briefs import render as briefs
from assessments.briefs.fetcher import GENERATED_PREFIX, StaticOnlyFetcher
from assessments.briefs.pageart import PageArt
from assessments.briefs.public import PublicEditionBlocked, public_hits
from assessments.demo.seed import seed
from assessments.models import Answer, Assessment, PopulationGroup, Response, Threat
from assessments.review import services as workflow
from tests.assessments.briefs.pdfstructure import marked, pages_ending_in_a_heading, structure

pytestmark = pytest.mark.django_db

SENSITIVE = re.compile(r"dawri", re.IGNORECASE)
PEOPLE = ("Pablo", "Chen", "Sofia", "practitioner", "colleague")


def _demo() -> Assessment:
    seed()
    return Assessment.objects.get(title__endswith="(sample)")


def _plant(assessment: Assessment) -> None:
    """What an analyst might write: the sensitive group named in published text."""
    answer = Answer.objects.get(assessment=assessment, prompt__key="whom-groups")
    Answer.objects.filter(pk=answer.pk).update(
        text=answer.text + " Dawri herding families are the most exposed."
    )
    Response.objects.filter(assessment=assessment, title__startswith="Joint host").update(
        actor="Customary elders of host and Dawri communities"
    )


def _lines(pdf: bytes, page: int | None = None) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    pages = reader.pages if page is None else [reader.pages[page]]
    return " ".join(" ".join(p.extract_text().split()) for p in pages)


def _numbers(text: str, threats: dict[str, int]) -> dict[str, str]:
    """Threat title -> the number printed before it ("T4 Failing boreholes …")."""
    found = {}
    for title in threats:
        match = re.search(rf"(T\d+) {re.escape(title[:20])}", text)
        if match:
            found[title] = match.group(1)
    return found


@pytest.fixture(scope="module")
def editions(django_db_setup, django_db_blocker):
    """The demo as it ships, submitted and approved: the two editions a supervisor
    downloads (rendered as the approval freezes them)."""
    with django_db_blocker.unblock():
        from django.contrib.auth import get_user_model
        from django.db import transaction

        with transaction.atomic():
            assessment = _demo()
            workflow.assessment_submit(assessment=assessment, user=assessment.owner)
            supervisor = get_user_model().objects.get(username="supervisor")
            workflow.assessment_approve(assessment=assessment, user=supervisor)
            assessment.refresh_from_db()
            hits = public_hits(assessment)
            restricted = briefs.render_brief_pdf(assessment=assessment)
            public = briefs.render_brief_pdf(assessment=assessment, public=True)
            threats = {t.title: t for t in Threat.objects.filter(assessment=assessment)}
            groups = {g.name: g.sensitive for g in PopulationGroup.objects.all()}
            affected = {
                t.title: [g.name for g in t.affected_groups.all()] for t in threats.values()
            }
            names = [
                name
                for g in PopulationGroup.objects.filter(assessment=assessment, sensitive=True)
                for name in (g.name, *g.alias_list)
            ]
            transaction.set_rollback(True)
    return {
        "restricted": restricted,
        "public": public,
        "hits": hits,
        "names": names,
        "threats": {title: t.number for title, t in threats.items()},
        "groups": groups,
        "affected": affected,
    }


# --- page 1 ---------------------------------------------------------------------------------


PAGE_ONE_END = "The four components at a glance"


def _assert_page_one_then_analysis(pdf: bytes) -> None:
    """Page 1 ends with the component strip; the analysis opens page 2."""
    page_one, page_two = _lines(pdf, 0), _lines(pdf, 1)
    assert PAGE_ONE_END in page_one and "Honoured" in page_one.split(PAGE_ONE_END)[1]
    assert "Security for whom?" not in page_one
    assert "Security for whom? Groups in focus" in page_two
    assert PAGE_ONE_END not in page_two and "Top actions" not in page_two


def test_page_one_holds_the_brief(editions):
    page_one = _lines(editions["restricted"], 0)
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
    page_one = _lines(editions["public"], 0)

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
    assessment = _demo()

    page = login(assessment.owner).get(reverse("assessments:brief_summary", args=[assessment.pk]))
    pdf = briefs.render_brief_pdf(assessment=assessment)

    assert page.status_code == 200
    parser = _PageOneText()
    parser.feed(page.content.decode())
    printed = "".join(_lines(pdf, 0).split())
    assert len(parser.chunks) > 60
    position = 0
    for chunk in parser.chunks:
        # Every piece of the screen's summary is on page 1, in the same order.
        found = printed.find(chunk, position)
        assert found >= 0, chunk
        position = found + len(chunk)


# --- the public edition -----------------------------------------------------------------------


def test_the_public_edition_keeps_every_threat_a_non_sensitive_group_shares(editions):
    public = _lines(editions["public"])
    sensitive = {name for name, flag in editions["groups"].items() if flag}
    for title, groups in editions["affected"].items():
        number = editions["threats"][title]
        if set(groups) - sensitive:
            # Kept, under the same number as in the restricted edition.
            assert f"T{number} " in public and title[:25] in public, title
        else:
            assert title[:25] not in public, title
    # Crisis hunger (T2) is the top risk and also hits three groups that are not sensitive.
    assert "T2 Crisis hunger before the lean season Critical" in _lines(editions["public"], 0)
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
    restricted = _numbers(_lines(editions["restricted"]), editions["threats"])
    public = _numbers(_lines(editions["public"]), editions["threats"])

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
    text = _lines(editions["public"])
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
    assert SENSITIVE.search(_lines(editions["restricted"]))


def test_every_sensitive_name_in_published_text_blocks_with_its_place():
    assessment = _demo()
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
    assessment = _demo()
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
    assessment = _demo()
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
    assessment = _demo()
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


# --- an honest PDF/UA-1 file -----------------------------------------------------------------


@pytest.mark.parametrize("name", ["restricted", "public"])
def test_no_marked_content_is_orphaned_and_all_text_is_tagged_or_an_artifact(editions, name):
    with pikepdf.open(io.BytesIO(editions[name])) as pdf:
        reachable, _ = structure(pdf)
        mcids = 0
        for page in pdf.pages:
            for op, _operands, stack in marked(page):
                if op in ("BDC",) and stack[-1][1] is not None and stack[-1][1] >= 0:
                    mcids += 1
                    assert (page.objgen, stack[-1][1]) in reachable, "orphaned marked content"
                if op in ("Tj", "TJ", "'", '"'):
                    assert any(tag == "/Artifact" or m is not None for tag, m in stack)
        assert mcids > 100


def _drawn_text(xobject, seen=None) -> tuple[int, int]:
    """(text operators, MCID-marked sequences) in a form XObject and what it draws."""
    seen = set() if seen is None else seen
    if xobject.objgen in seen:
        return 0, 0
    seen.add(xobject.objgen)
    texts = marked = 0
    for operands, operator in pikepdf.parse_content_stream(xobject):
        op = str(operator)
        texts += op in ("Tj", "TJ", "'", '"')
        marked += op == "BDC" and "/MCID" in operands[1]
    resources = xobject.get("/Resources") or {}
    for group in ("/XObject", "/Pattern"):
        for inner in (resources.get(group) or {}).values():
            if isinstance(inner, pikepdf.Stream):
                t, m = _drawn_text(inner, seen)
                texts, marked = texts + t, marked + m
    return texts, marked


def test_header_footer_and_watermark_are_artifacts(editions):
    with pikepdf.open(io.BytesIO(editions["restricted"])) as pdf:
        assert pdf.Root.MarkInfo.Marked
        for page in pdf.pages:
            ops = marked(page)
            # The body text is in the page's own stream, every run tagged (an MCID).
            tagged = [s for op, _o, s in ops if op in ("Tj", "TJ")]
            assert tagged and all(any(m is not None for _t, m in s) for s in tagged)
            # Header, footer and watermark are text drawn by the page background: a
            # form painted inside /Artifact, holding text and no tagged content.
            art = [
                operands[0]
                for op, operands, stack in ops
                if op == "Do" and any(tag == "/Artifact" for tag, _m in stack)
            ]
            drawn = [_drawn_text(page.Resources.XObject[name]) for name in art]
            assert sum(texts for texts, _ in drawn) >= 3  # title, status, page (+ DRAFT)
            assert sum(marked for _, marked in drawn) == 0


def test_the_page_art_holds_the_header_footer_and_watermark():
    art = PageArt(title="A & B <title>", status="DRAFT · Restricted", team="North", draft=True)

    first, second = art["page-1.svg"].decode(), art["page-2.svg"].decode()

    assert "A &amp; B &lt;title&gt;" not in first  # no header on page 1
    assert "A &amp; B &lt;title&gt;" in second and "DRAFT" in second
    # The page number is an image the page's background draws once the pages are counted.
    assert 'href="footer-1.svg"' in first and 'href="footer-2.svg"' in second
    assert "Page 2</text>" in art["footer-2.svg"].decode()  # before layout: no total
    art.total = 7
    assert "Page 2 of 7</text>" in art["footer-2.svg"].decode()
    assert (
        "DRAFT" not in PageArt(title="t", status="s", team="t", draft=False)["page-2.svg"].decode()
    )
    for bad in ("page-0.svg", "page-01.svg", "page-9999.svg", "../page-1.svg", "footer-0.svg"):
        with pytest.raises(KeyError):
            art[bad]


@pytest.mark.parametrize("name", ["restricted", "public"])
def test_every_page_says_page_n_of_m_in_its_footer(editions, name):
    reader = PdfReader(io.BytesIO(editions[name]))
    total = len(reader.pages)

    for n, page in enumerate(reader.pages, start=1):
        assert f"Page {n} of {total}" in page.extract_text()


def test_the_page_background_is_placed_on_the_sheet_not_inside_the_margins():
    """The background image is drawn in sheet coordinates; the page places it from the
    page area, so it is pulled back by the margins (else the footer is off the sheet)."""
    css = (settings.BASE_DIR / "static" / "css" / "brief.css").read_text()
    page = re.search(r"@page \{(.*?)\}", css, re.S).group(1)
    top, right, bottom, left = re.search(r"margin: (\S+) (\S+) (\S+) (\S+);", page).groups()
    assert f"background-position: -{left} -{top};" in page


def test_the_fetcher_serves_generated_assets_by_exact_name_only():
    fetcher = StaticOnlyFetcher()
    fetcher.generated = {"page-1.svg": b"<svg/>"}

    response = fetcher.fetch(GENERATED_PREFIX + "page-1.svg")
    assert response.read() == b"<svg/>"
    assert response.headers["Content-Type"] == "image/svg+xml"
    for url in (
        GENERATED_PREFIX + "page-2.svg",
        GENERATED_PREFIX + "page-1.svg?x=1",
        GENERATED_PREFIX + "../static/css/brief.css",
        GENERATED_PREFIX + "%2e%2e/secret.svg",
        GENERATED_PREFIX + "sub/page-1.svg",
        "https://evil.example/generated/page-1.svg",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 6


def test_no_heading_or_caption_ends_a_page(editions):
    for name in ("restricted", "public"):
        assert pages_ending_in_a_heading(editions[name]) == [], name


def _elements(node, kind: str):
    """Structure elements of one kind under a node of the structure tree."""
    if isinstance(node, pikepdf.Array):
        for kid in node:
            yield from _elements(kid, kind)
    elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
        if str(node.S) == kind:
            yield node
        if node.get("/K") is not None:
            yield from _elements(node.K, kind)


@pytest.mark.parametrize("name", ["restricted", "public"])
def test_every_table_has_header_cells_that_its_cells_point_to(editions, name):
    with pikepdf.open(io.BytesIO(editions[name])) as pdf:
        tables = list(_elements(pdf.Root.StructTreeRoot.K, "/Table"))
        assert len(tables) >= 8  # figures, top risks, actions, strip, groups, register…
        for table in tables:
            assert list(_elements(table.K, "/THead")), "a table without a header row"
            headers = {str(th.ID) for th in _elements(table.K, "/TH")}
            assert headers
            for td in _elements(table.K, "/TD"):
                # A data cell names its header cells (PDF/UA: Headers and IDs).
                named = {str(h) for h in td.A.get("/Headers", [])}
                assert named and named <= headers


@pytest.mark.parametrize("name", ["restricted", "public"])
def test_the_document_says_its_title_language_author_and_date(editions, name):
    with pikepdf.open(io.BytesIO(editions[name])) as pdf:
        assert str(pdf.docinfo["/Title"]).startswith("Drought and displacement")
        assert str(pdf.docinfo["/Author"]) == "North Field Team"
        today = timezone.localdate().strftime("%Y%m%d")
        assert str(pdf.docinfo["/CreationDate"]).startswith(f"D:{today}")
        assert str(pdf.Root.Lang) == "en"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle
        with pdf.open_metadata() as xmp:
            assert xmp.get("pdfuaid:part") == "1"

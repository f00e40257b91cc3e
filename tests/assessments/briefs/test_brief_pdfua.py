"""The demo's brief as a tagged PDF whose PDF/UA-1 claim holds: header, footer and
watermark are artifacts (drawn by the page background, the footer saying "Page N of M"),
no marked content is orphaned, no heading ends a page, tables have header cells, and the
document says its title, language, author and date. Read back with pikepdf and pypdf.
"""

from __future__ import annotations

import io
import re

import pikepdf
import pytest
from django.conf import settings
from django.utils import timezone
from pypdf import PdfReader

from assessments.briefs.fetcher import GENERATED_PREFIX, StaticOnlyFetcher
from assessments.briefs.pageart import PageArt
from tests.assessments.briefs.pdfstructure import marked, pages_ending_in_a_heading, structure

pytestmark = pytest.mark.django_db


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

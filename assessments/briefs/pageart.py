"""The running header, the page number and the DRAFT watermark, drawn as one SVG page
background per page.

Why not margin boxes: WeasyPrint tags their text as structure elements that hang off
nothing (orphaned marked content), and a fixed-position watermark becomes a tagged
paragraph on every page; either breaks the PDF/UA claim. A page background is painted
inside /Artifact marked content, which is what header, footer and watermark are. The
images are made per render and served by the brief's fetcher from memory (fetcher.py),
never from disk or the network.

"Page N of M": a page background is fetched and parsed before layout, when M is not
known yet. So each page's background holds the footer as an SVG <image>, which the
renderer fetches only when it draws the page, after layout; by then the render has set
`total` (render.py). The footer is therefore still part of the artifact background.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from assessments.briefs.fetcher import GENERATED_PREFIX
from assessments.briefs.svgtext import visual

# Pages past this one keep the header and watermark but print no number (a brief this
# long is an annex, and a rule per page costs a little layout time each).
NUMBERED_PAGES = 300
_FONT = 'font-family="DejaVu Sans, sans-serif"'
# Amiri for Arabic, as in static/css/brief.css (DejaVu's Arabic is a fallback, not a book face).
_FONT_RTL = 'font-family="Amiri, DejaVu Sans, sans-serif"'


def _clip(text: str, limit: int) -> str:
    # Control characters are not allowed in XML: the image would not draw at all.
    text = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class PageArt(Mapping):
    """name -> SVG bytes, made when the renderer asks for a page's background."""

    def __init__(self, *, title: str, status: str, team: str, draft: bool, rtl: bool = False):
        # SVG text is drawn a character at a time: Arabic goes in shaped, in visual order.
        self.title = visual(_clip(title, 80))
        self.status = visual(_clip(status, 60))
        self.team = visual(_clip(team, 60))
        self.draft = draft
        self.total: int | None = None  # set once the document is laid out
        # A right-to-left brief mirrors its header and footer: the title and the team
        # where a line starts (the right), the status and the page number where it ends.
        self.rtl = rtl
        self.font = _FONT_RTL if rtl else _FONT

    def _at_start(self, y: float) -> str:
        return f'x="195" y="{y}" text-anchor="end"' if self.rtl else f'x="15" y="{y}"'

    def _at_end(self, y: float) -> str:
        return f'x="15" y="{y}"' if self.rtl else f'x="195" y="{y}" text-anchor="end"'

    def css(self) -> str:
        rules = [f'@page {{ background-image: url("{GENERATED_PREFIX}page-more.svg"); }}']
        rules += [
            f'@page :nth({n}) {{ background-image: url("{GENERATED_PREFIX}page-{n}.svg"); }}'
            for n in range(1, NUMBERED_PAGES + 1)
        ]
        return "\n".join(rules)

    @staticmethod
    def _sheet(parts: list[str]) -> bytes:
        # Sheet coordinates in millimetres: the page background covers the whole sheet.
        head = (
            '<svg xmlns="http://www.w3.org/2000/svg" width="210mm" height="297mm" '
            'viewBox="0 0 210 297">'
        )
        return (head + "".join(parts) + "</svg>").encode("utf-8")

    def _svg(self, number: int | None) -> bytes:
        parts = []
        if self.draft:
            parts.append(
                f'<text x="105" y="165" {self.font} font-size="34" font-weight="bold" '
                'text-anchor="middle" fill="#c80000" fill-opacity="0.13" '
                f'transform="rotate(-35 105 165)">{escape(visual(_("DRAFT")))}</text>'
            )
        if number != 1:  # page 1 carries the title and status in its own text
            parts.append(
                f'<text {self._at_start(10.5)} {self.font} font-size="2.6" fill="#555">'
                f"{escape(self.title)}</text>"
                f'<text {self._at_end(10.5)} {self.font} font-size="2.6" fill="#555">'
                f"{escape(self.status)}</text>"
            )
        parts.append(
            f'<text {self._at_start(290)} {self.font} font-size="2.6" fill="#555">'
            f"{escape(self.team)}</text>"
        )
        if number:
            # Drawn after layout, when the number of pages is known (see the docstring).
            parts.append(
                f'<image x="0" y="0" width="210" height="297" href="footer-{number}.svg"/>'
            )
        return self._sheet(parts)

    def _footer(self, number: int) -> bytes:
        if self.total:
            label = _("Page %(n)s of %(total)s") % {"n": number, "total": self.total}
        else:
            label = _("Page %(n)s") % {"n": number}
        return self._sheet(
            [
                f'<text {self._at_end(290)} {self.font} font-size="2.6" fill="#555">'
                f"{escape(visual(label))}</text>"
            ]
        )

    def __getitem__(self, name: str) -> bytes:
        if name == "page-more.svg":
            return self._svg(None)
        for prefix, make in (("page-", self._svg), ("footer-", self._footer)):
            stem = name.removeprefix(prefix).removesuffix(".svg")
            if name.startswith(prefix) and name.endswith(".svg") and stem.isdigit():
                number = int(stem)
                if 1 <= number <= NUMBERED_PAGES and str(number) == stem:
                    return make(number)
        raise KeyError(name)

    def __iter__(self) -> Iterator[str]:
        yield "page-more.svg"
        yield from (f"page-{n}.svg" for n in range(1, NUMBERED_PAGES + 1))
        yield from (f"footer-{n}.svg" for n in range(1, NUMBERED_PAGES + 1))

    def __len__(self) -> int:
        return 2 * NUMBERED_PAGES + 1

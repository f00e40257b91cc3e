"""What the brief tests share: the demo as it ships, the text of a PDF's pages, and the
demo's two editions rendered once for the whole package (conftest.py)."""

from __future__ import annotations

import io

from pypdf import PdfReader

from assessments.demo.seed import seed
from assessments.models import Assessment


def demo() -> Assessment:
    seed()
    return Assessment.objects.get(title__endswith="(sample)")


def page_text(pdf: bytes, page: int | None = None) -> str:
    """The text of one page (or all), whitespace collapsed."""
    reader = PdfReader(io.BytesIO(pdf))
    pages = reader.pages if page is None else [reader.pages[page]]
    return " ".join(" ".join(p.extract_text().split()) for p in pages)

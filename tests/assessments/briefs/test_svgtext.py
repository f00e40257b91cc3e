"""The page art's text is drawn a character at a time (WeasyPrint's SVG): Arabic goes in
shaped and in visual order, everything else unchanged."""

from __future__ import annotations

import unicodedata

import pytest

from assessments.briefs.pageart import PageArt
from assessments.briefs.svgtext import shape, visual


def _forms(text: str) -> list[str]:
    return [unicodedata.decomposition(c).split(" ")[0] or c for c in text]


@pytest.mark.parametrize("text", ["North", "Page 2 of 13", "Borno · 2025 (draft)", ""])
def test_text_without_arabic_is_unchanged(text):
    assert visual(text) == text


def test_arabic_letters_take_the_form_their_neighbours_call_for():
    # ب joins both ways, ا only to the letter before it: "باب" is initial, final, isolated.
    assert _forms(shape("باب")) == ["<initial>", "<final>", "<isolated>"]
    # Lam-alef is one letter.
    assert shape("لا") == "\ufefb"
    assert unicodedata.normalize("NFKC", shape("النزوح في الشمال")) == "النزوح في الشمال"


def test_a_right_to_left_line_is_given_in_visual_order():
    shown = visual("صفحة 2 من 13")

    # Read from the right: page, 2, of, 13; the numbers keep their own order.
    assert shown.startswith("13 ")
    assert unicodedata.normalize("NFKC", shown) == "13 نم 2 ةحفص"
    # Brackets face the words they hold.
    assert visual("عام (2025)").startswith("(2025)")


def test_a_left_to_right_line_keeps_its_order_with_arabic_words_turned():
    assert unicodedata.normalize("NFKC", visual("Borno: النزوح")) == "Borno: حوزنلا"


def test_the_page_art_draws_an_arabic_title_shaped():
    art = PageArt(title="النزوح في الشمال", status="S", team="N", draft=False, rtl=True)

    svg = art["page-2.svg"].decode()
    assert visual("النزوح في الشمال") in svg
    assert "النزوح" not in svg  # never the unshaped letters, which would draw apart

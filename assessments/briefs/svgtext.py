"""Text for the page art's SVG, which WeasyPrint draws one character at a time: no
shaping and no bidirectional reordering happen there, so Arabic would come out as
isolated letters in reverse. The text is given already shaped (Unicode's Arabic
presentation forms, which Amiri and DejaVu Sans carry) and in visual order, left to right.

Enough of the Unicode bidirectional algorithm for one line of a title, a team's name or
"Page N of M": runs of one direction, neutrals between two runs of the same direction
joining them, the rest taking the line's direction (its first strong character's).
Text without a right-to-left character is returned unchanged."""

from __future__ import annotations

import unicodedata
from functools import cache

RTL = frozenset({"R", "AL"})
LTR_TYPES = frozenset({"L", "EN", "AN"})  # digits read left to right inside Arabic too
FORMS = ("isolated", "final", "initial", "medial")
MIRRORED = str.maketrans("()[]{}<>«»", ")(][}{><»«")


@cache
def _presentation() -> dict[tuple[str, str], str]:
    """(letter or lam-alef pair, form) -> its presentation form, from Unicode's own
    decompositions of the Arabic presentation forms (U+FB50–U+FDFF, U+FE70–U+FEFF)."""
    table = {}
    for code in [*range(0xFB50, 0xFE00), *range(0xFE70, 0xFF00)]:
        char = chr(code)
        tag, _sep, rest = unicodedata.decomposition(char).partition(" ")
        form = tag.strip("<>")
        if form in FORMS and rest:
            base = "".join(chr(int(part, 16)) for part in rest.split())
            table.setdefault((base, form), char)
    return table


def _joins_forward(char: str) -> bool:
    """Does this letter connect to the letter after it (dual-joining, or tatweel)?"""
    return char == "\u0640" or (char, "initial") in _presentation()


def _joins(char: str) -> bool:
    return (
        char == "\u0640"
        or (char, "isolated") in _presentation()
        or (char, "final") in _presentation()
    )


def _transparent(char: str) -> bool:
    return unicodedata.category(char) == "Mn"


def shape(text: str) -> str:
    """Arabic letters replaced by the form their neighbours call for; lam-alef joined."""
    table = _presentation()
    chars = list(text)
    out = []
    i = 0
    while i < len(chars):
        char = chars[i]
        if not _joins(char):
            out.append(char)
            i += 1
            continue
        prev = next((c for c in reversed(chars[:i]) if not _transparent(c)), "")
        joined_before = bool(prev) and _joins_forward(prev)
        pair = char + chars[i + 1] if i + 1 < len(chars) else ""
        if char == "\u0644" and (pair, "isolated") in table:  # lam-alef is one letter
            out.append(table[(pair, "final" if joined_before else "isolated")])
            i += 2
            continue
        following = next((c for c in chars[i + 1 :] if not _transparent(c)), "")
        joined_after = _joins_forward(char) and bool(following) and _joins(following)
        form = {
            (False, False): "isolated",
            (True, False): "final",
            (False, True): "initial",
            (True, True): "medial",
        }[(joined_before, joined_after)]
        out.append(table.get((char, form), table.get((char, "isolated"), char)))
        i += 1
    return "".join(out)


def _direction(char: str) -> str | None:
    kind = unicodedata.bidirectional(char)
    if kind in RTL:
        return "rtl"
    if kind in LTR_TYPES:
        return "ltr"
    return None


def visual(text: str) -> str:
    """One line of text, shaped and in the order it is seen, left to right."""
    if not any(unicodedata.bidirectional(c) in RTL for c in text):
        return text
    text = shape(text)
    directions = [_direction(c) for c in text]
    base = next(d for d in directions if d is not None)
    # Neutrals: the direction of the runs on both sides when they agree, else the line's.
    for i, d in enumerate(directions):
        if d is None:
            before = next((x for x in reversed(directions[:i]) if x is not None), base)
            after = next((x for x in directions[i + 1 :] if x is not None), base)
            directions[i] = before if before == after else base
    runs: list[tuple[str, str]] = []
    for char, d in zip(text, directions, strict=True):
        if runs and runs[-1][0] == d:
            runs[-1] = (d, runs[-1][1] + char)
        else:
            runs.append((d, char))
    shown = [run[::-1].translate(MIRRORED) if d == "rtl" else run for d, run in runs]
    return "".join(reversed(shown) if base == "rtl" else shown)

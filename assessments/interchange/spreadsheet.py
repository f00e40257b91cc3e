"""The threats of an assessment as a spreadsheet (CSV and XLSX), with formula cells
defused.

Spreadsheet programs read a cell whose text starts with = + - @ (or a tab or carriage
return) as a formula, and formulas can fetch URLs or run commands when the file is
opened. Such text gets a leading apostrophe, which every spreadsheet shows as text. The
check looks past what a program may skip or fold first: leading spaces and invisible
characters, and look-alikes of the four signs (full-width ＝ ＋ － ＠, small and
superscript forms, the minus sign and dashes).
"""

from __future__ import annotations

import csv
import io
import unicodedata

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from assessments.content.selectors import AssessmentData
from assessments.interchange.document import export_filename

# After NFKC, which folds full-width, small and superscript forms onto ASCII (and a
# superscript minus onto U+2212), a cell starting with one of these is defused.
FORMULA_SIGNS = frozenset(
    "=+-@"
    "\u2212\u2796\u2795"  # minus sign, heavy minus and plus signs
    "\u2010\u2011\u2012\u2013\u2014\u2015"  # hyphen, dashes, horizontal bar
)
# Characters some programs strip or show nothing for, before the first one they read.
SKIPPED_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_MAX_CELL = 32_767  # characters in one cell, Excel's limit

HEADER = [
    "number",
    "title",
    "dimension",
    "further_dimensions",
    "likelihood",
    "severity",
    "urgency",
    "risk_score",
    "trend",
    "confidence",
    "basis",
    "onset",
    "source_actor",
    "actor_type",
    "affected_groups",
    "components",
    "tag_rationales",
    "indicators",
    "root_causes",
    "sources",
]


def reads_as_formula(text: str) -> bool:
    if text[:1] in ("\t", "\r", "\n"):
        return True
    for char in unicodedata.normalize("NFKC", text):
        if char.isspace() or unicodedata.category(char) in SKIPPED_CATEGORIES:
            continue
        return char in FORMULA_SIGNS
    return False


def _cell(value) -> str:
    """The value as text a spreadsheet shows as text."""
    text = "" if value is None else str(value)
    return "'" + text if reads_as_formula(text) else text


def _rows(data: AssessmentData) -> list[list]:
    """One row per threat, in HEADER's order, values as they are (numbers as numbers)."""
    rows = []
    for t in data.threats:
        tags = list(t.tags.all())
        rows.append(
            [
                t.ref,
                t.title,
                t.dimension.name,
                "; ".join(d.name for d in t.further_dimensions.all()),
                t.likelihood,
                t.severity,
                t.urgency,
                t.risk_score,
                t.trend,
                t.confidence,
                t.basis,
                t.onset,
                t.source_actor,
                t.actor_type,
                "; ".join(g.name for g in t.affected_groups.all()),
                "; ".join(tag.component.key for tag in tags),
                " | ".join(f"{tag.component.key}: {tag.rationale}" for tag in tags),
                "; ".join(i.name for i in t.indicators.all()),
                t.root_causes,
                "; ".join(s.ref for s in t.sources.all()),
            ]
        )
    return rows


def export_threats_csv(data: AssessmentData) -> tuple[str, str, bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for row in _rows(data):
        writer.writerow([_cell(v) for v in row])
    return (
        export_filename(data.assessment, "csv", suffix="-threats"),
        "text/csv; charset=utf-8",
        buffer.getvalue().encode("utf-8"),
    )


def export_threats_xlsx(data: AssessmentData) -> tuple[str, str, bytes]:
    """The same columns and cells as the CSV, numbers kept as numbers."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Threats")
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append([_xlsx_cell(sheet, name, font=bold) for name in HEADER])
    for row in _rows(data):
        sheet.append([_xlsx_cell(sheet, v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return (
        export_filename(data.assessment, "xlsx", suffix="-threats"),
        XLSX_CONTENT_TYPE,
        buffer.getvalue(),
    )


def _xlsx_cell(sheet, value, *, font: Font | None = None) -> WriteOnlyCell:
    if isinstance(value, int | float) and not isinstance(value, bool):
        cell = WriteOnlyCell(sheet, value=value)
    else:
        # XML 1.0 cannot carry most control characters: openpyxl refuses them.
        text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", _cell(value))
        if len(text) > XLSX_MAX_CELL:
            text = text[: XLSX_MAX_CELL - 1] + "…"
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"  # text, whatever it looks like: never a formula
    if font is not None:
        cell.font = font
    return cell

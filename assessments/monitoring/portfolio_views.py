"""The portfolio page and its CSV and XLSX: a person's contexts in rows, dimensions in columns."""

from __future__ import annotations

import csv
import io

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from assessments import permissions
from assessments.access import file_response
from assessments.interchange.spreadsheet import XLSX_CONTENT_TYPE, _cell, _xlsx_cell
from assessments.monitoring.forms import PortfolioFilterForm
from assessments.monitoring.portfolio import Portfolio, portfolio_for, portfolio_scope


def _portfolio(request, *, paged: bool = False) -> tuple[PortfolioFilterForm, Portfolio]:
    user = request.user
    countries = sorted(set(portfolio_scope(user).values_list("country", flat=True)), key=str.lower)
    form = PortfolioFilterForm(
        request.GET or None,
        teams=permissions.teams_for_new_assessment(user),
        countries=countries,
    )
    page = request.GET.get("page", "")
    page = int(page) if paged and page.isdigit() and len(page) < 7 else (1 if paged else None)
    return form, portfolio_for(user, page=page, **form.filters())


def portfolio(request):
    """Supervisors: their teams' contexts; everyone: their own."""
    form, data = _portfolio(request, paged=True)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "assessments/portfolio.html",
        {"form": form, "portfolio": data, "query": query.urlencode()},
    )


def _table(data: Portfolio) -> tuple[list[str], list[list]]:
    """The table both downloads hold: a row per context, its cells in words."""
    header = [
        _("Context"),
        _("Country"),
        _("Area"),
        _("Team"),
        _("Status"),
        _("Period from"),
        _("Period to"),
        _("Assessments in the series"),
        *(name for _key, name in data.dimensions),
        _("Lens check"),
    ]
    rows = []
    for row in data.rows:
        a = row.assessment
        rows.append(
            [
                a.title,
                a.country,
                a.area,
                a.team.name,
                a.get_status_display(),
                a.period_start.isoformat() if a.period_start else "",
                a.period_end.isoformat() if a.period_end else "",
                row.series,
                *(f"{c.word} ({c.count})" if c.count else "" for c in row.cells),
                f"{row.lens_ok}/{row.lens_total}",
            ]
        )
    return header, rows


def _filename(extension: str) -> str:
    return f"portfolio-{timezone.localdate().isoformat()}.{extension}"


def portfolio_csv(request):
    _form, data = _portfolio(request)
    header, rows = _table(data)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(v) for v in row])  # formula-safe text
    return file_response(_filename("csv"), "text/csv; charset=utf-8", out.getvalue().encode())


def portfolio_xlsx(request):
    _form, data = _portfolio(request)
    header, rows = _table(data)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(_("Portfolio")))
    bold = Font(bold=True)
    sheet.append([_xlsx_cell(sheet, name, font=bold) for name in header])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return file_response(_filename("xlsx"), XLSX_CONTENT_TYPE, buffer.getvalue())

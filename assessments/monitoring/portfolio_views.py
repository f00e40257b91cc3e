"""The portfolio page and its CSV: a person's contexts in rows, dimensions in columns."""

from __future__ import annotations

import csv
import io

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import permissions
from assessments.access import file_response
from assessments.interchange.spreadsheet import _cell as _safe
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


def portfolio_csv(request):
    _form, data = _portfolio(request)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
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
    )
    for row in data.rows:
        a = row.assessment
        writer.writerow(
            [
                _safe(a.title),
                _safe(a.country),
                _safe(a.area),
                _safe(a.team.name),
                a.get_status_display(),
                a.period_start.isoformat() if a.period_start else "",
                a.period_end.isoformat() if a.period_end else "",
                row.series,
                *(f"{c.word} ({c.count})" if c.count else "" for c in row.cells),
                f"{row.lens_ok}/{row.lens_total}",
            ]
        )
    name = f"portfolio-{timezone.localdate().isoformat()}.csv"
    return file_response(name, "text/csv; charset=utf-8", out.getvalue().encode("utf-8"))

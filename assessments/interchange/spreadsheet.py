"""The threats of an assessment as a spreadsheet, with formula cells defused."""

from __future__ import annotations

import csv
import io

from assessments.content.selectors import AssessmentData
from assessments.interchange.document import export_filename


def _cell(value) -> str:
    """Spreadsheet programs run cells that start with these as formulas; defuse them."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


CSV_HEADER = [
    "number",
    "title",
    "dimension",
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
]


def export_threats_csv(data: AssessmentData) -> tuple[str, str, bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for t in data.threats:
        tags = list(t.tags.all())
        writer.writerow(
            [
                _cell(v)
                for v in [
                    t.ref,
                    t.title,
                    t.dimension.name,
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
                ]
            ]
        )
    return (
        export_filename(data.assessment, "csv", suffix="-threats"),
        "text/csv; charset=utf-8",
        buffer.getvalue().encode("utf-8"),
    )

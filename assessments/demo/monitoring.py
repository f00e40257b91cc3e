"""The demo's monitoring (issue 14): the sample's baseline, six months earlier, approved,
with readings of which two cross their thresholds (and one is on watch), and the sample
linked to it as its re-assessment, so the board, the deltas and the portfolio show
something at once.

The baseline is the sample document with its period moved back six months, the online
hate speech threat not yet seen (it is new in the sample), two threats rated lower, and
thresholds and readings on four indicators; it goes through the importer and the review
services like any other assessment. Reading dates are relative to the day of seeding.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from assessments.demo.sample import SAMPLE_TITLE, create_sample, sample_document
from assessments.interchange.importer import import_assessment
from assessments.models import Assessment, Team
from assessments.monitoring.reassess import baseline_link
from assessments.review.services import assessment_approve, assessment_submit

BASELINE_TITLE = "Drought and displacement in the Harra border districts (baseline, autumn 2025)"
NEW_SINCE = "Online hate speech against the Dawri ahead of the elections"
LOWER = {  # threat title: the scores six months earlier
    "Cholera outbreak in overcrowded sites": {"likelihood": 2},
    "Violent disputes between host farmers and displaced herders": {"severity": 2},
}
# indicator: (threshold kind, value, days between readings, [(days ago, value)])
MONITORED = {
    "Weekly acute watery diarrhoea cases in the sites": (
        "above",
        "50",
        7,
        [(35, "18"), (28, "24"), (21, "31"), (14, "44"), (7, "58"), (1, "71")],
    ),
    "Sorghum price at Dembel market": (
        "above",
        "400",
        14,
        [(56, "260"), (42, "300"), (28, "350"), (14, "410"), (2, "455")],
    ),
    "Working boreholes and litres per person per day": (
        "below",
        "10",
        30,
        [(60, "14"), (30, "12"), (3, "10.5")],
    ),
    "Confirmed cholera case in either district": ("occurrence", None, 14, [(40, False)]),
}


def _baseline_document(version) -> dict:
    document = sample_document()
    document["framework"] = {"slug": version.framework.slug, "version": version.number}
    head = document["assessment"]
    head.update(title=BASELINE_TITLE, period_start="2025-09-01", period_end="2026-02-28")
    today = timezone.localdate()
    gone = {t["ref"] for t in document["threats"] if t["title"] == NEW_SINCE}
    document["threats"] = [t for t in document["threats"] if t["ref"] not in gone]
    for response in document["responses"]:
        response["threats"] = [ref for ref in response["threats"] if ref not in gone]
    for threat in document["threats"]:
        threat.update(LOWER.get(threat["title"], {}))
        for indicator in threat["indicators"]:
            if indicator["name"] not in MONITORED:
                continue
            kind, value, every, readings = MONITORED[indicator["name"]]
            measure = "occurred" if kind == "occurrence" else "value"
            indicator.update(threshold_kind=kind, threshold_value=value, frequency_days=every)
            indicator["readings"] = [
                {"date": (today - timedelta(days=ago)).isoformat(), measure: v, "note": ""}
                for ago, v in readings
            ]
    return document


def create_baseline(*, version, team: Team, owner, collaborator, supervisor) -> Assessment | None:
    """The approved baseline of the sample, with readings, and the sample linked to it;
    the ones already there are returned unchanged. None when the sample does not fit."""
    sample = create_sample(version=version, team=team, owner=owner, collaborator=collaborator)
    if sample is None:
        return None
    existing = Assessment.objects.filter(team=team, title=BASELINE_TITLE).first()
    if existing is not None:
        return existing
    document = _baseline_document(version)
    document["assessment"]["collaborators"] = []
    baseline = import_assessment(document=document, owner=owner, team=team)
    assessment_submit(assessment=baseline, user=owner)
    baseline = assessment_approve(
        assessment=baseline, user=supervisor, note="Agreed as the baseline for monitoring."
    )
    if sample.title == SAMPLE_TITLE and sample.baseline_id is None:
        baseline_link(assessment=sample, baseline=baseline, user=owner)
    return baseline

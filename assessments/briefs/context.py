"""What the brief says, in both editions: page 1 (the brief a policymaker reads in three
minutes) and the short analysis behind it, with an annex for large registers.

The same context feeds the PDF, the summary page and the public preview, so what the
screen shows is what the paper prints."""

from __future__ import annotations

import re

from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext as _

from assessments.briefs import public as edition
from assessments.content.selectors import (
    BAND_WORDS,
    BANDS,
    AssessmentData,
    by_risk,
    component_dimension_map,
    risk_matrix,
    threat_band,
)
from assessments.evidence.brief import brief_evidence
from assessments.lens import is_serious, lens_check
from assessments.models import Assessment, Response, ReviewEvent
from assessments.review.selectors import review_trail

# Page 1 holds a few lines each: the highest risks and the actions that matter most.
TOP_RISKS = 5
TOP_ACTIONS = 5
# The analysis details the highest risks; the rest are one row of the register.
DETAILED = 5
# Past this many threats the full registers go to the annex and the analysis keeps the
# most serious rows, so a 200-threat brief keeps a short body.
ANNEX_AFTER = 30
REGISTER_IN_BODY = 15
# Early warning in the body: every indicator while there are at most WARNING_ALL of
# them; past that, the serious threats' indicators (at most WARNING_IN_BODY rows), and
# the annex lists them all.
WARNING_ALL = 30
WARNING_IN_BODY = 12
# A group's row names at most this many threats (its most serious); the rest are counted.
GROUP_THREATS = 10

STATUS_ORDER = {Response.Status.GAP: 0, Response.Status.RECOMMENDED: 1, Response.Status.EXISTING: 2}
NARRATIVE_SKIPPED = {"reflexive", "sources"}  # sections with a part of their own
PLACED_PROMPTS = {edition.OWN_ACCOUNT, edition.INTERACTIONS, edition.DO_NO_HARM}
QUOTE = re.compile(r"[\"“]([^\"”]{12,300})[\"”]")


def _answers_of(data: AssessmentData, section) -> list[str]:
    texts = []
    for prompt in section.prompts.all():
        answer = data.answers.get(prompt.pk)
        if prompt.key not in PLACED_PROMPTS and answer and answer.text.strip():
            texts.append(answer.text.strip())
    return texts


def _narrative(data: AssessmentData) -> list[dict]:
    return [
        {"section": s, "paragraphs": paragraphs}
        for s in data.sections
        if s.key not in NARRATIVE_SKIPPED and (paragraphs := _answers_of(data, s))
    ]


def _section(data: AssessmentData, key: str) -> list[dict]:
    """The answered prompts of one section (reflexive note, sources), prompt and text."""
    rows = []
    for s in data.sections:
        if s.key == key:
            for prompt in s.prompts.all():
                answer = data.answers.get(prompt.pk)
                if answer and answer.text.strip():
                    rows.append({"prompt": prompt, "text": answer.text.strip()})
    return rows


def _approval(assessment: Assessment, events: list) -> ReviewEvent | None:
    if assessment.status != Assessment.Status.APPROVED:
        return None
    approvals = [e for e in events if e.kind == ReviewEvent.Kind.APPROVED]
    return approvals[-1] if approvals else None


def _role(event: ReviewEvent, assessment: Assessment) -> str:
    """A role instead of a name (the public edition names nobody)."""
    if event.kind in (ReviewEvent.Kind.SUBMITTED,):
        return _("an author")
    return _("a supervisor of %(team)s") % {"team": assessment.team.name}


def _figures(data: AssessmentData, bands: dict) -> dict:
    sizes = [g.estimated_size for g in data.groups if g.estimated_size]
    return {
        "people": sum(sizes) if sizes else None,
        "groups": len(data.groups),
        "threats": len(data.threats),
        "bands": [
            {"band": b, "word": BAND_WORDS[b], "n": sum(1 for v in bands.values() if v == b)}
            for b in BANDS
        ],
        "responses": len(data.responses),
        "gaps": sum(1 for r in data.responses if r.status == Response.Status.GAP),
    }


def _actions(data: AssessmentData, public: bool) -> list:
    """Responses that act on the highest risks first; gaps and recommendations before
    what already exists."""

    def threats_of(r):
        return r.public_threats if public else list(r.threats.all())

    def weight(r):
        scores = [t.risk_score for t in threats_of(r)]
        return (STATUS_ORDER.get(r.status, 3), -max(scores or [0]), r.title)

    return sorted(data.responses, key=weight)


def _strip(data: AssessmentData, lens) -> list[dict]:
    tagged = {c.pk: 0 for c in data.components}
    for t in data.threats:
        for tag in t.tags.all():
            tagged[tag.component_id] = tagged.get(tag.component_id, 0) + 1
    by_key = {c.key: c for c in data.components}
    return [
        {
            "check": check,
            "tagged": tagged.get(by_key[check.key].pk, 0) if check.key in by_key else 0,
        }
        for check in lens
    ]


def _quote(text: str) -> str:
    match = QUOTE.search(text or "")
    return match.group(1).strip() if match else ""


def _text_attributes(assessment: Assessment) -> str:
    """The analysts' long texts keep their own language and direction in a brief printed
    in another (an Arabic analysis's paragraphs stay right to left in a French brief)."""
    if translation.get_language() == assessment.language:
        return ""
    bidi = translation.get_language_info(assessment.language)["bidi"]
    return format_html(' lang="{}" dir="{}"', assessment.language, "rtl" if bidi else "ltr")


def brief_context(assessment: Assessment, *, public: bool = False) -> dict:
    """Everything both editions print. The public edition is redacted first: sensitive
    groups out of every list, what concerns them alone withheld and counted."""
    data = AssessmentData(assessment)
    withheld = edition.redact(data) if public else None
    for t in data.threats:
        t.band = threat_band(data, t)
        t.band_word = BAND_WORDS[t.band]
        if not public:
            t.public_groups = list(t.affected_groups.all())
    for r in data.responses:
        if not public:
            r.public_threats = sorted(r.threats.all(), key=lambda t: t.number)
            r.public_groups = list(r.groups.all())
        else:
            r.public_threats = sorted(r.public_threats, key=lambda t: t.number)
    ranked = by_risk(data.threats)
    bands = {t.pk: t.band for t in data.threats}
    threats_of_group = {g.pk: [] for g in data.groups}
    for t in sorted(data.threats, key=lambda t: t.number):
        for g in t.public_groups:
            threats_of_group.setdefault(g.pk, []).append(t)
    for g in data.groups:
        threats = threats_of_group.get(g.pk, [])
        if len(threats) > GROUP_THREATS:
            threats = sorted(by_risk(threats)[:GROUP_THREATS], key=lambda t: t.number)
        g.brief_threats = threats
        g.brief_more = len(threats_of_group.get(g.pk, [])) - len(threats)
    # The brief's trail shows the decisions; comments are working notes.
    events = list(review_trail(assessment).exclude(kind=ReviewEvent.Kind.COMMENTED))
    approval = _approval(assessment, events)
    for e in events:
        e.role = _role(e, assessment)
    lens = lens_check(data)
    serious = [t for t in ranked if is_serious(data, t)]
    indicator_rows = [(t, i) for t in ranked for i in t.indicators.all()]
    if len(indicator_rows) <= WARNING_ALL:
        body_warning = indicator_rows
    else:
        body_warning = [(t, i) for t, i in indicator_rows if is_serious(data, t)]
        body_warning = body_warning[:WARNING_IN_BODY]
    annex = len(data.threats) > ANNEX_AFTER or len(body_warning) < len(indicator_rows)
    if public:
        key_points = assessment.public_key_point_list or assessment.key_point_list
    else:
        key_points = assessment.key_point_list
    actions = _actions(data, public)
    long_register = len(data.threats) > ANNEX_AFTER
    by_number = sorted(ranked, key=lambda t: t.number)
    generated = timezone.now()
    return {
        "assessment": assessment,
        "data": data,
        "public": public,
        "withheld": withheld,
        "draft": assessment.status != Assessment.Status.APPROVED,
        "approval": approval,
        "as_of": assessment.approved_at if approval else assessment.updated_at,
        "key_points": key_points,
        "figures": _figures(data, bands),
        "top_risks": ranked[:TOP_RISKS],
        "top_actions": actions[:TOP_ACTIONS],
        "quote": _quote(data.answer_text(edition.OWN_ACCOUNT)),
        "strip": _strip(data, lens),
        "lens": lens,
        "matrix": risk_matrix(data),
        "cdmap": component_dimension_map(data),
        "detailed": ranked[:DETAILED],
        "register": ranked[:REGISTER_IN_BODY] if long_register else by_number,
        "long_register": long_register,
        "annex": annex,
        "annex_register": by_number if long_register else [],
        "annex_warning": indicator_rows if annex else [],
        "serious_count": len(serious),
        "early_warning": body_warning,
        "responses": sorted(data.responses, key=lambda r: (r.strategy, r.title)),
        "own_account": data.answer_text(edition.OWN_ACCOUNT),
        "interactions": data.answer_text(edition.INTERACTIONS),
        "do_no_harm": data.answer_text(edition.DO_NO_HARM),
        "narrative": _narrative(data),
        "reflexive": _section(data, "reflexive"),
        "sources": _section(data, "sources"),
        "events": events,
        "author_line": assessment.team.name,
        "generated_at": generated,
        "text_attrs": _text_attributes(assessment),
        **brief_evidence(data, public=public),  # citations, sources, quotes: evidence/brief.py
    }

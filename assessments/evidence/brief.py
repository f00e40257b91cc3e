"""The evidence in the brief: numbered citations after threats and responses, the
numbered source list with grades, and one or two quotes in people's own words.

A citation's number is the source's own (S3 is [3]) in both editions, so the public
edition, which omits sensitive sources, renumbers nothing: a reader comparing the two
finds the same [3]. Quotes appear only with consent for publication, in both editions;
the public edition also leaves out quotes of groups it does not name.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.evidence.selectors import evidence_of

QUOTES_IN_BRIEF = 2


def shown_sources(data, *, public: bool) -> list:
    return [s for s in evidence_of(data).sources if not (public and s.sensitive)]


def shown_quotes(data, *, public: bool) -> list:
    """Quotes given for publication, of groups this edition names (call after redact())."""
    named = {g.pk for g in data.groups}
    return [
        q for q in evidence_of(data).quotes if q.publishable and (not public or q.group_id in named)
    ][:QUOTES_IN_BRIEF]


def brief_evidence(data, *, public: bool) -> dict:
    """What the brief's templates read: `t.cites` and `r.cites` (numbers) on each threat and
    response, the sources to list, the quotes, and how many sources are left out."""
    ev = evidence_of(data)
    sources = shown_sources(data, public=public)
    shown = {s.pk for s in sources}
    for t in data.threats:
        t.cites = [s.number for s in ev.threat_sources.get(t.pk, []) if s.pk in shown]
    for r in data.responses:
        r.cites = [s.number for s in ev.response_sources.get(r.pk, []) if s.pk in shown]
    return {
        "evidence_sources": sources,
        "evidence_quotes": shown_quotes(data, public=public),
        "sources_withheld": len(ev.sources) - len(sources),
    }


def published_evidence_texts(data):
    """(place, url, text) of the evidence the public edition prints, for its sensitive-name
    check (call after redact())."""
    pk = data.assessment.pk
    for s in shown_sources(data, public=True):
        url = reverse("assessments:source_update", args=[pk, s.pk])
        for name in ("title", "author", "citation"):
            label = s._meta.get_field(name).verbose_name
            yield _("Source %(n)s: %(f)s") % {"n": s.ref, "f": label}, url, getattr(s, name)
    for q in shown_quotes(data, public=True):
        url = reverse("assessments:quote_update", args=[pk, q.pk])
        yield _("Quote “%(q)s”") % {"q": q}, url, f"{q.text}\n{q.translation}"

"""The public edition: it redacts references to sensitive groups, not the crisis.

A threat or response that also concerns a group that is not sensitive stays, with the
sensitive groups taken out of its lists; only what concerns sensitive groups alone is
withheld, and the edition says how much. Threat numbers are never changed (T5 stays T5).

Names are the other leak: a sensitive group's name, or one of the other names the analyst
gives it, in any text the edition would print blocks the export. `public_hits` lists each
hit with the place to fix it; `render_brief_pdf(public=True)` refuses while there is one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.content.selectors import AssessmentData
from assessments.evidence.brief import published_evidence_texts
from frameworks.i18n import text as fw_text

# Prompts the brief prints outside the context narrative, by key.
OWN_ACCOUNT = "whom-own-account"
INTERACTIONS = "what-interactions"
DO_NO_HARM = "means-do-no-harm"


@dataclass
class Withheld:
    groups: list = field(default_factory=list)
    threats: list = field(default_factory=list)
    responses: list = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.threats) + len(self.responses)


class PublicEditionBlocked(Exception):
    """A sensitive name appears in text the public edition would print."""

    def __init__(self, hits: list[Hit]):
        super().__init__(f"{len(hits)} sensitive name(s) in text the public edition would print")
        self.hits = hits


@dataclass(frozen=True)
class Hit:
    place: str  # where, in words: "Threat T4, description"
    url: str  # the form where it is fixed
    name: str  # the name or other name found


def redact(data: AssessmentData) -> Withheld:
    """Take sensitive groups out of `data` in place; return what was left out.

    Each kept threat and response gets `public_groups` (and a response `public_threats`):
    its lists without the sensitive groups and withheld threats (the templates print
    those)."""
    sensitive = {g.pk for g in data.groups if g.sensitive}
    withheld = Withheld(groups=[g for g in data.groups if g.pk in sensitive])
    data.groups = [g for g in data.groups if g.pk not in sensitive]
    kept_threats = []
    for t in data.threats:
        groups = list(t.affected_groups.all())
        shown = [g for g in groups if g.pk not in sensitive]
        if groups and not shown:
            withheld.threats.append(t)
            continue
        t.public_groups = shown
        kept_threats.append(t)
    data.threats = kept_threats
    kept = {t.pk for t in kept_threats}
    kept_responses = []
    for r in data.responses:
        threats = list(r.threats.all())
        shown = [t for t in threats if t.pk in kept]
        groups = list(r.groups.all())
        named = [g for g in groups if g.pk not in sensitive]
        # A response serving ANY group that is not sensitive stays, with the sensitive
        # ones taken out of its list; one that serves only sensitive groups (or names no
        # group) stays only while a threat it addresses is in the edition.
        serves_only_sensitive = bool(groups) and not named
        if not named and ((threats and not shown) or (serves_only_sensitive and not threats)):
            withheld.responses.append(r)
            continue
        r.public_threats = shown
        r.public_groups = named
        kept_responses.append(r)
    data.responses = kept_responses
    return withheld


def sensitive_names(data: AssessmentData) -> list[str]:
    names = []
    for g in data.groups:
        if g.sensitive:
            names.extend([g.name.strip(), *g.alias_list])
    return [n for n in dict.fromkeys(names) if n]


def _pattern(names: list[str]) -> re.Pattern | None:
    if not names:
        return None
    # Longest first, whole words only: "Dawri" must not match inside "Dawrit".
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<!\w)({alternatives})(?!\w)", re.IGNORECASE)


def published_texts(data: AssessmentData, public_key_points: bool = True):
    """(place, url, text) for every free text the public edition prints, after redact()."""
    a = data.assessment
    pk = a.pk
    context_url = reverse("assessments:edit", args=[pk])
    for name in ("title", "country", "area", "population_focus"):
        yield (
            _("Context: %(field)s") % {"field": a._meta.get_field(name).verbose_name},
            (context_url),
            getattr(a, name),
        )
    if a.public_key_points.strip():
        yield _("Public key messages"), context_url, a.public_key_points
    elif public_key_points:
        yield _("Key points (no public key messages are written)"), context_url, a.key_points
    for section in data.sections:
        url = reverse("assessments:section", args=[pk, section.key])
        for prompt in section.prompts.all():
            answer = data.answers.get(prompt.pk)
            if answer and answer.text.strip():
                yield (
                    _("Section “%(s)s”: %(p)s")
                    % {
                        "s": fw_text(section, "title")[0],
                        "p": fw_text(prompt, "text")[0],
                    },
                    (url),
                    answer.text,
                )
    for g in data.groups:
        url = reverse("assessments:group_update", args=[pk, g.pk])
        for name in ("name", "description", "ethnicity", "religion", "other_characteristics"):
            label = g._meta.get_field(name).verbose_name
            yield _("Group “%(g)s”: %(f)s") % {"g": g.name, "f": label}, url, getattr(g, name)
    for t in data.threats:
        url = reverse("assessments:threat_update", args=[pk, t.pk])
        for name in ("title", "description", "source_actor", "root_causes"):
            label = t._meta.get_field(name).verbose_name
            yield _("Threat %(n)s: %(f)s") % {"n": t.ref, "f": label}, url, getattr(t, name)
        for tag in t.tags.all():
            yield (
                _("Threat %(n)s: rationale for %(c)s")
                % {
                    "n": t.ref,
                    "c": fw_text(tag.component, "name")[0],
                },
                url,
                tag.rationale,
            )
        for i in t.indicators.all():
            for name in ("name", "baseline", "threshold", "source", "frequency"):
                label = i._meta.get_field(name).verbose_name
                yield (
                    _("Threat %(n)s: indicator “%(i)s”, %(f)s")
                    % {
                        "n": t.ref,
                        "i": i.name,
                        "f": label,
                    },
                    url,
                    getattr(i, name),
                )
    for r in data.responses:
        url = reverse("assessments:response_update", args=[pk, r.pk])
        for name in ("title", "description", "actor", "timeframe", "do_no_harm_risk"):
            label = r._meta.get_field(name).verbose_name
            yield _("Response “%(r)s”: %(f)s") % {"r": r.title, "f": label}, url, getattr(r, name)
    yield from published_evidence_texts(data)  # sources and quotes: evidence/brief.py


def find_hits(data: AssessmentData, names: list[str]) -> list[Hit]:
    """Every sensitive name in the text the public edition prints (call after redact())."""
    pattern = _pattern(names)
    if pattern is None:
        return []
    hits = []
    for place, url, text in published_texts(data):
        for match in dict.fromkeys(m.group(1) for m in pattern.finditer(text or "")):
            hits.append(Hit(place=str(place), url=url, name=match))
    return hits


def public_hits(assessment) -> list[Hit]:
    """What blocks the public edition of an assessment now (empty: it may be exported)."""
    data = AssessmentData(assessment)
    names = sensitive_names(data)
    redact(data)
    return find_hits(data, names)

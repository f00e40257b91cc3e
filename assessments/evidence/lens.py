"""What the lens check asks of the evidence (issue 10): people's own words from a group
the threats affect (person-centred), and a cited source for every serious threat, which
is otherwise "unsupported" (context-specific: the claim rests on this context's evidence).
Called from assessments/lens.py, with its ComponentCheck and link helper."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.evidence.selectors import evidence_of


def affected_groups(data) -> set[int]:
    """Ids of the groups some threat affects; every group when no threat names one."""
    affected = {g.pk for t in data.threats for g in t.affected_groups.all()}
    return affected or {g.pk for g in data.groups}


def quote_from_affected_group(data, check, url) -> None:
    if not data.groups:
        return  # "no group defined" is the gap already
    wanted = affected_groups(data)
    quoted = {q.group_id for q in evidence_of(data).quotes}
    check.require(
        bool(wanted & quoted),
        _("No quote gives the own words of a group the threats affect."),
        url("quote_create"),
    )


def serious_threats_cite_sources(data, check, url, is_serious) -> None:
    """One finding for all unsupported serious threats (by number), so that a long
    register gives one line in the check and in the brief, not one per threat."""
    evidence = evidence_of(data)
    unsupported = sorted(
        (t for t in data.threats if is_serious(data, t) and not evidence.cited_by_threat(t)),
        key=lambda t: t.number,
    )
    if len(unsupported) == 1:
        threat = unsupported[0]
        text = _("Serious threat %(ref)s “%(title)s” is unsupported: it cites no source.") % {
            "ref": threat.ref,
            "title": threat.title,
        }
    else:
        text = ngettext(
            "%(count)d serious threat is unsupported (it cites no source): %(refs)s.",
            "%(count)d serious threats are unsupported (they cite no source): %(refs)s.",
            len(unsupported),
        ) % {"count": len(unsupported), "refs": ", ".join(t.ref for t in unsupported)}
    check.require(
        not unsupported, text, url("threat_update", unsupported[0].pk) if unsupported else ""
    )

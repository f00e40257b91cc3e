"""What the lens check asks of the evidence (issue 10): people's own words from a group
the threats affect (person-centred), and a cited source for every serious threat, which
is otherwise "unsupported" (context-specific: the claim rests on this context's evidence).
Called from assessments/lens.py, with its ComponentCheck and link helper."""

from __future__ import annotations

from django.utils.translation import gettext as _

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
    evidence = evidence_of(data)
    for threat in data.threats:
        if not is_serious(data, threat):
            continue
        check.require(
            bool(evidence.cited_by_threat(threat)),
            _("Serious threat “%(title)s” is unsupported: it cites no source.")
            % {"title": threat.title},
            url("threat_update", threat.pk),
        )

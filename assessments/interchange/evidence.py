"""Sources, quotes and citations in export.json, and their import.

In the document: "sources" (each with its ref, S1 …, and its file as a reference: name,
type, size and SHA-256, never the bytes), "quotes" (group by name, source by ref, threats
by ref), and a "sources" list of refs on each threat, indicator, response and answer that
cites any. A document without evidence has none of these keys, as before.

The import writes them through the evidence services after the rest, then the citations.
Files do not travel: each source that had one is imported without it, its name and digest
kept, and the import lists them (`missing_files`) so the person can attach them again.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _

from assessments import fields
from assessments.evidence.selectors import evidence_of
from assessments.evidence.services import citations_set, quote_save, source_save
from assessments.models import Answer

SOURCE_FIELDS = fields.SOURCE
# Its text, language, translation and consent; group, source and threats go by key.
QUOTE_FIELDS = tuple(f for f in fields.QUOTE if f not in ("group", "source", "threats"))
_TEXT = (str,)
_SHAPES = {
    "sources": {
        **dict.fromkeys(("ref", "kind", "title", "author", "citation", "reliability"), _TEXT),
        "date": (str, type(None)),
        "credibility": (int,),
        "sensitive": (bool,),
        "file": (dict, type(None)),
    },
    "quotes": {
        **dict.fromkeys(("text", "language", "translation", "consent"), _TEXT),
        "group": (str, type(None)),
        "source": (str, type(None)),
        "threats": (list,),
    },
}


def _refs(sources) -> list[str]:
    return [s.ref for s in sorted(sources, key=lambda s: s.number)]


def add_evidence(document: dict[str, Any], data) -> None:
    """Add the evidence of `data` (AssessmentData) to its export document."""
    ev = evidence_of(data)
    if not ev.sources and not ev.quotes:
        return
    document["sources"] = [
        {
            "ref": s.ref,
            **{f: getattr(s, f) for f in SOURCE_FIELDS if f != "date"},
            "date": s.date.isoformat() if s.date else None,
            "file": (
                {
                    "name": s.file_name,
                    "type": s.file_type,
                    "size": s.file_size,
                    "sha256": s.file_sha256,
                }
                if s.file_sha256
                else None
            ),
        }
        for s in ev.sources
    ]
    document["quotes"] = [
        {
            **{f: getattr(q, f) for f in QUOTE_FIELDS},
            "group": q.group.name if q.group else None,
            "source": q.source.ref if q.source else None,
            "threats": sorted(t.ref for t in q.threats.all()),
        }
        for q in ev.quotes
    ]
    for item, threat in zip(document["threats"], data.threats, strict=True):
        _cite(item, ev.threat_sources.get(threat.pk))
        for row, indicator in zip(item["indicators"], threat.indicators.all(), strict=True):
            _cite(row, ev.indicator_sources.get(indicator.pk))
    for item, response in zip(document["responses"], data.responses, strict=True):
        _cite(item, ev.response_sources.get(response.pk))
    answers = {(a.prompt.section.key, a.prompt.key): a for a in _answers(data)}
    for item in document["answers"]:
        answer = answers.get((item["section"], item["prompt"]))
        if answer is not None:
            _cite(item, ev.answer_sources.get(answer.pk))


def _answers(data) -> list[Answer]:
    prompts = {p.pk: p for s in data.sections for p in s.prompts.all()}
    found = []
    for prompt_id, answer in data.answers.items():
        if prompt_id in prompts:
            answer.prompt = prompts[prompt_id]
            found.append(answer)
    return found


def _cite(item: dict, sources) -> None:
    if sources:
        item["sources"] = _refs(sources)


# --- import ------------------------------------------------------------------------------


def shape_problems(document: dict) -> list[str]:
    problems = []
    for key, shape in _SHAPES.items():
        items = document.get(key, [])
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            problems.append(_("%(k)s: expected a list of objects") % {"k": key})
            continue
        for i, item in enumerate(items):
            for name, kinds in shape.items():
                value = item.get(name)
                if name in item and (
                    not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds)
                ):
                    problems.append(
                        _("%(k)s[%(i)d].%(f)s: wrong type") % {"k": key, "i": i, "f": name}
                    )
    for key in ("threats", "responses", "answers"):
        for i, item in enumerate(document.get(key) or []):
            rows = [(f"{key}[{i}]", item)]
            if key == "threats" and isinstance(item, dict):
                rows += [
                    (f"threats[{i}].indicators[{j}]", row)
                    for j, row in enumerate(item.get("indicators") or [])
                ]
            for path, row in rows:
                cited = row.get("sources", []) if isinstance(row, dict) else []
                if not isinstance(cited, list) or not all(isinstance(r, str) for r in cited):
                    problems.append(_("%(p)s.sources: expected a list of text") % {"p": path})
    return problems


def _number(ref: Any) -> int | None:
    match = re.fullmatch(r"S([1-9][0-9]{0,8})", ref) if isinstance(ref, str) else None
    return int(match.group(1)) if match else None


def import_evidence(job, assessment) -> list[dict]:
    """Write the document's sources, quotes and citations into `assessment` through the
    services; problems go to `job.problems` (the import then writes nothing). Returns the
    files the document refers to and this instance does not have."""
    doc = job.document
    shape = shape_problems(doc)
    if shape:
        job.problems.extend(shape)
        return []
    user, missing, sources = job.owner, [], {}
    for i, s in enumerate(doc.get("sources") or []):
        values = {f: s[f] for f in SOURCE_FIELDS if f in s}
        if s.get("date"):
            values["date"] = s["date"]
        file = s.get("file") or {}
        if file:
            values.update(
                file_name=str(file.get("name") or "")[:200],
                file_type=str(file.get("type") or "")[:60],
                file_sha256=str(file.get("sha256") or "")[:64],
                file_size=file.get("size") if isinstance(file.get("size"), int) else None,
            )
            missing.append({"source": s.get("ref"), **file})
        saved = job._call(
            f"sources[{i}]",
            source_save,
            assessment=assessment,
            user=user,
            number=_number(s.get("ref")),
            **values,
        )
        if saved is not None:
            sources.setdefault(s.get("ref"), saved)
    groups = {g.name: g for g in assessment.groups.all()}
    # Every threat of the document was written, in its order, or the import fails anyway.
    saved_threats = list(assessment.threats.order_by("id"))
    refs = {
        t.get("ref"): threat
        for t, threat in zip(doc.get("threats") or [], saved_threats, strict=False)
    }
    for i, q in enumerate(doc.get("quotes") or []):
        job._call(
            f"quotes[{i}]",
            quote_save,
            assessment=assessment,
            user=user,
            group=_known(job, f"quotes[{i}].group", groups, q.get("group")),
            source=_known(job, f"quotes[{i}].source", sources, q.get("source")),
            threats=[refs[r] for r in q.get("threats") or [] if refs.get(r)],
            **{f: q[f] for f in QUOTE_FIELDS if f in q},
        )
    _import_citations(job, assessment, sources, refs)
    return missing


def _known(job, path: str, known: dict, key):
    if key is None:
        return None
    if key not in known:
        job.problems.append(_("%(p)s: unknown %(k)r") % {"p": path, "k": key})
    return known.get(key)


def _import_citations(job, assessment, sources: dict, refs: dict) -> None:
    def cite(path: str, item, cited) -> None:
        if item is None or not cited:
            return
        unknown = [r for r in cited if r not in sources]
        if unknown:
            job.problems.append(
                _("%(p)s.sources: unknown source %(s)s") % {"p": path, "s": ", ".join(unknown)}
            )
            return
        job._call(
            path,
            citations_set,
            assessment=assessment,
            user=job.owner,
            item=item,
            sources=[sources[r] for r in cited],
        )

    for i, t in enumerate(job.document.get("threats") or []):
        threat = refs.get(t.get("ref"))
        cite(f"threats[{i}]", threat, t.get("sources"))
        indicators = list(threat.indicators.order_by("id")) if threat else []
        for j, row in enumerate(t.get("indicators") or []):
            if j < len(indicators):
                cite(f"threats[{i}].indicators[{j}]", indicators[j], row.get("sources"))
    responses = list(assessment.responses.order_by("id"))
    for i, r in enumerate(job.document.get("responses") or []):
        if i < len(responses) and r.get("sources"):
            cite(f"responses[{i}]", responses[i], r.get("sources"))
    answers = {
        (a.prompt.section.key, a.prompt.key): a
        for a in assessment.answers.select_related("prompt__section")
    }
    for i, a in enumerate(job.document.get("answers") or []):
        cite(f"answers[{i}]", answers.get((a.get("section"), a.get("prompt"))), a.get("sources"))


def missing_files_message(missing: list[dict]) -> str:
    """What the person reads after an import whose sources had files."""
    names = "; ".join(f"{m.get('source')}: {m.get('name')}" for m in missing)
    return _(
        "Files do not travel in the export. Attach these again to their sources: %(files)s."
    ) % {"files": names}

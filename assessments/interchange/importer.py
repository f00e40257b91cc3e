"""Import of an assessment export (hsassess-assessment/1) as a new draft, written through
the same services as the pages, so every rule lives in one place.

Three steps, in one transaction:

1. The size and the shape (interchange/shape.py): counts within the limits of an
   assessment (assessments/limits.py), objects, lists and field types. A document too
   large or badly shaped is refused before anything reads into it. Texts are held to
   the forms' limits by the services, like everything else.
2. The references, resolved on this instance (interchange/references.py): the framework
   version, the team, the owner (who must be allowed to create assessments in the team),
   and every key the document names (prompts, dimensions, components, groups by name,
   threats by ref).
   Collaborators are kept only if they are members of the team here: a name on another
   instance may be somebody else entirely.
3. The writes: assessment_create, section_save (the answers grouped by section),
   group_save, threat_save (tags and indicators included) and response_save, called as
   the pages call them. The services enforce the rules (scales, rationales, field
   validation, uniqueness); an item they refuse is reported with where it is
   (`threats[3].likelihood: …`) and the import goes on to find the other problems.

Every problem of steps 2 and 3 is listed; if there is any, ValidationError carries the
list and the transaction is rolled back, so nothing is written.

Who writes: the importing person. `owner` (the signed-in person on the upload page;
--owner, or the document's owner found here by the management command) owns the new draft
and is the `user` of every service call, so the history names them for every row.
`authors` lets a trusted caller name someone else for a part ("answers.<section key>",
"groups", "threats" or "responses"), so the history of the demo sample says who wrote
what; each author must be the owner or one of the imported collaborators.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assessments import fields
from assessments.content.services import group_save, response_save, section_save, threat_save
from assessments.core.services import assessment_create, errors_at
from assessments.interchange.document import (
    FORMAT_ID,
    GROUP_FIELDS,
    INDICATOR_FIELDS,
    RESPONSE_FIELDS,
    THREAT_FIELDS,
)
from assessments.interchange.evidence import import_evidence
from assessments.interchange.references import ImportReferences, served
from assessments.interchange.shape import limit_problems, shape_problems
from assessments.models import Assessment, Team
from assessments.models.groups import LEGACY_AGE_BANDS
from assessments.monitoring.interchange import import_readings
from frameworks.models import FrameworkVersion

# The period is parsed from ISO dates first and the language checked; the rest of the
# context goes in as text.
CONTEXT_FIELDS = tuple(
    f for f in fields.ASSESSMENT if not f.startswith("period_") and f != "language"
)


@transaction.atomic
def import_assessment(
    *,
    document: Any,
    owner=None,
    team: Team | None = None,
    authors: Mapping[str, Any] | None = None,
) -> Assessment:
    """Load an export into this instance as a new draft owned by `owner` in `team` (both
    found from the document when not given). Any problem raises ValidationError listing
    all of them, and nothing is written."""
    if isinstance(document, dict) and document.get("format") == FORMAT_ID:
        # Counts first: a document over the limits is refused before anything reads it.
        problems = limit_problems(document) or shape_problems(document)
        if problems:
            raise ValidationError(problems)
    if not isinstance(document, dict) or document.get("format") != FORMAT_ID:
        raise ValidationError(
            _("Not an hsassess assessment export (format %(f)s).") % {"f": FORMAT_ID}
        )
    fw = document.get("framework") or {}
    version = (
        FrameworkVersion.objects.filter(framework__slug=fw.get("slug"), number=fw.get("version"))
        .exclude(status=FrameworkVersion.Status.DRAFT)
        .first()
    )
    if version is None:
        raise ValidationError(
            _(
                "Framework %(slug)s version %(n)s is not published on this instance; import it "
                "first."
            )
            % {"slug": fw.get("slug"), "n": fw.get("version")}
        )
    job = _Import(document, version)
    job.resolve_people(owner, team)
    job.resolve_references()
    if job.owner is None or job.team is None or not job.allowed:
        raise ValidationError(job.problems)
    job.set_authors(authors or {})
    try:
        assessment = job.write()
    except (TypeError, KeyError) as exc:
        raise ValidationError(
            _("The document has an unexpected shape: %(err)s") % {"err": exc}
        ) from exc
    if job.problems:
        # Raising inside the atomic block rolls back what the services wrote.
        raise ValidationError(job.problems)
    assessment.missing_files = job.missing_files  # files the sources had (interchange/evidence)
    return assessment


class _Import(ImportReferences):
    """One import: its references (references.py), the problems found so far, and the
    writes."""

    def __init__(self, document: dict, version: FrameworkVersion):
        super().__init__(document, version)
        self.missing_files: list[dict] = []

    # --- step 3: writes --------------------------------------------------------------------

    def _call(self, path: str, service, **kwargs):
        """Run one service; if it refuses, note where and go on (its own atomic block has
        rolled its writes back)."""
        try:
            return service(**kwargs)
        except ValidationError as exc:
            for where, messages in errors_at(path, exc).items():
                self.problems.extend(f"{where}: {m}" for m in messages)
            return None

    def write(self) -> Assessment | None:
        doc = self.document
        assessment = self._call(
            "assessment",
            assessment_create,
            user=self.owner,
            team=self.team,
            framework_version=self.version,
            collaborators=self.collaborators,
            language=self.language,
            **{f: self.head[f] for f in CONTEXT_FIELDS if f in self.head},
            **self.period,
        )
        if assessment is None:
            return None
        self._write_answers(assessment)
        groups = {}
        for i, g in enumerate(doc.get("groups") or []):
            if f"groups[{i}]" in self.skipped:
                continue
            saved = self._call(
                f"groups[{i}]",
                group_save,
                assessment=assessment,
                user=self._author("groups"),
                **_ages(g),
                **{f: g[f] for f in GROUP_FIELDS if f in g},
            )
            if saved is not None:
                groups.setdefault(g.get("name"), saved)
        threats = {}
        for i, t in enumerate(doc.get("threats") or []):
            if f"threats[{i}]" in self.skipped:
                continue
            saved = self._call(
                f"threats[{i}]",
                threat_save,
                assessment=assessment,
                user=self._author("threats"),
                dimension=self.dimensions[t["dimension"]],
                further_dimensions=[
                    self.dimensions[key] for key in t.get("further_dimensions") or []
                ],
                # A group the service refused is reported already; leave the link out.
                affected_groups=[groups[n] for n in t.get("affected_groups") or [] if n in groups],
                tags={
                    self.components[tag["component"]].pk: tag.get("rationale", "")
                    for tag in t.get("tags") or []
                },
                indicators=[
                    {f: row[f] for f in INDICATOR_FIELDS if f in row}
                    for row in t.get("indicators") or []
                ],
                number=_ref_number(t.get("ref")),
                **{f: t[f] for f in THREAT_FIELDS if f in t},
            )
            if saved is not None:
                threats.setdefault(t.get("ref"), saved)
                import_readings(
                    threat=saved,
                    rows=t.get("indicators") or [],
                    user=self._author("threats"),
                    call=self._call,
                    path=f"threats[{i}]",
                )
        for i, r in enumerate(doc.get("responses") or []):
            if f"responses[{i}]" in self.skipped:
                continue
            self._call(
                f"responses[{i}]",
                response_save,
                assessment=assessment,
                user=self._author("responses"),
                groups=[groups[name] for name in served(r) if name in groups],
                threats=[threats[ref] for ref in r.get("threats") or [] if ref in threats],
                **{f: r[f] for f in RESPONSE_FIELDS if f in r},
            )
        self.missing_files = import_evidence(self, assessment)
        assessment.refresh_from_db()
        return assessment

    def _write_answers(self, assessment: Assessment) -> None:
        by_section: dict[str, dict[str, str]] = {}
        for i, answer in enumerate(self.document.get("answers") or []):
            if f"answers[{i}]" in self.skipped:
                continue
            by_section.setdefault(answer["section"], {})[answer["prompt"]] = answer.get("text", "")
        sections = {s.key: s for s in self.version.sections.all()}
        for key, texts in by_section.items():
            self._call(
                f"answers.{key}",
                section_save,
                assessment=assessment,
                section=sections[key],
                user=self._author(f"answers.{key}"),
                texts=texts,
                versions=dict.fromkeys(texts, 0),
            )


def _ages(group: dict) -> dict[str, int | None]:
    """A group's ages from a document written before ages were ranges (its "age_band");
    a document with "age_from"/"age_to" gives them itself."""
    band = group.get("age_band")
    if band is None or "age_from" in group or "age_to" in group:
        return {}
    age_from, age_to = LEGACY_AGE_BANDS[band]
    return {"age_from": age_from, "age_to": age_to}


def _ref_number(ref: Any) -> int | None:
    """The number in a reference such as "T3", kept on import so a brief, a comment or a
    document quoting T3 still means the same threat; older documents' "threat-3" are
    references only and the threats are numbered afresh."""
    match = re.fullmatch(r"T([1-9][0-9]{0,8})", ref) if isinstance(ref, str) else None
    return int(match.group(1)) if match else None

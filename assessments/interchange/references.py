"""Step 2 of the import of an assessment document (importer.py): what the document refers
to, resolved on this instance before anything is written.

The framework version's prompts, dimensions and components by key, the team, the owner
(who must be allowed to create assessments in the team) and the collaborators who are
members of it here, the language and the period; the groups by name and the threats by
ref that the other items name. Every reference that does not resolve is a problem with
where it is (`threats[3].dimension: …`), and the item is skipped by the writes. The
authors a trusted caller names for parts of the document are checked here too.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from assessments import permissions
from assessments.models import Team
from assessments.models.groups import LEGACY_AGE_BANDS
from frameworks.models import FrameworkVersion, Prompt

# Documents exported before assessments had a language were all written in English.
LANGUAGE_BEFORE_LANGUAGES = "en"
PARTS = ("groups", "threats", "responses")


class ImportReferences:
    """What one import's document refers to on this instance, and the problems found so
    far; the writes (importer._Import) build on it."""

    def __init__(self, document: dict, version: FrameworkVersion):
        self.document = document
        self.version = version
        self.head: dict = document.get("assessment") or {}
        self.problems: list[str] = []
        self.owner = self.team = None
        self.allowed = False
        self.collaborators: list = []
        self.authors: dict[str, Any] = {}
        # Items whose references do not resolve are not written: their problem is listed.
        self.skipped: set[str] = set()

    def _problem(self, path: str | None, message: str) -> None:
        if path is not None:
            self.skipped.add(path)
        self.problems.append(message)

    def resolve_people(self, owner, team: Team | None) -> None:
        User = get_user_model()
        if team is None:
            team = Team.objects.filter(slug=self.head.get("team")).first()
            if team is None:
                self._problem(
                    None,
                    _("assessment.team: no team %(t)r here; pass --team.")
                    % {"t": self.head.get("team")},
                )
        if owner is None:
            owner = User.objects.filter(username=self.head.get("owner")).first()
            if owner is None:
                self._problem(
                    None,
                    _("assessment.owner: no user %(u)r here; pass --owner.")
                    % {"u": self.head.get("owner")},
                )
        self.owner, self.team = owner, team
        if owner is None or team is None:
            return
        self.allowed = permissions.can_create_in(owner, team)
        if not self.allowed:
            self._problem(
                None,
                _("The owner %(u)s is not a member of team %(t)s.")
                % {"u": owner.get_username(), "t": team.slug},
            )
        self.collaborators = list(
            User.objects.filter(
                username__in=self.head.get("collaborators") or [], memberships__team=team
            ).order_by("pk")
        )

    def resolve_references(self) -> None:
        doc, version = self.document, self.version
        self.language = self.head.get("language", LANGUAGE_BEFORE_LANGUAGES)
        codes = dict(settings.LANGUAGES)
        if self.language not in codes:
            self._problem(
                None,
                _(
                    "assessment.language: %(lang)r is not a language of this site; use one "
                    "of %(codes)s."
                )
                % {"lang": self.language, "codes": ", ".join(codes)},
            )
            self.language = LANGUAGE_BEFORE_LANGUAGES  # the import stops at the problem
        self.prompts = {
            (p.section.key, p.key): p
            for p in Prompt.objects.filter(section__version=version).select_related("section")
        }
        self.dimensions = {d.key: d for d in version.dimensions.all()}
        self.components = {c.key: c for c in version.components.all()}
        seen = set()
        for i, answer in enumerate(doc.get("answers") or []):
            key = (answer.get("section"), answer.get("prompt"))
            if key not in self.prompts:
                self._problem(
                    f"answers[{i}]",
                    _("answers[%(i)d]: unknown prompt %(s)s/%(p)s")
                    % {"i": i, "s": key[0], "p": key[1]},
                )
            elif key in seen:
                self._problem(
                    f"answers[{i}]",
                    _("answers[%(i)d]: a second answer to %(s)s/%(p)s")
                    % {"i": i, "s": key[0], "p": key[1]},
                )
            seen.add(key)
        group_names = {g.get("name") for g in doc.get("groups") or []}
        threat_refs = {t.get("ref") for t in doc.get("threats") or []}
        for i, t in enumerate(doc.get("threats") or []):
            path = f"threats[{i}]"
            if t.get("dimension") not in self.dimensions:
                self._problem(
                    path,
                    _("threats[%(i)d].dimension: unknown %(d)r")
                    % {"i": i, "d": t.get("dimension")},
                )
            tagged = set()
            for tag in t.get("tags") or []:
                component = tag.get("component")
                if component not in self.components:
                    self._problem(
                        path,
                        _("threats[%(i)d].tags: unknown component %(c)r")
                        % {"i": i, "c": component},
                    )
                elif component in tagged:
                    self._problem(
                        path,
                        _("threats[%(i)d].tags: component %(c)r tagged twice")
                        % {"i": i, "c": component},
                    )
                tagged.add(component)
            for key in t.get("further_dimensions") or []:
                if key not in self.dimensions:
                    self._problem(
                        path,
                        _("threats[%(i)d].further_dimensions: unknown %(d)r") % {"i": i, "d": key},
                    )
            for name in t.get("affected_groups") or []:
                if name not in group_names:
                    self._problem(
                        path,
                        _("threats[%(i)d].affected_groups: unknown group %(g)r")
                        % {"i": i, "g": name},
                    )
        for i, g in enumerate(doc.get("groups") or []):
            band = g.get("age_band")
            if band is not None and band not in LEGACY_AGE_BANDS:
                self._problem(
                    f"groups[{i}]",
                    _("groups[%(i)d].age_band: unknown band %(b)r") % {"i": i, "b": band},
                )
        for i, r in enumerate(doc.get("responses") or []):
            path = f"responses[{i}]"
            for name in served(r):
                if name not in group_names:
                    self._problem(
                        path,
                        _("responses[%(i)d].groups: unknown group %(g)r") % {"i": i, "g": name},
                    )
            for ref in r.get("threats") or []:
                if ref not in threat_refs:
                    self._problem(
                        path,
                        _("responses[%(i)d].threats: unknown threat %(t)r") % {"i": i, "t": ref},
                    )
        self.period = {field: self._date(field) for field in ("period_start", "period_end")}

    def _date(self, field: str) -> date | None:
        value = self.head.get(field)
        if value in (None, ""):
            return None
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError):
            self._problem(None, _("assessment.%(f)s: not a date (YYYY-MM-DD)") % {"f": field})
            return None

    def set_authors(self, authors: Mapping[str, Any]) -> None:
        parts = {*PARTS, *(f"answers.{s.key}" for s in self.version.sections.all())}
        people = {self.owner.pk, *(c.pk for c in self.collaborators)}
        for part, user in authors.items():
            if part not in parts:
                raise ValueError(f"{part!r} is not a part of an assessment document")
            if user.pk not in people:
                raise ValueError(f"{user} is neither the owner nor a collaborator")
        self.authors = dict(authors)

    def _author(self, part: str):
        return self.authors.get(part, self.owner)


def served(response: dict) -> list[str]:
    """The names of the groups a response serves: "groups", or the single "group" of
    documents written before a response served several."""
    if "groups" in response:
        return list(response.get("groups") or [])
    single = response.get("group")
    return [single] if single is not None else []

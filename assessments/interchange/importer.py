"""Import of an assessment export as a new draft."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.content.services import validate_scales
from assessments.interchange.document import (
    FORMAT_ID,
    GROUP_FIELDS,
    INDICATOR_FIELDS,
    RESPONSE_FIELDS,
    THREAT_FIELDS,
)
from assessments.models import (
    Answer,
    Assessment,
    ComponentTag,
    Indicator,
    Membership,
    PopulationGroup,
    Response,
    Team,
    Threat,
)
from frameworks.models import FrameworkVersion, Prompt


def _require(condition: bool, message: str, problems: list[str]) -> None:
    if not condition:
        problems.append(message)


def _date(value, field: str, problems: list[str]):
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        problems.append(_("assessment.%(f)s: not a date (YYYY-MM-DD)") % {"f": field})
        return None


class _ListOf:
    def __init__(self, kind):
        self.kind = kind


TEXT, OPTIONAL_TEXT, NUMBER = str, (str, type(None)), int


_SHAPES: dict[str, dict[str, Any]] = {
    "framework": {"slug": TEXT, "version": NUMBER},
    "assessment": {
        **dict.fromkeys(
            [
                "title",
                "team",
                "owner",
                "country",
                "area",
                "population_focus",
                "key_points",
                "status",
            ],
            TEXT,
        ),
        "collaborators": _ListOf(str),
        "period_start": OPTIONAL_TEXT,
        "period_end": OPTIONAL_TEXT,
    },
    "answers": {"section": TEXT, "prompt": TEXT, "text": TEXT},
    "groups": {
        **dict.fromkeys(GROUP_FIELDS, TEXT),
        "estimated_size": (int, type(None)),
        "sensitive": bool,
    },
    "threats": {
        **dict.fromkeys(THREAT_FIELDS, TEXT),
        **dict.fromkeys(["likelihood", "severity", "urgency"], NUMBER),
        "ref": TEXT,
        "dimension": TEXT,
        "affected_groups": _ListOf(str),
        "tags": _ListOf(dict),
        "indicators": _ListOf(dict),
    },
    "tags": {"component": TEXT, "rationale": TEXT},
    "indicators": dict.fromkeys(INDICATOR_FIELDS, TEXT),
    "responses": {
        **dict.fromkeys(RESPONSE_FIELDS, TEXT),
        "preventive": bool,
        "group": OPTIONAL_TEXT,
        "threats": _ListOf(str),
    },
}


def _fits(value, kind) -> bool:
    if isinstance(kind, _ListOf):
        return isinstance(value, list) and all(_fits(v, kind.kind) for v in value)
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool) and bool not in kinds:
        return False  # JSON true/false are ints to Python
    return isinstance(value, kinds)


def _describe(kind) -> str:
    if isinstance(kind, _ListOf):
        return _("a list of objects") if kind.kind is dict else _("a list of text")
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {str: _("text"), int: _("an integer"), bool: _("true or false"), type(None): _("null")}
    return _(" or ").join(names[k] for k in kinds)


def _check_object(obj, shape: str, path: str, problems: list[str]) -> None:
    if not isinstance(obj, dict):
        problems.append(_("%(p)s: expected an object") % {"p": path})
        return
    for field, kind in _SHAPES[shape].items():
        if field in obj and not _fits(obj[field], kind):
            problems.append(
                _("%(p)s.%(f)s: expected %(kind)s")
                % {"p": path, "f": field, "kind": _describe(kind)}
            )


def _unstorable_text(value: Any) -> bool:
    """JSON may escape half of a UTF-16 pair (\\ud800) or a NUL (\\u0000): no database
    stores the first, PostgreSQL refuses the second, and no form lets either in."""
    if isinstance(value, str):
        if "\x00" in value:
            return True
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_unstorable_text(k) or _unstorable_text(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_unstorable_text(v) for v in value)
    return False


def _shape_problems(document: Any) -> list[str]:
    """The document's structure and field types, checked before anything reads into it."""
    if not isinstance(document, dict):
        return [_("The document must be a JSON object.")]
    if _unstorable_text(document):
        return [
            _("The document contains characters that cannot be stored (NUL or invalid Unicode).")
        ]
    problems: list[str] = []
    for key in ("framework", "assessment"):
        _check_object(document.get(key), key, key, problems)
    for key in ("answers", "groups", "threats", "responses"):
        items = document.get(key, [])
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            problems.append(_("%(k)s: expected a list of objects") % {"k": key})
            continue
        for i, item in enumerate(items):
            _check_object(item, key, f"{key}[{i}]", problems)
            if key == "threats" and isinstance(item, dict):
                for sub in ("tags", "indicators"):
                    for j, child in enumerate(item.get(sub) or []):
                        if isinstance(item.get(sub), list):
                            _check_object(child, sub, f"threats[{i}].{sub}[{j}]", problems)
    return problems


@transaction.atomic
def import_assessment(*, document: Any, owner=None, team: Team | None = None) -> Assessment:
    """Load an export into this instance as a new draft. Everything is checked first;
    any problem raises ValidationError listing all of them and nothing is written."""
    if isinstance(document, dict) and document.get("format") == FORMAT_ID:
        shape = _shape_problems(document)
        if shape:
            raise ValidationError(shape)
    problems: list[str] = []
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
    head = document.get("assessment") or {}
    User = get_user_model()
    if team is None:
        team = Team.objects.filter(slug=head.get("team")).first()
        _require(
            team is not None,
            _("assessment.team: no team %(t)r here; pass --team.") % {"t": head.get("team")},
            problems,
        )
    if owner is None:
        owner = User.objects.filter(username=head.get("owner")).first()
        _require(
            owner is not None,
            _("assessment.owner: no user %(u)r here; pass --owner.") % {"u": head.get("owner")},
            problems,
        )
    prompts = {
        (p.section.key, p.key): p
        for p in Prompt.objects.filter(section__version=version).select_related("section")
    }
    dimensions = {d.key: d for d in version.dimensions.all()}
    components = {c.key: c for c in version.components.all()}
    for i, answer in enumerate(document.get("answers") or []):
        _require(
            (answer.get("section"), answer.get("prompt")) in prompts,
            _("answers[%(i)d]: unknown prompt %(s)s/%(p)s")
            % {"i": i, "s": answer.get("section"), "p": answer.get("prompt")},
            problems,
        )
    group_names = {g.get("name") for g in document.get("groups") or []}
    for i, t in enumerate(document.get("threats") or []):
        _require(
            t.get("dimension") in dimensions,
            _("threats[%(i)d].dimension: unknown %(d)r") % {"i": i, "d": t.get("dimension")},
            problems,
        )
        for tag in t.get("tags") or []:
            _require(
                tag.get("component") in components,
                _("threats[%(i)d].tags: unknown component %(c)r")
                % {"i": i, "c": tag.get("component")},
                problems,
            )
        for name in t.get("affected_groups") or []:
            _require(
                name in group_names,
                _("threats[%(i)d].affected_groups: unknown group %(g)r") % {"i": i, "g": name},
                problems,
            )
    for i, t in enumerate(document.get("threats") or []):
        for field, message in validate_scales(
            version, {k: t.get(k) for k in ("likelihood", "severity", "urgency")}
        ).items():
            problems.append(f"threats[{i}].{field}: {message}")
    if team is not None and owner is not None and not owner.is_superuser:
        _require(
            Membership.objects.filter(team=team, user=owner).exists(),
            _("The owner %(u)s is not a member of team %(t)s.")
            % {"u": owner.get_username(), "t": team.slug},
            problems,
        )
    period_start = _date(head.get("period_start"), "period_start", problems)
    period_end = _date(head.get("period_end"), "period_end", problems)
    if problems:
        raise ValidationError(problems)

    try:
        assessment = Assessment(
            title=head.get("title", ""),
            team=team,
            owner=owner,
            framework_version=version,
            country=head.get("country", ""),
            area=head.get("area", ""),
            population_focus=head.get("population_focus", ""),
            period_start=period_start,
            period_end=period_end,
            key_points=head.get("key_points", ""),
        )
        assessment.full_clean()
        assessment.save()
        collaborators = User.objects.filter(
            username__in=head.get("collaborators") or [], memberships__team=team
        )
        assessment.collaborators.set(collaborators)
        for answer in document.get("answers") or []:
            obj = Answer(
                assessment=assessment,
                prompt=prompts[(answer["section"], answer["prompt"])],
                text=answer.get("text", ""),
                updated_by=owner,
            )
            obj.full_clean()
            obj.save()
        groups = {}
        for g in document.get("groups") or []:
            obj = PopulationGroup(
                assessment=assessment, **{f: g[f] for f in GROUP_FIELDS if f in g}
            )
            obj.full_clean()
            obj.save()
            groups[obj.name] = obj
        threats = {}
        for t in document.get("threats") or []:
            obj = Threat(
                assessment=assessment,
                dimension=dimensions[t["dimension"]],
                **{f: t[f] for f in THREAT_FIELDS if f in t},
            )
            obj.full_clean()
            obj.save()
            obj.affected_groups.set([groups[name] for name in t.get("affected_groups") or []])
            for tag in t.get("tags") or []:
                tag_obj = ComponentTag(
                    threat=obj,
                    component=components[tag["component"]],
                    rationale=tag.get("rationale", ""),
                )
                tag_obj.full_clean()
                tag_obj.save()
            for ind in t.get("indicators") or []:
                ind_obj = Indicator(threat=obj, **{f: ind[f] for f in INDICATOR_FIELDS if f in ind})
                ind_obj.full_clean()
                ind_obj.save()
            threats[t.get("ref")] = obj
        for r in document.get("responses") or []:
            obj = Response(
                assessment=assessment,
                group=groups.get(r.get("group")),
                **{f: r[f] for f in RESPONSE_FIELDS if f in r},
            )
            obj.full_clean()
            obj.save()
            obj.threats.set([threats[ref] for ref in r.get("threats") or [] if ref in threats])
    except ValidationError as exc:
        raise ValidationError(
            [f"{k}: {', '.join(v)}" for k, v in exc.message_dict.items()]
            if hasattr(exc, "error_dict")
            else exc.messages
        ) from exc
    except (TypeError, KeyError) as exc:
        raise ValidationError(
            _("The document has an unexpected shape: %(err)s") % {"err": exc}
        ) from exc
    return assessment

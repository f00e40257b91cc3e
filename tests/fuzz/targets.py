"""What the fuzz tests aim at: the URLs of assessments/urls.py with their parameters, and
each form's real fields with values that are valid for it (strategies.form_data mixes
hostile ones in). Shared by the test modules of this package."""

from __future__ import annotations

import os

from django.urls import reverse
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from assessments import urls as assessment_urls
from assessments.content.forms import AGE_BAND_CHOICES
from assessments.models import (
    Notification,
    PopulationGroup,
    Quote,
    Response,
    Source,
    Team,
    Threat,
)
from frameworks.models import Prompt
from tests.fuzz.harness import Req
from tests.fuzz.strategies import (
    ROLES,
    SPECIAL_INTS,
    checkbox,
    choice,
    dates,
    extra_keys,
    hostile,
    optional,
    valid_text,
    weighted,
)

# Examples are derandomized so CI runs the same ones each time. To search further
# locally, FUZZ_EXAMPLES=500 runs more of them and FUZZ_RANDOM=1 new ones on each run
# (a failure then prints the @reproduce_failure line that replays it).
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not os.environ.get("FUZZ_RANDOM"),
    database=None,
    print_blob=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

ENCODINGS = st.sampled_from(["multipart", "urlencoded"])
AUTHORS = ("owner", "collaborator", "superuser")


def role_for(*favoured: str) -> st.SearchStrategy[str]:
    """Every role, those who may do the thing twice as often (to get past the checks)."""
    return weighted((2, st.sampled_from(favoured)), (1, st.sampled_from(ROLES)))


# --- URL parameters ------------------------------------------------------------------

BIG_IDS = tuple(i for i in SPECIAL_INTS if i >= 0)
BOGUS_IDS = st.one_of(st.sampled_from(BIG_IDS), st.integers(0, 10**9))


def id_param(pool: list[int], own: list[int] = ()) -> st.SearchStrategy[int]:
    """Most often an id of an object of the assessment in the URL (`own`) or of any
    assessment (`pool`), sometimes one that names nothing (0, huge, random)."""
    if own:
        return weighted((4, st.sampled_from(own)), (2, st.sampled_from(pool)), (1, BOGUS_IDS))
    return weighted((4, st.sampled_from(pool)), (1, BOGUS_IDS))


def assessment_pk(world) -> st.SearchStrategy[int]:
    return id_param(world.assessment_ids)


def item_id(world, pk: int, kind: str) -> st.SearchStrategy[int]:
    """An id of an item (`kind`: groups, threats, responses, comments, frozen, items)."""

    def ids(case) -> list[int]:
        kinds = ("groups", "threats", "responses", "quotes") if kind == "items" else (kind,)
        return [obj.pk for k in kinds for obj in getattr(case, k)]

    case = world.case_of(pk)
    pool = sorted(i for c in world.cases.values() for i in ids(c))
    return id_param(pool, ids(case) if case else [])


def prompt_keys(version) -> list[str]:
    prompts = Prompt.objects.filter(section__version=version)
    return list(prompts.order_by("section__order", "order", "id").values_list("key", flat=True))


def section_key(world) -> st.SearchStrategy[str]:
    keys = list(world.version.sections.order_by("order", "id").values_list("key", flat=True))
    return weighted(
        (6, st.sampled_from(keys)),
        (1, st.sampled_from(prompt_keys(world.version))),
        (1, st.from_regex(r"[-a-zA-Z0-9_]{1,80}", fullmatch=True)),
        (1, st.just("x" * 5000)),
    )


ITEM_PARAMS = {
    "gid": "groups",
    "tid": "threats",
    "rid": "responses",
    "oid": "items",
    "cid": "comments",
    "fid": "frozen",
    "sid": "sources",
    "iid": "indicators",
}
URL_NAMES = [p.name for p in assessment_urls.urlpatterns]


@st.composite
def any_url(draw, world, names: tuple[str, ...]):
    """(name, kwargs, path) of one of these URLs, every path parameter drawn."""
    name = draw(st.sampled_from(names), label="url name")
    pattern = next(p for p in assessment_urls.urlpatterns if p.name == name)
    kwargs = {}
    for param in pattern.pattern.converters:  # pk comes first
        if param == "pk":
            kwargs[param] = draw(assessment_pk(world), label=param)
        elif param == "key":
            kwargs[param] = draw(section_key(world), label=param)
        elif param == "export_id":
            kwargs[param] = draw(id_param(world.export_ids), label=param)
        elif param == "nid":  # someone's notification, most often not the person's own
            mine = list(Notification.objects.values_list("pk", flat=True))
            kwargs[param] = draw(id_param(mine or [1]), label=param)
        else:
            kwargs[param] = draw(item_id(world, kwargs["pk"], ITEM_PARAMS[param]), label=param)
    return name, kwargs, reverse(f"assessments:{name}", kwargs=kwargs)


def kind_of(name: str) -> str:
    """Which rule of docs/permissions.md a POST to this URL is under (harness.may_change)."""
    if name in {"create", "import"}:
        return "create"
    if name in {"submit", "review"}:
        return name
    if name in {"comment_resolve", "comment_reply", "comment_reopen"}:
        return "resolve"
    if name == "threads":  # starting a thread: the team's supervisors
        return "review"
    if name in {"batch_exports", "batch_export_retry"}:
        return "export"
    if name == "readings":
        return "reading"
    if name == "reassess":
        return "reassess"
    if (
        name in {"edit", "section", "upgrade", "upgrade_undo"}
        or name.startswith(("group_", "threat_", "response_", "quote_"))
        or name in {"source_create", "source_update", "source_delete"}
    ):
        return "content"
    return "read"


QUERY_KEYS = ("q", "status", "team", "country", "dimension", "page", "variant", "next", "back")


def query(world) -> st.SearchStrategy[dict]:
    keys = st.one_of(st.sampled_from(QUERY_KEYS), extra_keys())
    return st.dictionaries(keys, hostile(world.assessment_ids), max_size=6)


# --- values that name objects ----------------------------------------------------------


def all_ids(world) -> list[int]:
    """Ids of everything in the world: hostile values for any field."""
    kinds = (
        "groups",
        "threats",
        "responses",
        "indicators",
        "comments",
        "answers",
        "tags",
        "sources",
        "quotes",
    )
    return sorted({*world.assessment_ids, *(i for kind in kinds for i in world.ids(kind))})


def ids_of(world, pk: int | None, kind: str) -> st.SearchStrategy[str]:
    """A form value naming an object: most often one of the assessment being posted to,
    else one of any assessment (a form must refuse those)."""
    case = world.case_of(pk) if pk is not None else None
    own = [obj.pk for obj in getattr(case, kind)] if case else []
    if own:
        return weighted((3, choice(own)), (1, choice(world.ids(kind))))
    return choice(world.ids(kind))


def team_of(world, role: str) -> st.SearchStrategy[str]:
    """Mostly a team of this person (superusers: any), sometimes any team."""
    user = world.users[role]
    every = list(Team.objects.order_by("pk").values_list("pk", flat=True))
    if user is None:
        return choice(every)
    own = (
        every
        if user.is_superuser
        else list(
            Team.objects.filter(memberships__user=user).order_by("pk").values_list("pk", flat=True)
        )
    )
    return weighted((3, choice(own)), (1, choice(every))) if own else choice(every)


def others(world, item: int | None, **kinds) -> frozenset:
    """{(kind, pk)} of every item of these kinds (a world attribute: groups, threats …)
    whose owner, by `kinds[kind]`, is not `item`: for the rows a post to one item's URL
    must leave as they are (harness.exercise `fixed`)."""
    keys = set()
    for case in world.cases.values():
        for kind, owner_of in kinds.items():
            for obj in getattr(case, kind):
                if item is None or owner_of(obj) != item:
                    keys.add((kind.removesuffix("s"), obj.pk))
    return frozenset(keys)


# --- each form's fields, with valid values -------------------------------------------

VERSIONS = choice(["1", "0", "2", ""])


def _choices(model, name: str) -> st.SearchStrategy[str]:
    return choice([value for value, _label in model._meta.get_field(name).choices])


def _scale(world, name: str) -> st.SearchStrategy[str]:
    levels = world.version.scale_levels.filter(scale=name).order_by("value")
    return choice(levels.values_list("value", flat=True))


def context_fields(world) -> dict:
    users = [u.pk for u in world.users.values() if u is not None]
    return {
        "title": valid_text,
        "country": valid_text,
        "area": optional(valid_text),
        "population_focus": optional(valid_text),
        "period_start": optional(dates),
        "period_end": optional(dates),
        "key_points": optional(valid_text),
        "collaborators": st.lists(choice(users), max_size=3),
        "version": VERSIONS,
    }


def group_fields(world, pk: int) -> dict:
    return {
        "name": valid_text,
        "description": optional(valid_text),
        "sex": _choices(PopulationGroup, "sex"),
        # A quick band, a typed range (now and then upside down or past 120), or both.
        "age_band": optional(choice([value for value, _label in AGE_BAND_CHOICES if value])),
        "age_from": optional(st.integers(0, 130).map(str)),
        "age_to": optional(st.integers(0, 130).map(str)),
        "threats": st.lists(ids_of(world, pk, "threats"), max_size=3),
        "threats_shown": checkbox,
        "disability": _choices(PopulationGroup, "disability"),
        "displacement_status": _choices(PopulationGroup, "displacement_status"),
        "ethnicity": optional(valid_text),
        "religion": optional(valid_text),
        "other_characteristics": optional(valid_text),
        "estimated_size": optional(st.integers(0, 2**31 - 1).map(str)),
        "sensitive": checkbox,
        "version": VERSIONS,
    }


def threat_fields(world, pk: int) -> dict:
    """With a tag and rationale per component, and one of another framework version's
    components and of none at all."""
    components = list(world.version.components.order_by("pk").values_list("pk", flat=True))
    foreign = world.other_version.components.order_by("pk").first().pk
    fields = {
        "title": valid_text,
        "description": optional(valid_text),
        "dimension": weighted(
            (4, choice(world.version.dimensions.order_by("pk").values_list("pk", flat=True))),
            (1, choice(world.other_version.dimensions.order_by("pk").values_list("pk", flat=True))),
        ),
        "onset": _choices(Threat, "onset"),
        "source_actor": optional(valid_text),
        "actor_type": _choices(Threat, "actor_type"),
        "further_dimensions": st.lists(
            weighted(
                (4, choice(world.version.dimensions.order_by("pk").values_list("pk", flat=True))),
                (1, choice(world.other_version.dimensions.values_list("pk", flat=True))),
            ),
            max_size=3,
        ),
        "affected_groups": st.lists(ids_of(world, pk, "groups"), max_size=3),
        # Now and then left at "Choose…": refused, nothing saved.
        "likelihood": optional(_scale(world, "likelihood")),
        "severity": optional(_scale(world, "severity")),
        "urgency": optional(_scale(world, "urgency")),
        "trend": _choices(Threat, "trend"),
        "confidence": _choices(Threat, "confidence"),
        "basis": _choices(Threat, "basis"),
        "root_causes": optional(valid_text),
        "sources": st.lists(ids_of(world, pk, "sources"), max_size=3),
        "version": VERSIONS,
    }
    for component in [*components, foreign, 10**9]:
        fields[f"tag_{component}"] = checkbox
        fields[f"rationale_{component}"] = optional(valid_text)
    return fields


INDICATOR_FIELDS = {
    "name": valid_text,
    "kind": choice(["structural", "proximate", "trigger"]),
    "baseline": optional(valid_text),
    "threshold": optional(valid_text),
    "source": optional(valid_text),
    "frequency": optional(valid_text),
}


def indicator_row() -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries(INDICATOR_FIELDS)


def response_fields(world, pk: int) -> dict:
    return {
        "title": valid_text,
        "description": optional(valid_text),
        "strategy": _choices(Response, "strategy"),
        "status": _choices(Response, "status"),
        "preventive": checkbox,
        "actor": optional(valid_text),
        "actor_type": _choices(Response, "actor_type"),
        "threats": st.lists(ids_of(world, pk, "threats"), max_size=3),
        "groups": st.lists(ids_of(world, pk, "groups"), max_size=3),
        "timeframe": optional(valid_text),
        "do_no_harm_risk": optional(valid_text),
        "sources": st.lists(ids_of(world, pk, "sources"), max_size=3),
        "version": VERSIONS,
    }


def source_fields(world, pk: int) -> dict:
    return {
        "kind": _choices(Source, "kind"),
        "title": valid_text,
        "date": optional(dates),
        "author": optional(valid_text),
        "citation": optional(valid_text),
        "reliability": weighted((4, _choices(Source, "reliability")), (1, choice(["G", "a", ""]))),
        "credibility": weighted((4, _choices(Source, "credibility")), (1, choice(["0", "7"]))),
        "sensitive": checkbox,
        "remove_file": checkbox,
        "version": VERSIONS,
    }


def quote_fields(world, pk: int) -> dict:
    return {
        "text": weighted((4, valid_text), (1, st.just("owner said so"))),
        "group": ids_of(world, pk, "groups"),
        "source": ids_of(world, pk, "sources"),
        "language": valid_text,
        "translation": optional(valid_text),
        "consent": _choices(Quote, "consent"),
        "threats": st.lists(ids_of(world, pk, "threats"), max_size=3),
        "version": VERSIONS,
    }


# --- pages that show what was saved ---------------------------------------------------

READ_AFTER = (
    "detail",
    "edit",
    "groups",
    "threats",
    "responses",
    "submit",
    "review",
    "export_json",
    "threats_csv",
    "threats_xlsx",
)


def reads_after(data, pk: int) -> list:
    """Some pages and exports of assessment `pk`, and now and then its brief (a PDF costs
    about a second to render: not on every example)."""
    names = data.draw(st.lists(st.sampled_from(READ_AFTER), min_size=1, unique=True))
    reads = [Req("GET", reverse(f"assessments:{name}", args=[pk])) for name in names]
    if data.draw(weighted((8, st.just(False)), (1, st.just(True))), label="brief"):
        variant = data.draw(st.sampled_from(["full", "public"]), label="variant")
        reads.append(Req("GET", reverse("assessments:brief", args=[pk]), {"variant": variant}))
    return reads

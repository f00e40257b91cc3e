"""The portfolio: a person's contexts at a glance. Reads only, in a fixed number of
queries however many assessments there are (every row's data is loaded in bulk, and
the lens check runs on it without further queries).

- Who sees what: supervisors their teams' assessments, everyone their own (owner or
  collaborator); superusers all. Always within what they may open (visible_to).
- A **context** is a chain of re-assessments (an assessment and its baselines); its row
  is its latest assessment (latest period, then latest created) among those the
  filters keep, with how many assessments the series holds.
- Columns are the dimensions (by key, as the frameworks name them); a cell gives the
  highest risk band of the row's threats in that dimension, in words, and their count.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, Q, QuerySet

from assessments.content.selectors import (
    BAND_WORDS,
    BANDS,
    AssessmentData,
    band_of,
)
from assessments.evidence.selectors import evidence_for_many
from assessments.lens import lens_check
from assessments.models import (
    Answer,
    Assessment,
    ComponentTag,
    Membership,
    PopulationGroup,
    Response,
    Threat,
)
from frameworks.selectors import load_content, scales_of


def portfolio_scope(user) -> QuerySet:
    visible = Assessment.objects.visible_to(user)
    if not user.is_authenticated or user.is_superuser:
        return visible
    supervised = Membership.objects.filter(user=user, role=Membership.Role.SUPERVISOR)
    mine = Q(owner=user) | Q(collaborators=user) | Q(team__in=supervised.values("team"))
    return Assessment.objects.filter(pk__in=visible.filter(mine).values("pk"))


@dataclass
class Cell:
    band: str | None = None
    count: int = 0

    @property
    def word(self) -> str:
        return str(BAND_WORDS[self.band]) if self.band else ""


@dataclass
class Row:
    assessment: Assessment
    series: int
    cells: list[Cell]
    lens_ok: int
    lens_total: int
    lens_gaps: list[str] = field(default_factory=list)


@dataclass
class Rise:
    assessment: Assessment
    ref: str
    title: str
    before: int
    now: int

    @property
    def rise(self) -> int:
        return self.now - self.before


@dataclass
class Portfolio:
    dimensions: list[tuple[str, str]]  # (key, name)
    rows: list[Row]  # the page's (every row when not paged)
    rises: list[Rise]
    total: int = 0  # contexts on every page
    page: int = 1
    pages: int = 1


class _Content:
    """A framework version's content, read once for every row that uses it."""

    def __init__(self, version):
        self.version = load_content(version)
        self.sections = list(version.sections.all())
        self.prompts = [(s, list(s.prompts.all())) for s in self.sections]
        self.by_key = {p.key: p for _section, prompts in self.prompts for p in prompts}
        self.components = list(version.components.all())
        self.dimensions = list(version.dimensions.all())
        self.scales = scales_of(version)


class _Loaded(AssessmentData):
    """AssessmentData from rows loaded in bulk: no queries of its own, and the version's
    prompts looked up in the shared content rather than walked for each question."""

    def __init__(self, assessment, content: _Content, answers, groups, threats, responses):
        self.assessment = assessment
        self.content = content
        self.version = content.version
        self.sections = content.sections
        self.components = content.components
        self.dimensions = content.dimensions
        self.scales = content.scales
        self.answers = answers
        self.groups = groups
        self.threats = threats
        self.responses = responses

    def answer_text(self, prompt_key: str) -> str:
        prompt = self.content.by_key.get(prompt_key)
        answer = self.answers.get(prompt.pk) if prompt else None
        return answer.text.strip() if answer else ""

    def has_prompt(self, prompt_key: str) -> bool:
        return prompt_key in self.content.by_key

    def section_progress(self) -> list[dict]:
        rows = []
        for section, prompts in self.content.prompts:
            answered = {p.pk for p in prompts if (a := self.answers.get(p.pk)) and a.text.strip()}
            rows.append(
                {
                    "section": section,
                    "total": len(prompts),
                    "answered": len(answered),
                    "required_missing": [p for p in prompts if p.required and p.pk not in answered],
                }
            )
        return rows


def _context_of(pk: int, parents: dict[int, int | None]) -> int:
    seen = set()
    while parents.get(pk) and pk not in seen:
        seen.add(pk)
        pk = parents[pk]
    return pk


def _key(a: Assessment):
    return (a.period_start or date.min, a.created_at, a.pk)


def _by_assessment(queryset, attribute: str = "assessment_id") -> dict[int, list]:
    grouped = defaultdict(list)
    for obj in queryset:
        grouped[getattr(obj, attribute)].append(obj)
    return grouped


def _load(latest: list[Assessment], versions: dict[int, _Content]) -> dict[int, AssessmentData]:
    ids = [a.pk for a in latest]
    answers = defaultdict(dict)
    for answer in Answer.objects.filter(assessment__in=ids):
        answers[answer.assessment_id][answer.prompt_id] = answer
    groups = _by_assessment(PopulationGroup.objects.filter(assessment__in=ids))
    threats = _by_assessment(
        Threat.objects.filter(assessment__in=ids)
        .select_related("dimension")
        .prefetch_related(
            "affected_groups",
            "further_dimensions",  # the lens check counts them (Threat.dimension_ids)
            Prefetch("tags", queryset=ComponentTag.objects.select_related("component")),
            "indicators",
        )
    )
    responses = _by_assessment(Response.objects.filter(assessment__in=ids))
    evidence = evidence_for_many(ids)
    loaded = {
        a.pk: _Loaded(
            a,
            versions[a.framework_version_id],
            answers[a.pk],
            groups[a.pk],
            threats[a.pk],
            responses[a.pk],
        )
        for a in latest
    }
    for pk, data in loaded.items():
        data._evidence = evidence[pk]  # what evidence_of would read, for the lens check
    return loaded


def _rises(latest: list[Assessment], limit: int) -> list[Rise]:
    """Across every row (not only a page's), in one query of plain values."""
    current = {a.pk: a for a in latest if a.baseline_id}
    ids = [*current, *(a.baseline_id for a in current.values())]
    scores = {
        (row["assessment_id"], row["number"]): row
        for row in Threat.objects.filter(assessment__in=ids).values(
            "assessment_id", "number", "title", "likelihood", "severity"
        )
    }
    rises = []
    for (assessment_id, number), row in scores.items():
        a = current.get(assessment_id)
        old = scores.get((a.baseline_id, number)) if a else None
        if old is None:
            continue
        before, now = old["likelihood"] * old["severity"], row["likelihood"] * row["severity"]
        if now > before:
            rises.append(Rise(a, f"T{number}", row["title"], before, now))
    rises.sort(key=lambda r: (-r.rise, r.assessment.pk, r.ref))
    return rises[:limit]


def portfolio_for(
    user,
    *,
    team=None,
    country: str = "",
    status: str = "",
    period_from: date | None = None,
    period_to: date | None = None,
    rises: int = 10,
    page: int | None = None,
    per_page: int = 50,
) -> Portfolio:
    """Every row, or only page `page` of `per_page` rows (the lens check and the cells
    are computed for the rows shown; the columns and the rises for all)."""
    scope = portfolio_scope(user)
    parents = dict(scope.values_list("pk", "baseline_id"))
    chosen = scope.select_related("team", "framework_version")
    if team is not None:
        chosen = chosen.filter(team=team)
    if country:
        chosen = chosen.filter(country__iexact=country)
    if status:
        chosen = chosen.filter(status=status)
    if period_from:
        chosen = chosen.filter(Q(period_end__isnull=True) | Q(period_end__gte=period_from))
    if period_to:
        chosen = chosen.filter(Q(period_start__isnull=True) | Q(period_start__lte=period_to))
    contexts: dict[int, list[Assessment]] = defaultdict(list)
    for a in chosen:
        contexts[_context_of(a.pk, parents)].append(a)
    series = defaultdict(int)
    for pk in parents:
        series[_context_of(pk, parents)] += 1
    latest = sorted(
        (max(group, key=_key) for group in contexts.values()),
        key=lambda a: (a.country.lower(), a.title.lower(), a.pk),
    )
    versions: dict[int, _Content] = {}
    for a in latest:
        if a.framework_version_id not in versions:
            versions[a.framework_version_id] = _Content(a.framework_version)
    dimensions: dict[str, str] = {}
    for content in versions.values():
        for dim in content.dimensions:
            dimensions.setdefault(dim.key, dim.name)
    pages = max(1, -(-len(latest) // per_page))
    shown = latest
    if page is not None:
        page = min(max(page, 1), pages)
        shown = latest[(page - 1) * per_page : page * per_page]
    data = _load(shown, versions)
    rows = []
    for a in shown:
        d = data[a.pk]
        top = d.scales["likelihood"][-1].value * d.scales["severity"][-1].value
        cells = {key: Cell() for key in dimensions}
        for threat in d.threats:
            cell = cells[threat.dimension.key]
            band = band_of(threat.likelihood, threat.severity, top)
            cell.count += 1
            if cell.band is None or BANDS.index(band) < BANDS.index(cell.band):
                cell.band = band
        checks = lens_check(d)
        rows.append(
            Row(
                assessment=a,
                series=series[_context_of(a.pk, parents)],
                cells=[cells[key] for key in dimensions],
                lens_ok=sum(1 for c in checks if c.ok),
                lens_total=len(checks),
                lens_gaps=[c.name for c in checks if not c.ok],
            )
        )
    return Portfolio(
        list(dimensions.items()),
        rows,
        _rises(latest, rises),
        total=len(latest),
        page=page or 1,
        pages=pages if page is not None else 1,
    )

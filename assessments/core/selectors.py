"""Reads for the dashboard, the list and search, and the overview page."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import translation

from assessments import permissions
from assessments.core.search import search
from assessments.models import (
    Answer,
    Assessment,
    PopulationGroup,
    Response,
    Threat,
)
from frameworks.i18n import text as fw_text
from frameworks.models import Dimension

# The dashboard is a glance: the newest few of each list, with a link to the whole list.
DASHBOARD_ROWS = 10


def dashboard_for(user) -> dict:
    base = Assessment.objects.visible_to(user).select_related("team", "owner")
    collaborating = Assessment.collaborators.through.objects.filter(
        assessment_id=OuterRef("pk"), user_id=user.pk
    )
    return {
        "mine": base.filter(Q(owner=user) | Exists(collaborating))[:DASHBOARD_ROWS],
        "awaiting_review": undecided_by(user, limit=DASHBOARD_ROWS),
    }


def undecided_by(user, *, limit: int) -> list[Assessment]:
    """The newest `limit` submissions the person may decide on: never work they had a
    hand in (separation of duties). Read a page at a time, newest first, with one
    history query per page, so a portfolio of thousands costs what the first page does."""
    awaiting = Assessment.objects.awaiting_review_by(user).select_related("team", "owner")
    found: list[Assessment] = []
    start = 0
    while len(found) < limit:
        page = list(awaiting[start : start + 2 * limit])
        if not page:
            break
        barred = {a for a, _u in permissions.involvement([a.pk for a in page], user=user)}
        found += [a for a in page if a.pk not in barred]
        start += len(page)
    return found[:limit]


def assessment_list(
    user, *, q: str = "", status: str = "", team=None, country: str = "", dimension: str = ""
) -> QuerySet:
    """What the person may see, filtered, newest first.

    Every filter is a condition on the assessment row itself (related rows through
    EXISTS), so there is never a DISTINCT over a join and the (team | status,
    -updated_at) indexes give the first page without sorting the rest.
    """
    qs = Assessment.objects.visible_to(user).select_related("team", "owner")
    if status:
        qs = qs.filter(status=status)
    if team is not None:
        qs = qs.filter(team=team)
    if country:
        qs = qs.filter(country__icontains=country)
    if dimension:
        qs = qs.filter(touching_dimension(dimension))
    if q:
        qs = search(qs, q)
    return qs.order_by("-updated_at", "-id")


def touching_dimension(key: str) -> Q:
    """Assessments with a threat in the dimension `key`, as its primary dimension or a
    further one. Dimensions are per framework version, so the key is resolved to the
    ids of every version's dimension first (a few rows): each assessment is then checked
    against the (assessment, dimension) index alone, with no join per row."""
    ids = list(Dimension.objects.filter(key=key).values_list("pk", flat=True))
    return Q(
        Exists(
            Threat.objects.filter(assessment_id=OuterRef("pk")).filter(
                Q(dimension_id__in=ids) | Q(further_dimensions__in=ids)
            )
        )
    )


def dimension_choices_for(user) -> list[tuple[str, str]]:
    """The dimensions of the framework versions the person's assessments use."""
    used = Assessment.objects.visible_to(user).filter(framework_version_id=OuterRef("version_id"))
    seen = {}
    for key, name in Dimension.objects.filter(Exists(used)).values_list("key", "name"):
        seen.setdefault(key, name)
    return sorted(seen.items(), key=lambda kv: kv[1])


def assessment_for_page(user) -> QuerySet:
    """The scoped queryset every assessment page fetches its object from."""
    return (
        Assessment.objects.visible_to(user)
        .select_related("team", "owner", "framework_version__framework")
        .prefetch_related("collaborators")
    )


def recent_history(assessment: Assessment, *, limit: int = 15) -> list[dict]:
    """The latest changes to the assessment and everything in it, newest first."""
    sources = [
        (Assessment.history.filter(id=assessment.pk), "title"),
        (Answer.history.filter(assessment_id=assessment.pk).select_related("prompt"), None),
        (PopulationGroup.history.filter(assessment_id=assessment.pk), "name"),
        (Threat.history.filter(assessment_id=assessment.pk), "title"),
        (Response.history.filter(assessment_id=assessment.pk), "title"),
    ]
    records = []
    for qs, _label in sources:
        records.extend(qs.select_related("history_user").order_by("-history_date")[:limit])
    records.sort(key=lambda r: r.history_date, reverse=True)
    out = []
    for record in records[:limit]:
        model = record.instance_type._meta.verbose_name
        if hasattr(record, "prompt_id") and record.__class__.__name__ == "HistoricalAnswer":
            subject = fw_text(record.prompt, "text")[0][:70]
        elif record.__class__.__name__ == "HistoricalComponentTag":
            subject = fw_text(record.component, "name")[0]
        else:
            subject = getattr(record, "title", None) or getattr(record, "name", "")
        out.append(
            {
                "when": record.history_date,
                "who": record.history_user,
                "action": record.get_history_type_display(),
                "what": model,
                "subject": subject,
            }
        )
    return out


def overview_cache_key(assessment: Assessment, *, links: bool) -> str:
    """Changes whenever the content, the status or the reader's language does."""
    return ":".join(
        [
            "overview",
            "1",
            str(assessment.pk),
            assessment.updated_at.isoformat(),
            str(assessment.version),
            translation.get_language() or "",
            "edit" if links else "read",
        ]
    )

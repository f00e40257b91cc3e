"""The sample assessment that `seed_demo` creates: displaced communities in a drought-hit
border province. Every place, group and figure in it is fictional.

The sample is data: sample.json is an assessment export (hsassess-assessment/1), loaded
through the importer, so the same services as the pages write it, with the real history,
versions and checks. It is complete enough to show every page and the brief, and it
leaves exactly one gap for the lens check to find (DELIBERATE_GAP): a serious threat
whose early-warning indicator has not been agreed yet.

To change it: seed, edit the sample in the app, download its export.json over
sample.json, and check the diff.
"""

from __future__ import annotations

import json
from pathlib import Path

from assessments.interchange.importer import import_assessment
from assessments.models import Assessment, Team
from frameworks.models import FrameworkVersion

SAMPLE = Path(__file__).with_name("sample.json")
SAMPLE_TITLE = "Drought and displacement in the Harra border districts (sample)"

# The threat left without an early-warning indicator, so the lens check has one gap.
DELIBERATE_GAP = "Livelihood collapse drives debt, asset sales and child labour"

# The colleague wrote "by what means", "prevention" and the responses; the owner the rest.
# An export does not say who wrote what, so the attribution is kept here, for the history.
COLLEAGUE_PARTS = ("answers.means", "answers.prevention", "responses")


def sample_document() -> dict:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


def _fits(version: FrameworkVersion, document: dict) -> bool:
    """The sample is written against the default framework's sections and keys."""
    prompts = set(version.sections.values_list("key", "prompts__key"))
    components = set(version.components.values_list("key", flat=True))
    dimensions = set(version.dimensions.values_list("key", flat=True))
    threats = document["threats"]
    return (
        {(a["section"], a["prompt"]) for a in document["answers"]} <= prompts
        and {tag["component"] for t in threats for tag in t["tags"]} <= components
        and {t["dimension"] for t in threats} <= dimensions
    )


def create_sample(
    *, version: FrameworkVersion, team: Team, owner, collaborator
) -> Assessment | None:
    """Create the sample assessment in `team`, or return the one already there unchanged.
    Returns None if `version` is not shaped like the default framework."""
    existing = Assessment.objects.filter(team=team, title=SAMPLE_TITLE).order_by("pk").first()
    if existing is not None:
        return existing
    document = sample_document()
    if not _fits(version, document):
        return None
    # The file names the framework and people of the instance it was exported from; here
    # the sample is answered with `version` by the people the caller gives.
    document["framework"] = {"slug": version.framework.slug, "version": version.number}
    document["assessment"]["collaborators"] = (
        [collaborator.get_username()] if collaborator is not None else []
    )
    authors = dict.fromkeys(COLLEAGUE_PARTS, collaborator) if collaborator is not None else {}
    return import_assessment(document=document, owner=owner, team=team, authors=authors)

"""Bad input at scale (issue 5, part 4), what gets in: an author saves content the forms
accept but that is hostile all the same (markup, formulas, RTL and control characters,
boundary lengths), new items, changes and edit conflicts; then a reader opens the pages,
the exports and sometimes the brief. Stored text is shown, never a server error, and
nothing outside the target changes."""

from __future__ import annotations

from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.harness import Req, exercise
from tests.fuzz.strategies import checkbox, choice, form_data, optional, valid_text, weighted
from tests.fuzz.targets import (
    AUTHORS,
    FUZZ,
    all_ids,
    context_fields,
    group_fields,
    indicator_row,
    reads_after,
    response_fields,
    threat_fields,
)

STALE = choice(["0", "2", "", "-1"])


def _version(data) -> str:
    """Mostly the version the item was loaded at; sometimes another (an edit conflict)."""
    return data.draw(weighted((3, st.just("1")), (1, STALE)), label="version")


def _context(world, data, pk: int) -> tuple[str, dict, dict]:
    team = [world.users[r].pk for r in ("collaborator", "peer", "supervisor")]
    fields = context_fields(world) | {
        "collaborators": st.lists(choice(team), max_size=3, unique=True),
        "period_end": st.just(""),
    }
    return reverse("assessments:edit", args=[pk]), fields, {"version": _version(data)}


def _section(world, data, pk: int) -> tuple[str, dict, dict]:
    section = world.version.sections.order_by("order").first()
    answered = {a.prompt.key for a in world.case_of(pk).answers}
    fields = {}
    for prompt in section.prompts.order_by("order").values_list("key", flat=True):
        loaded = "1" if prompt in answered else "0"
        fields[f"text_{prompt}"] = optional(valid_text)
        fields[f"version_{prompt}"] = weighted((3, st.just(loaded)), (1, STALE))
        fields[f"keep_theirs_{prompt}"] = weighted((4, st.just("")), (1, st.just("on")))
    return reverse("assessments:section", args=[pk, section.key]), fields, {}


def _item(world, data, pk: int, form: str) -> tuple[str, dict, dict]:
    """A new group, threat or response, or a change to one of the target's."""
    fields = {"group": group_fields, "threat": threat_fields, "response": response_fields}[form]
    fields = {k: v for k, v in fields(world, pk).items() if k != "version"}
    if form == "threat":
        fields["dimension"] = choice(
            world.version.dimensions.order_by("pk").values_list("pk", flat=True)
        )
        fields = {k: v for k, v in fields.items() if not k.startswith(("tag_", "rationale_"))}
        for component in world.version.components.order_by("pk").values_list("pk", flat=True):
            fields[f"tag_{component}"] = checkbox
            fields[f"rationale_{component}"] = valid_text
    item = data.draw(st.one_of(st.none(), st.sampled_from(getattr(world.case_of(pk), f"{form}s"))))
    extra = {}
    if item is None:
        path = reverse(f"assessments:{form}_create", args=[pk])
    else:
        path = reverse(f"assessments:{form}_update", args=[pk, item.pk])
        extra["version"] = _version(data)
    if form == "threat":
        extra.update(_indicator_rows(data, [] if item is None else list(item.indicators.all())))
    return path, fields, extra


def _indicator_rows(data, existing: list) -> dict:
    """The threat's own indicators (kept, changed or deleted), then new ones."""
    rows = []
    for indicator in existing:
        row = data.draw(indicator_row(), label="indicator")
        row["id"] = str(indicator.pk)
        row["threat"] = str(indicator.threat_id)
        row["DELETE"] = data.draw(checkbox, label="delete")
        rows.append(row)
    rows += data.draw(st.lists(indicator_row(), max_size=2), label="new indicators")
    body = {
        "indicators-TOTAL_FORMS": str(len(rows)),
        "indicators-INITIAL_FORMS": str(len(existing)),
        "indicators-MIN_NUM_FORMS": "0",
        "indicators-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        body.update({f"indicators-{i}-{k}": v for k, v in row.items()})
    return body


@FUZZ
@given(data=st.data())
def test_what_an_author_saves_every_page_and_export_shows(world, data):
    target = world.cases["target"].assessment.pk
    author = data.draw(st.sampled_from(AUTHORS), label="author")
    reader = data.draw(st.sampled_from(["owner", "peer", "supervisor", "superuser"]))
    form = data.draw(st.sampled_from(["threat", "group", "response", "edit", "section"]))
    if form == "edit":
        path, fields, extra = _context(world, data, target)
    elif form == "section":
        path, fields, extra = _section(world, data, target)
    else:
        path, fields, extra = _item(world, data, target, form)
    body = {**data.draw(form_data(fields, all_ids(world), valid_only=True)), **extra}
    reads = [Req("GET", path), *reads_after(data, target)]
    exercise(
        world,
        author,
        [Req("POST", path, body), *reads],
        kind="content",
        pk=target,
        reader=reader,
    )

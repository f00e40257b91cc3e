"""Bad input at scale (issue 5, part 4), the review: actions (comment, decide, reopen or
anything else) with hostile notes and sections, comment resolution, and valid moves
(approval renders and freezes the brief) followed by the pages that show the trail."""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fuzz.harness import Req, exercise
from tests.fuzz.strategies import choice, form_data, optional, plain_text, valid_text, weighted
from tests.fuzz.targets import (
    ENCODINGS,
    EXAMPLES,
    FUZZ,
    all_ids,
    assessment_pk,
    item_id,
    others,
    reads_after,
    role_for,
)

REVIEWERS = ("supervisor", "superuser")


@FUZZ
@given(data=st.data())
def test_review_actions(world, data):
    role = data.draw(role_for(*REVIEWERS), label="role")
    pk = data.draw(assessment_pk(world), label="pk")
    sections = weighted(
        (4, choice(world.version.sections.order_by("pk").values_list("pk", flat=True))),
        (1, choice(world.other_version.sections.order_by("pk").values_list("pk", flat=True))),
    )
    fields = {
        "action": weighted(
            (4, choice(["comment", "decide", "reopen"])),
            (1, choice(["", "COMMENT", "comment "])),
            (1, plain_text),
        ),
        "text": plain_text,
        "section": optional(sections),
        "decision": weighted((3, choice(["return", "approve"])), (1, plain_text)),
        "note": optional(plain_text),
    }
    body = data.draw(form_data(fields, all_ids(world)), label="data")
    req = Req("POST", reverse("assessments:review", args=[pk]), body, data.draw(ENCODINGS))
    exercise(world, role, req, kind="review", pk=pk)


@FUZZ
@given(data=st.data())
def test_comment_resolve(world, data):
    role = data.draw(role_for("supervisor", "owner", "collaborator"), label="role")
    pk = data.draw(assessment_pk(world), label="pk")
    cid = data.draw(item_id(world, pk, "comments"), label="cid")
    fields = {"back": st.one_of(choice(["review", "detail", ""]), plain_text)}
    body = data.draw(form_data(fields, all_ids(world)), label="data")
    path = reverse("assessments:comment_resolve", kwargs={"pk": pk, "cid": cid})
    # Resolving one comment leaves the others open.
    fixed = others(world, cid, comments=lambda c: c.pk)
    exercise(world, role, Req("POST", path, body), kind="resolve", pk=pk, fixed=fixed)


@FUZZ
@given(data=st.data())
def test_thread_start_on_hostile_targets(world, data):
    """A thread on a kind and id drawn from any assessment, or none that exists."""
    role = data.draw(role_for("supervisor", "owner", "peer"), label="role")
    pk = data.draw(assessment_pk(world), label="pk")
    on = data.draw(
        st.one_of(
            choice(["section", "answer", "group", "threat", "response", "source"]), plain_text
        ),
        label="on",
    )
    target = data.draw(st.one_of(choice(all_ids(world)), plain_text), label="id")
    body = data.draw(form_data({"text": plain_text}, all_ids(world)), label="data")
    path = reverse("assessments:threads", args=[pk]) + "?" + urlencode({"on": on, "id": target})
    req = Req("POST", path, body, data.draw(ENCODINGS))
    exercise(world, role, req, kind="review", pk=pk)


@FUZZ
@given(data=st.data())
def test_thread_reply_and_reopen(world, data):
    role = data.draw(role_for("supervisor", "owner", "collaborator"), label="role")
    pk = data.draw(assessment_pk(world), label="pk")
    cid = data.draw(item_id(world, pk, "comments"), label="cid")
    name = data.draw(st.sampled_from(["comment_reply", "comment_reopen"]), label="url")
    fields = {"text": plain_text, "next": st.one_of(choice(["", "//evil.example/"]), plain_text)}
    body = data.draw(form_data(fields, all_ids(world)), label="data")
    path = reverse(f"assessments:{name}", kwargs={"pk": pk, "cid": cid})
    exercise(world, role, Req("POST", path, body), kind="resolve", pk=pk)


@settings(FUZZ, max_examples=max(10, EXAMPLES // 2))
@given(data=st.data())
def test_review_moves_then_every_page_shows_them(world, data):
    """Valid moves with hostile text, mostly by reviewers, mostly on the submitted and the
    approved assessment; then the pages, exports and sometimes the brief."""
    role = data.draw(role_for(*REVIEWERS), label="role")
    name = data.draw(
        weighted(
            (3, st.just("submitted")),
            (2, st.just("approved")),
            (1, st.sampled_from(["target", "sibling", "foreign"])),
        ),
        label="assessment",
    )
    pk = world.cases[name].assessment.pk
    action = data.draw(st.sampled_from(["comment", "decide", "reopen"]), label="action")
    sections = world.version.sections.order_by("pk").values_list("pk", flat=True)
    fields = {
        "comment": {"text": valid_text, "section": optional(choice(sections))},
        "decide": {"decision": choice(["return", "approve"]), "note": optional(valid_text)},
        "reopen": {"note": valid_text},
    }[action]
    body = {"action": action, **data.draw(form_data(fields, valid_only=True), label="data")}
    reads = [Req("GET", reverse("assessments:review", args=[pk])), *reads_after(data, pk)]
    reader = data.draw(st.sampled_from(["supervisor", "owner", "superuser"]), label="reader")
    exercise(
        world,
        role,
        [Req("POST", reverse("assessments:review", args=[pk]), body), *reads],
        kind="review",
        pk=pk,
        reader=reader,
    )

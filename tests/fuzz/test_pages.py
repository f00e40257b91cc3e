"""Bad input at scale (issue 5, part 4), every URL: random path ids (0, huge, another
assessment's), random query strings, and random or malformed bodies, as every role. The
answer is never a server error and nothing outside the assessment the URL names changes
(harness.exercise). The forms, the review and the import have their own tests."""

from __future__ import annotations

from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.models import Assessment
from tests.fuzz.harness import Req, exercise
from tests.fuzz.strategies import (
    ROLES,
    choice,
    extra_keys,
    form_data,
    hostile,
    plain_text,
    raw_body,
    raw_query,
    too_big,
    weighted,
)
from tests.fuzz.targets import (
    BIG_IDS,
    BOGUS_IDS,
    ENCODINGS,
    EXAMPLES,
    FUZZ,
    URL_NAMES,
    all_ids,
    any_url,
    assessment_pk,
    kind_of,
    query,
    team_of,
)

# Each of these also has a test that posts the form's real fields (or the brief's variants).
OWN_TEST = {
    "list",
    "create",
    "import",
    "edit",
    "section",
    "group_create",
    "group_update",
    "group_delete",
    "threat_create",
    "threat_update",
    "threat_delete",
    "response_create",
    "response_update",
    "response_delete",
    "submit",
    "review",
    "comment_resolve",
    "threads",  # tests/fuzz/test_review.py
    "comment_reply",
    "comment_reopen",
    "brief",
    "upgrade",  # tests/assessments/upgrade/
    "batch_exports",
    "notification_settings",  # tests/fuzz/test_forms.py
    "source_create",  # tests/fuzz/test_evidence_forms.py
    "source_update",
    "source_delete",
    "quote_create",
    "quote_update",
    "quote_delete",
    "readings",  # tests/fuzz/test_monitoring.py
}
# Pages without a form: their parameters are all in the path and the query string.
NO_FORM = {
    "detail",
    "groups",
    "threats",
    "responses",
    "frozen_brief",
    "export_json",
    "threats_csv",
    "threats_xlsx",
    "upgrade_undo",
    "batch_export",
    "batch_export_download",
    "batch_export_retry",
    "brief_summary",
    "public_preview",
    "notifications",
    "notification_open",
    "notifications_read_all",
    "changes",
    "sources",
    "source_detail",
    "source_file",
    "quotes",
    "monitoring",
    "reassess",
}
# Rendering a PDF costs about a second: the brief has its own test with few examples.
FAST = tuple(name for name in URL_NAMES if name != "brief")


def test_every_url_of_the_app_is_fuzzed():
    """A new URL fails here until it is placed in one of the two sets (and fuzzed)."""
    assert set(URL_NAMES) == OWN_TEST | NO_FORM


@FUZZ
@given(data=st.data())
def test_every_url_read_with_random_ids_and_query_strings(world, data):
    role = data.draw(st.sampled_from(ROLES), label="role")
    _name, kwargs, path = data.draw(any_url(world, FAST), label="url")
    if data.draw(st.booleans(), label="raw query"):
        req = Req("GET", path, raw=data.draw(raw_query(), label="query"))
    else:
        req = Req("GET", path, data.draw(query(world), label="query"))
    exercise(world, role, req, pk=kwargs.get("pk"))


@FUZZ
@given(data=st.data())
def test_every_url_posted_random_or_malformed_bodies(world, data):
    """Unasked-for keys, bodies that do not parse, wrong content types, too much data."""
    role = data.draw(st.sampled_from(ROLES), label="role")
    name, kwargs, path = data.draw(any_url(world, FAST), label="url")
    shape = data.draw(st.sampled_from(["fields", "raw", "too big"]), label="shape")
    if shape == "fields":
        body = data.draw(st.dictionaries(extra_keys(), hostile(all_ids(world)), max_size=8))
        req = Req("POST", path, body, data.draw(ENCODINGS, label="encoding"))
    elif shape == "raw":
        content_type, body = data.draw(raw_body(), label="raw")
        req = Req("POST", path, raw=body, content_type=content_type)
    else:
        req = Req("POST", path, {"title": data.draw(too_big)})
    exercise(world, role, req, kind=kind_of(name), pk=kwargs.get("pk"))


@FUZZ
@given(data=st.data())
def test_assessment_list_with_random_filters(world, data):
    role = data.draw(st.sampled_from(ROLES), label="role")
    dimensions = world.version.dimensions.order_by("pk").values_list("key", flat=True)
    fields = {
        "q": st.one_of(plain_text, st.just("Nord")),
        "status": choice(Assessment.Status.values),
        "team": team_of(world, role),
        "country": st.one_of(plain_text, st.just("Nigeria")),
        "dimension": choice(dimensions),
        "page": st.one_of(choice(["1", "2", "last", "0", "-1"]), st.sampled_from(BIG_IDS).map(str)),
    }
    params = data.draw(form_data(fields, world.assessment_ids), label="filters")
    exercise(world, role, Req("GET", reverse("assessments:list"), params))


@FUZZ
@given(data=st.data())
def test_dashboard_and_framework_pages_with_random_parameters(world, data):
    role = data.draw(st.sampled_from(ROLES), label="role")
    slug = data.draw(
        weighted(
            (3, st.just(world.version.framework.slug)),
            (1, st.from_regex(r"[-a-zA-Z0-9_]{1,100}", fullmatch=True)),
        ),
        label="slug",
    )
    numbers = [v.number for v in (world.version, world.other_version, world.draft_version)]
    number = data.draw(weighted((3, st.sampled_from(numbers)), (1, BOGUS_IDS)), label="number")
    version_page = reverse("frameworks:version", args=[slug, number])
    path = data.draw(st.sampled_from([version_page, "/", reverse("frameworks:list")]), label="path")
    response = exercise(world, role, Req("GET", path, data.draw(query(world), label="query")))
    if path == version_page and number == world.draft_version.number:
        # Drafts stay with the framework admins until they are published.
        assert response.status_code in (302, 404), response.status_code


@settings(FUZZ, max_examples=max(6, EXAMPLES // 5))
@given(data=st.data())
def test_brief_with_random_variants(world, data):
    role = data.draw(st.sampled_from(ROLES), label="role")
    pk = data.draw(assessment_pk(world), label="pk")
    variant = data.draw(
        st.one_of(choice(["full", "public"]), hostile(), st.none()), label="variant"
    )
    params = {} if variant is None else {"variant": variant}
    method = data.draw(st.sampled_from(["GET", "POST"]), label="method")
    exercise(world, role, Req(method, reverse("assessments:brief", args=[pk]), params), pk=pk)

"""Bad input at scale (issue 5, part 4), the forms: each posted with its real fields, some
of them (none, one, a few or any) hostile or left out, plus keys it never asked for, to
random assessments and items, as every role (those who may post it most often). The
answer is never a server error, nothing outside the assessment the URL names changes, and
a post to one item's URL leaves the other items as they were."""

from __future__ import annotations

import json
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from frameworks.models import Framework
from tests.fuzz.harness import Req, exercise
from tests.fuzz.strategies import (
    FILENAMES,
    NASTY_FILES,
    ROLES,
    checkbox,
    choice,
    dates,
    extra_keys,
    form_data,
    hostile,
    mutated,
    optional,
    plain_text,
    valid_text,
    weighted,
)
from tests.fuzz.targets import (
    AUTHORS,
    BIG_IDS,
    ENCODINGS,
    FUZZ,
    INDICATOR_FIELDS,
    ITEM_PARAMS,
    VERSIONS,
    all_ids,
    assessment_pk,
    context_fields,
    group_fields,
    ids_of,
    item_id,
    others,
    prompt_keys,
    response_fields,
    role_for,
    section_key,
    team_of,
    threat_fields,
)

# --- new assessments -----------------------------------------------------------------


@FUZZ
@given(data=st.data())
def test_create_form(world, data):
    role = data.draw(st.sampled_from(ROLES), label="role")
    fields = {
        "title": valid_text,
        "team": team_of(world, role),
        "framework": choice(Framework.objects.order_by("pk").values_list("pk", flat=True)),
        "country": valid_text,
        "area": optional(valid_text),
        "population_focus": optional(valid_text),
        "period_start": optional(dates),
        "period_end": optional(dates),
    }
    body = data.draw(form_data(fields, all_ids(world)), label="data")
    req = Req("POST", reverse("assessments:create"), body, data.draw(ENCODINGS))
    exercise(world, role, req, kind="create")


UPLOAD = "<the file>"


@FUZZ
@given(data=st.data())
def test_import_with_changed_and_malformed_documents(world, export_document, data):
    role = data.draw(role_for("owner", "outsider", "superuser"), label="role")
    if data.draw(weighted((4, st.just(True)), (1, st.just(False))), label="an export"):
        document = export_document
        changes = data.draw(weighted((2, st.just(0)), (3, st.just(1)), (1, st.integers(2, 4))))
        for _ in range(changes):
            document = data.draw(mutated(document), label="document")
        try:
            content = json.dumps(document, ensure_ascii=data.draw(st.booleans())).encode()
        except UnicodeEncodeError:  # a lone surrogate: only its \u escape can be sent
            content = json.dumps(document).encode()
    else:
        content = NASTY_FILES[data.draw(st.sampled_from(sorted(NASTY_FILES)), label="file")]
    name = data.draw(weighted((4, st.just("export.json")), (1, st.sampled_from(FILENAMES))))
    fields = {"file": st.just(UPLOAD), "team": team_of(world, role)}
    body = data.draw(form_data(fields, all_ids(world)), label="data")
    if body.get("file") == UPLOAD:  # a new file object each time: reading one uses it up
        body["file"] = SimpleUploadedFile(name, content, content_type="application/json")
    exercise(world, role, Req("POST", reverse("assessments:import"), body), kind="create")


# --- the context and the sections ------------------------------------------------------


@FUZZ
@given(data=st.data())
def test_context_form(world, data):
    role = data.draw(role_for(*AUTHORS), label="role")
    pk = data.draw(assessment_pk(world), label="pk")
    body = data.draw(form_data(context_fields(world), all_ids(world)), label="data")
    req = Req("POST", reverse("assessments:edit", args=[pk]), body, data.draw(ENCODINGS))
    exercise(world, role, req, kind="content", pk=pk)


@FUZZ
@given(data=st.data())
def test_section_form_with_random_prompt_keys(world, data):
    role = data.draw(role_for(*AUTHORS), label="role")
    pk = data.draw(assessment_pk(world), label="pk")
    key = data.draw(section_key(world), label="key")
    section = world.version.sections.filter(key=key).first()
    own = list(section.prompts.order_by("pk").values_list("key", flat=True)) if section else []
    elsewhere = data.draw(st.lists(st.sampled_from(prompt_keys(world.version)), max_size=2))
    made_up = data.draw(st.lists(st.text(max_size=20), max_size=2), label="made-up keys")
    fields = {"next": choice(["overview", ""])}
    for prompt in own + elsewhere + made_up:
        fields[f"text_{prompt}"] = optional(plain_text)
        fields[f"version_{prompt}"] = VERSIONS
        fields[f"keep_theirs_{prompt}"] = checkbox
    body = data.draw(form_data(fields, all_ids(world)), label="data")
    req = Req("POST", reverse("assessments:section", args=[pk, key]), body, data.draw(ENCODINGS))
    # Answers to the prompts of other sections are never written from this page.
    fixed = frozenset(
        ("answer", a.pk)
        for case in world.cases.values()
        for a in case.answers
        if a.prompt.key not in own
    )
    exercise(world, role, req, kind="content", pk=pk, fixed=fixed)


# --- groups, threats, responses ----------------------------------------------------------


def _item_path(data, world, name: str, param: str):
    """pk and the item id (None: the create URL) with the path to post to."""
    pk = data.draw(assessment_pk(world), label="pk")
    item = data.draw(st.one_of(st.none(), item_id(world, pk, ITEM_PARAMS[param])), label=param)
    if item is None:
        return pk, item, reverse(f"assessments:{name}_create", args=[pk])
    url_param = "tid" if name == "threat" else "oid"  # groups and responses share a view
    return pk, item, reverse(f"assessments:{name}_update", kwargs={"pk": pk, url_param: item})


@FUZZ
@given(data=st.data())
def test_group_form(world, data):
    role = data.draw(role_for(*AUTHORS), label="role")
    pk, gid, path = _item_path(data, world, "group", "gid")
    body = data.draw(form_data(group_fields(world, pk), all_ids(world)), label="data")
    req = Req("POST", path, body, data.draw(ENCODINGS))
    fixed = others(world, gid, groups=lambda g: g.pk)
    exercise(world, role, req, kind="content", pk=pk, fixed=fixed)


MANAGEMENT_NUMBERS = st.one_of(
    choice(
        ["0", "1", "2", "3", "50", "51", "1000", "1001", "-1", "", "abc", "1e3", " 2", "\uff12"]
    ),
    st.sampled_from(BIG_IDS).map(str),
)


@st.composite
def indicator_formset(draw, world, pk: int) -> dict:
    """The formset: rows (ids of this threat's indicators, of other threats', none),
    and a management form that mostly tells the truth about them, sometimes lies (counts
    that are huge, negative or not numbers, rows past TOTAL_FORMS) or is missing."""
    fields = {
        "id": optional(ids_of(world, pk, "indicators")),
        "threat": optional(ids_of(world, pk, "threats")),
        **INDICATOR_FIELDS,
        "DELETE": checkbox,
    }
    count = draw(st.integers(0, 3), label="rows")
    indexes = list(range(count))
    if draw(weighted((5, st.just(False)), (1, st.just(True))), label="stray row"):
        indexes.append(draw(st.sampled_from([count + 1, 60, 1049])))
    data = {}
    initial = 0
    for index in indexes:
        row = draw(form_data(fields, world.ids("indicators")), label=f"row {index}")
        initial += index < count and bool(row.get("id"))
        data.update({f"indicators-{index}-{k}": v for k, v in row.items() if k in fields})
    truth = {
        "TOTAL_FORMS": str(count),
        "INITIAL_FORMS": str(initial),
        "MIN_NUM_FORMS": "0",
        "MAX_NUM_FORMS": "1000",
    }
    for name, value in truth.items():
        mode = draw(weighted((6, st.just("real")), (1, st.just("random")), (1, st.just("absent"))))
        if mode == "real":
            data[f"indicators-{name}"] = value
        elif mode == "random":
            data[f"indicators-{name}"] = draw(MANAGEMENT_NUMBERS, label=name)
    return data


@FUZZ
@given(data=st.data())
def test_threat_form_with_tags_and_indicator_formset(world, data):
    role = data.draw(role_for(*AUTHORS), label="role")
    pk, tid, path = _item_path(data, world, "threat", "tid")
    body = data.draw(form_data(threat_fields(world, pk), all_ids(world)), label="data")
    body.update(data.draw(indicator_formset(world, pk), label="indicators"))
    req = Req("POST", path, body, data.draw(ENCODINGS))
    fixed = others(
        world,
        tid,
        threats=lambda t: t.pk,
        tags=lambda t: t.threat_id,
        indicators=lambda i: i.threat_id,
    )
    exercise(world, role, req, kind="content", pk=pk, fixed=fixed)


@FUZZ
@given(data=st.data())
def test_response_form(world, data):
    role = data.draw(role_for(*AUTHORS), label="role")
    pk, rid, path = _item_path(data, world, "response", "rid")
    body = data.draw(form_data(response_fields(world, pk), all_ids(world)), label="data")
    req = Req("POST", path, body, data.draw(ENCODINGS))
    fixed = others(world, rid, responses=lambda r: r.pk)
    exercise(world, role, req, kind="content", pk=pk, fixed=fixed)


DELETABLE = {"group": "groups", "threat": "threats", "response": "responses"}


@FUZZ
@given(data=st.data())
def test_item_delete(world, data):
    role = data.draw(role_for(*AUTHORS), label="role")
    kind = data.draw(st.sampled_from(sorted(DELETABLE)), label="kind")
    pk = data.draw(assessment_pk(world), label="pk")
    oid = data.draw(item_id(world, pk, DELETABLE[kind]), label="oid")
    path = reverse(f"assessments:{kind}_delete", kwargs={"pk": pk, "oid": oid})
    body = data.draw(st.dictionaries(extra_keys(), hostile(all_ids(world)), max_size=4))
    # Deleting one item unlinks it from others (a threat's groups, a response's threats),
    # but leaves every other item of its kind as it was.
    fixed = others(world, oid, **{DELETABLE[kind]: lambda obj: obj.pk})
    exercise(world, role, Req("POST", path, body), kind="content", pk=pk, fixed=fixed)


@FUZZ
@given(data=st.data())
def test_submit(world, data):
    role = data.draw(role_for(*AUTHORS), label="role")
    pk = data.draw(assessment_pk(world), label="pk")
    body = data.draw(st.dictionaries(extra_keys(), hostile(all_ids(world)), max_size=4))
    req = Req("POST", reverse("assessments:submit", args=[pk]), body)
    exercise(world, role, req, kind="submit", pk=pk)


@FUZZ
@given(data=st.data())
def test_batch_export_form(world, data):
    role = data.draw(role_for("supervisor", "superuser"), label="role")
    # Mostly days around the approved case's approval (yesterday), often a period that
    # holds it, so the export is asked for; now and then any day at all.
    today = timezone.localdate()
    recent = st.dates(today - timedelta(days=60), today + timedelta(days=3)).map(str)
    fields = {
        "team": team_of(world, role),
        "period_from": weighted((3, recent), (1, dates)),
        "period_to": weighted((3, st.just(str(today))), (2, recent), (1, dates)),
    }
    body = data.draw(form_data(fields, all_ids(world)), label="data")
    req = Req("POST", reverse("assessments:batch_exports"), body, data.draw(ENCODINGS))
    exercise(world, role, req, kind="export")


@FUZZ
@given(data=st.data())
def test_notification_settings_form(world, data):
    # A person's own choices: no assessment changes, whatever is posted.
    role = data.draw(st.sampled_from(ROLES), label="role")
    fields = {
        "email": checkbox,
        "language": weighted((3, choice(["", "en", "fr", "es", "ar"])), (1, plain_text)),
    }
    body = data.draw(form_data(fields, all_ids(world)), label="data")
    req = Req("POST", reverse("assessments:notification_settings"), body, data.draw(ENCODINGS))
    exercise(world, role, req)

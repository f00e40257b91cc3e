"""Bad input to the evidence forms (issue 10): a source's and a quote's real fields with
valid and hostile values, ids of other assessments' groups, sources and threats, and
deletes. Nothing outside the assessment the URL names changes, and no link crosses
assessments (harness.broken_references)."""

from __future__ import annotations

from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.harness import Req, exercise
from tests.fuzz.strategies import extra_keys, form_data, hostile
from tests.fuzz.targets import (
    AUTHORS,
    ENCODINGS,
    FUZZ,
    all_ids,
    assessment_pk,
    item_id,
    others,
    quote_fields,
    role_for,
    source_fields,
)


def _path(data, world, name: str, kind: str, param: str):
    pk = data.draw(assessment_pk(world), label="pk")
    item = data.draw(st.one_of(st.none(), item_id(world, pk, kind)), label=param)
    if item is None:
        return pk, item, reverse(f"assessments:{name}_create", args=[pk])
    return pk, item, reverse(f"assessments:{name}_update", kwargs={"pk": pk, param: item})


@FUZZ
@given(data=st.data())
def test_source_form(world, data):
    role = data.draw(role_for(*AUTHORS), label="role")
    pk, sid, path = _path(data, world, "source", "sources", "sid")
    body = data.draw(form_data(source_fields(world, pk), all_ids(world)), label="data")
    req = Req("POST", path, body, data.draw(ENCODINGS))
    fixed = others(world, sid, sources=lambda s: s.pk)
    exercise(world, role, req, kind="content", pk=pk, fixed=fixed)


@FUZZ
@given(data=st.data())
def test_quote_form(world, data):
    role = data.draw(role_for(*AUTHORS), label="role")
    pk, qid, path = _path(data, world, "quote", "quotes", "oid")
    body = data.draw(form_data(quote_fields(world, pk), all_ids(world)), label="data")
    req = Req("POST", path, body, data.draw(ENCODINGS))
    fixed = others(world, qid, quotes=lambda q: q.pk)
    exercise(world, role, req, kind="content", pk=pk, fixed=fixed)


@FUZZ
@given(data=st.data())
def test_evidence_delete(world, data):
    role = data.draw(role_for(*AUTHORS), label="role")
    name, kind, param = data.draw(
        st.sampled_from([("source", "sources", "sid"), ("quote", "quotes", "oid")]), label="kind"
    )
    pk = data.draw(assessment_pk(world), label="pk")
    item = data.draw(item_id(world, pk, kind), label=param)
    path = reverse(f"assessments:{name}_delete", kwargs={"pk": pk, param: item})
    body = data.draw(st.dictionaries(extra_keys(), hostile(all_ids(world)), max_size=4))
    fixed = others(world, item, **{kind: lambda obj: obj.pk})
    exercise(world, role, Req("POST", path, body), kind="content", pk=pk, fixed=fixed)

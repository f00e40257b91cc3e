"""Bad input at scale, monitoring (issue 14): readings posted with hostile dates, values,
levels and events, by every role, on every status; a reading changes nothing but its
own indicator's series."""

from __future__ import annotations

from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.harness import Req, exercise
from tests.fuzz.strategies import choice, form_data, optional, plain_text, weighted
from tests.fuzz.targets import ENCODINGS, FUZZ, all_ids, assessment_pk, item_id, role_for

DATES = weighted(
    (3, st.dates().map(lambda d: d.isoformat())),
    (1, choice(["", "2026-02-30", "31/12/2025", "9999-12-31", "0001-01-01"])),
    (1, plain_text),
)
NUMBERS = weighted(
    (3, st.decimals(allow_nan=True, allow_infinity=True).map(str)),
    (1, choice(["", "1,5", "1e400", "-0", "NaN", "Infinity", "12 cases"])),
    (1, plain_text),
)


@FUZZ
@given(data=st.data())
def test_readings_posted(world, data):
    role = data.draw(role_for("owner", "collaborator", "supervisor"), label="role")
    pk = data.draw(assessment_pk(world), label="pk")
    iid = data.draw(item_id(world, pk, "indicators"), label="iid")
    fields = {
        "date": DATES,
        "value": optional(NUMBERS),
        "level": optional(weighted((3, st.integers(-2, 12).map(str)), (1, plain_text))),
        "occurred": optional(weighted((3, choice(["yes", "no"])), (1, plain_text))),
        "note": optional(plain_text),
        "source": optional(plain_text),
    }
    body = data.draw(form_data(fields, all_ids(world)), label="data")
    path = reverse("assessments:readings", kwargs={"pk": pk, "iid": iid})
    exercise(world, role, Req("POST", path, body, data.draw(ENCODINGS)), kind="reading", pk=pk)

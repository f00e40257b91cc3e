"""The evidence in the brief: numbered citations [n] after threats and responses, the
numbered source list with grades, consented quotes in "for whom"; the public edition
omits sensitive sources and quotes of groups it does not name, and renumbers nothing."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from assessments.briefs.context import brief_context
from assessments.briefs.public import public_hits
from assessments.briefs.render import render_brief_pdf
from tests.factories import (
    PopulationGroupFactory,
    QuoteFactory,
    ResponseFactory,
    SourceFactory,
    ThreatFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def evidenced(assessment):
    women = PopulationGroupFactory(assessment=assessment, name="Displaced women")
    minority = PopulationGroupFactory(assessment=assessment, name="Hill clans", sensitive=True)
    report = SourceFactory(assessment=assessment, title="Protection monitoring report")
    elder = SourceFactory(
        assessment=assessment, title="Interview with a clan elder", kind="interview", sensitive=True
    )
    survey = SourceFactory(assessment=assessment, title="Household survey", reliability="A")
    threat = ThreatFactory(assessment=assessment, title="Attacks on the road", severity=4)
    threat.affected_groups.set([women, minority])
    threat.sources.set([report, elder, survey])
    response = ResponseFactory(assessment=assessment, title="Escorts to the fields")
    response.threats.add(threat)
    response.sources.set([elder, survey])
    QuoteFactory(
        assessment=assessment,
        group=women,
        source=elder,
        text="We walk in groups of ten now.",
        consent="publication",
    )
    QuoteFactory(
        assessment=assessment,
        group=women,
        source=report,
        text="Nobody asked us before.",
        consent="internal",
    )
    QuoteFactory(
        assessment=assessment,
        group=minority,
        source=report,
        text="They know our faces.",
        consent="publication",
    )
    return assessment


def test_the_restricted_edition_cites_every_source_and_consented_quotes(evidenced):
    context = brief_context(evidenced)

    threat = context["data"].threats[0]
    assert threat.cites == [1, 2, 3]
    assert context["data"].responses[0].cites == [2, 3]
    assert [s.ref for s in context["evidence_sources"]] == ["S1", "S2", "S3"]
    assert [q.text for q in context["evidence_quotes"]] == [
        "We walk in groups of ten now.",
        "They know our faces.",
    ]


def test_the_public_edition_omits_sensitive_sources_without_renumbering(evidenced):
    context = brief_context(evidenced, public=True)

    assert context["data"].threats[0].cites == [1, 3]
    assert context["data"].responses[0].cites == [3]
    assert [s.ref for s in context["evidence_sources"]] == ["S1", "S3"]
    assert context["sources_withheld"] == 1
    # Quotes of a group the public edition does not name are left out too.
    assert [q.text for q in context["evidence_quotes"]] == ["We walk in groups of ten now."]


def test_a_sensitive_name_in_a_published_quote_blocks_the_public_edition(evidenced):
    QuoteFactory(
        assessment=evidenced,
        group=evidenced.groups.get(name="Displaced women"),
        text="The hill clans were blamed.",
        consent="publication",
    )
    evidenced.quotes.filter(text="We walk in groups of ten now.").delete()

    hits = public_hits(evidenced)

    assert any(h.place.startswith("Quote") and h.name == "hill clans" for h in hits)


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(p.extract_text().split()) for p in reader.pages)


def test_both_pdfs_read_back_with_numbered_citations_and_the_source_list(evidenced):
    restricted = _text(render_brief_pdf(assessment=evidenced))
    evidenced.groups.filter(sensitive=True).update(name="A minority")  # nothing to refuse
    public = _text(render_brief_pdf(assessment=evidenced, public=True))

    assert "Attacks on the road [1], [2], [3]" in restricted
    assert "Escorts to the fields [2], [3]" in restricted
    assert "[2] Interview with a clan elder" in restricted
    assert "grade B2" in restricted
    assert "“We walk in groups of ten now.”" in restricted
    assert "Nobody asked us before." not in restricted
    assert "Attacks on the road [1], [3]" in public
    assert "Interview with a clan elder" not in public
    assert "[3] Household survey" in public
    assert "1 sensitive source is not listed in this edition" in public
    assert "They know our faces." not in public

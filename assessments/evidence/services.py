"""Writes to the evidence of an assessment: sources (with their file), quotes, and the
citations threats, responses, indicators and answers make. Each write checks the status
under the assessment's row lock, the version it started from, and that everything it
links belongs to the same assessment."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from assessments import fields, limits
from assessments.content.services import _delete_item, _write_item
from assessments.core.services import assert_editable, touch
from assessments.evidence.citations import set_citations
from assessments.evidence.files import Attachment
from assessments.models import Assessment, Quote, Source

SOURCE_FIELDS = fields.SOURCE
QUOTE_FIELDS = fields.plain(fields.QUOTE)


def _next_source_number(assessment: Assessment, wanted: int | None) -> int:
    # assert_editable holds the assessment's row lock, so two saves cannot take one
    # number. The history remembers deleted sources, so their numbers are not reused.
    taken = Source.objects.filter(assessment=assessment)
    if wanted and wanted > 0 and not taken.filter(number=wanted).exists():
        return wanted
    highest = max(
        taken.aggregate(n=Max("number"))["n"] or 0,
        Source.history.filter(assessment_id=assessment.pk).aggregate(n=Max("number"))["n"] or 0,
    )
    return highest + 1


@transaction.atomic
def source_save(
    *,
    assessment: Assessment,
    user,
    source: Source | None = None,
    base_version: int = 0,
    attachment: Attachment | None = None,
    remove_file: bool = False,
    number: int | None = None,
    **fields: Any,
) -> Source:
    """Create or update a source, with its file (a checked Attachment) replaced or
    removed. A new source gets the next number (S1, S2 …), or `number` when an import
    keeps its document's numbers and it is free. A new key-informant interview is
    sensitive unless `sensitive` says otherwise."""
    assert_editable(assessment)
    if source is None:
        limits.check_count("sources", assessment.sources.count() + 1)
        source = Source(assessment=assessment, number=_next_source_number(assessment, number))
        if fields.get("sensitive") is None:
            fields["sensitive"] = fields.get("kind") == Source.Kind.INTERVIEW
    if fields.get("sensitive") is None:
        fields.pop("sensitive", None)
    old_file = source.file.name if source.pk else ""
    stored = None
    if attachment is not None:
        stored = source.file.storage.save(
            f"evidence/{assessment.pk}/{uuid.uuid4().hex}", ContentFile(attachment.data)
        )
        fields.update(
            file=stored,
            file_name=attachment.name,
            file_type=attachment.content_type,
            file_size=len(attachment.data),
            file_sha256=attachment.sha256,
        )
    elif remove_file:
        fields.update(file="", file_name="", file_type="", file_size=None, file_sha256="")
    names = (*SOURCE_FIELDS, "file", "file_name", "file_type", "file_size", "file_sha256")
    try:
        source = _write_item(
            source,
            model=Source,
            assessment=assessment,
            user=user,
            base_version=base_version,
            names=names,
            fields=fields,
        )
    except Exception:
        # Nothing half-saved: a refused save leaves no file behind.
        if stored:
            source.file.storage.delete(stored)
        raise
    if old_file and old_file != source.file.name:
        storage = source.file.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    touch(assessment)
    return source


def source_delete(*, assessment: Assessment, source: Source, user) -> None:
    """Delete a source; what cited it no longer does, and its quotes stay, unattributed."""
    name, storage = source.file.name, source.file.storage
    _delete_item(source, assessment=assessment, user=user)
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def team_names(assessment: Assessment) -> set[str]:
    """First names, last names and usernames of the team and the assessment's authors."""
    users = get_user_model().objects.filter(
        Q(memberships__team_id=assessment.team_id)
        | Q(pk=assessment.owner_id)
        | Q(collaborations=assessment)
    )
    names = set()
    for first, last, username in users.values_list("first_name", "last_name", "username"):
        for name in (first, last, username):
            if name and len(name.strip()) >= 2:
                names.add(name.strip())
    return names


def names_in(text: str, names: Iterable[str]) -> list[str]:
    """The names that appear in the text as whole words, whatever their case."""
    return sorted(
        name for name in names if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.I)
    )


def _check_quote(assessment: Assessment, fields: dict, threats: list) -> None:
    errors = {}
    group, source = fields.get("group"), fields.get("source")
    if group is not None and group.assessment_id != assessment.pk:
        errors["group"] = _("Choose a group of this assessment.")
    if source is not None and source.assessment_id != assessment.pk:
        errors["source"] = _("Choose a source of this assessment.")
    if any(t.assessment_id != assessment.pk for t in threats):
        errors["threats"] = _("Choose threats of this assessment.")
    named = names_in(
        f"{fields.get('text', '')}\n{fields.get('translation', '')}", team_names(assessment)
    )
    if named:
        errors["text"] = _(
            "Quotes carry no personal names, and this one names %(names)s (a member of the "
            "team). Replace the name with a role, e.g. “a community leader”."
        ) % {"names": ", ".join(f"“{n}”" for n in named)}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def quote_save(
    *,
    assessment: Assessment,
    user,
    quote: Quote | None = None,
    base_version: int = 0,
    threats: Iterable = (),
    **fields: Any,
) -> Quote:
    """Create or update a quote: its group, source and threats of this assessment, and no
    team member's name in its words."""
    assert_editable(assessment)
    if quote is None:
        limits.check_count("quotes", assessment.quotes.count() + 1)
    threats = list(threats)
    _check_quote(assessment, fields, threats)
    quote = _write_item(
        quote or Quote(assessment=assessment),
        model=Quote,
        assessment=assessment,
        user=user,
        base_version=base_version,
        names=QUOTE_FIELDS,
        fields=fields,
    )
    quote.threats.set(threats)
    touch(assessment)
    return quote


def quote_delete(*, assessment: Assessment, quote: Quote, user) -> None:
    _delete_item(quote, assessment=assessment, user=user)


@transaction.atomic
def citations_set(*, assessment: Assessment, user, item, sources: Iterable[Source]) -> None:
    """Make one threat, response, indicator or answer of the assessment cite these sources
    (the import's way; the pages set citations with the item's own save)."""
    assert_editable(assessment)
    owner = getattr(item, "assessment_id", None) or item.threat.assessment_id
    if owner != assessment.pk:
        raise ValidationError(_("This item belongs to another assessment."))
    set_citations(item, sources, assessment=assessment)
    touch(assessment)

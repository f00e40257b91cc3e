"""Citations: which sources a threat, response, indicator or answer cites. Set by the
content's services as part of the item's own save (so this imports nothing of theirs)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from assessments.models import Assessment, Source


def set_citations(item, sources: Iterable[Source] | None, *, assessment: Assessment) -> None:
    """Make `item` (a threat, response, indicator or answer of `assessment`) cite exactly
    these sources. The sources are read again under lock: one deleted since the form was
    loaded, or of another assessment, is refused with a message, and nothing is saved."""
    if sources is None:
        return
    wanted = {s.pk for s in sources}
    found = set(
        Source.objects.select_for_update()
        .filter(assessment=assessment, pk__in=wanted)
        .values_list("pk", flat=True)
    )
    if found != wanted:
        raise ValidationError(
            {
                "sources": _(
                    "A source you cited has been deleted or belongs to another assessment. "
                    "Choose again from this assessment's sources."
                )
            }
        )
    item.sources.set(found)

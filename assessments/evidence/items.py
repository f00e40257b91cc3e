"""Quotes as a kind of item (content/items.py): the content's list, form and delete
pages serve them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from assessments.content.items import ItemKind, Words
from assessments.evidence import forms, selectors, services
from assessments.models import Quote

QUOTES = ItemKind(
    name="quote",
    model=Quote,
    list_url="assessments:quotes",
    rows=selectors.quotes_of,
    body="assessments/_quote_list.html",
    form=forms.QuoteForm,
    save=services.quote_save,
    relations=("threats",),
    delete=services.quote_delete,
    words=Words(
        title=_("People's own words"),
        crumb=_("Own words"),
        heading=_("People's own words"),
        add=_("Add a quote"),
        empty=_(
            "No quote yet. Record what people of the groups say about their own security, "
            "with their consent and without names."
        ),
        new=_("New quote"),
        edit=_("Edit quote “%(name)s”"),
        save=_("Save quote"),
        saved=_("Quote saved."),
        deleted=_("Quote deleted."),
    ),
)

"""The three kinds of item an assessment lists (groups, threats, responses) and what
their pages need to know of each: the model, the selector and services, the templates
and the words on the page. content/views.py serves every kind from these."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from assessments.content import forms, selectors, services
from assessments.models import PopulationGroup, Response, Threat


@dataclass(frozen=True)
class Words:
    """What a kind's pages say (whole sentences, so each language can build its own)."""

    title: Promise  # the list page's <title>
    crumb: Promise
    heading: Promise
    add: Promise
    empty: Promise
    new: Promise
    edit: Promise  # "%(name)s" is the item
    save: Promise
    saved: Promise
    deleted: Promise


@dataclass(frozen=True)
class ItemKind:
    """One kind of item: what its list, form and delete pages are made of."""

    name: str  # URL names are assessments:<name>_create, _update, _delete; services take it
    model: type[Model]
    list_url: str
    rows: Callable  # selector: the assessment's items, ready for the list
    body: str  # template of the list's rows
    delete: Callable
    words: Words
    columns: tuple[Promise, ...] = ()  # for kinds shown in a table (body _item_table)
    cells: str = ""  # template of one row's cells in that table
    # How the shared form view edits it; None for threats, whose view also edits tags
    # and indicators.
    form: type | None = None
    save: Callable | None = None
    relations: tuple[str, ...] = ()  # many-to-many fields the save service takes

    @property
    def create_url(self) -> str:
        return f"assessments:{self.name}_create"

    @property
    def update_url(self) -> str:
        return f"assessments:{self.name}_update"

    @property
    def delete_url(self) -> str:
        return f"assessments:{self.name}_delete"


GROUPS = ItemKind(
    name="group",
    model=PopulationGroup,
    list_url="assessments:groups",
    rows=selectors.groups_for_list,
    body="assessments/_item_table.html",
    cells="assessments/_group_cells.html",
    columns=(_("Group"), _("Disaggregation"), _("Estimated size"), _("Sensitive")),
    form=forms.GroupForm,
    save=services.group_save,
    relations=("threats",),
    delete=services.group_delete,
    words=Words(
        title=_("Security for whom"),
        crumb=_("For whom"),
        heading=_("Security for whom?"),
        add=_("Add a group"),
        empty=_(
            "No group yet. Say whose security this assessment is about, and how the groups differ."
        ),
        new=_("New group"),
        edit=_("Edit group “%(name)s”"),
        save=_("Save group"),
        saved=_("Group saved."),
        deleted=_("Group deleted."),
    ),
)

THREATS = ItemKind(
    name="threat",
    model=Threat,
    list_url="assessments:threats",
    rows=selectors.threats_of,
    body="assessments/_threat_cards.html",
    delete=services.threat_delete,
    words=Words(
        title=_("Security from what"),
        crumb=_("From what"),
        heading=_("Security from what?"),
        add=_("Add a threat"),
        empty=_("No threat yet. Register what people need security from, across the dimensions."),
        new=_("New threat"),
        edit=_("Edit threat “%(name)s”"),
        save=_("Save threat"),
        saved=_("Threat saved."),
        deleted=_("Threat deleted."),
    ),
)

RESPONSES = ItemKind(
    name="response",
    model=Response,
    list_url="assessments:responses",
    rows=selectors.responses_of,
    body="assessments/_item_table.html",
    cells="assessments/_response_cells.html",
    columns=(
        _("Response"),
        _("Strategy"),
        _("Who acts"),
        _("Threats addressed"),
        _("By when"),
        _("Status"),
    ),
    form=forms.ResponseForm,
    save=services.response_save,
    relations=("threats", "groups", "sources"),
    delete=services.response_delete,
    words=Words(
        title=_("Security by what means"),
        crumb=_("By what means"),
        heading=_("Security by what means?"),
        add=_("Add a response"),
        empty=_(
            "No response yet. Record the protection, empowerment and solidarity that answer "
            "the threats — existing ones, gaps and recommendations."
        ),
        new=_("New response"),
        edit=_("Edit response “%(name)s”"),
        save=_("Save response"),
        saved=_("Response saved."),
        deleted=_("Response deleted."),
    ),
)

"""Each entity's editable fields, declared once. Its form shows them in this order, its
service writes them, and the export and import carry them (relations by key).

Relations (many-to-many or to another item of the assessment) are listed in RELATIONS:
services take them as separate arguments and the export writes them by name or key.
"""

ASSESSMENT = (
    "title",
    "language",
    "country",
    "area",
    "population_focus",
    "period_start",
    "period_end",
    "key_points",
    "public_key_points",
)
GROUP = (
    "name",
    "description",
    "sex",
    "age_from",
    "age_to",
    "disability",
    "displacement_status",
    "ethnicity",
    "religion",
    "other_characteristics",
    "estimated_size",
    "sensitive",
    "aliases",
)
THREAT = (
    "title",
    "description",
    "dimension",
    "further_dimensions",
    "onset",
    "source_actor",
    "actor_type",
    "affected_groups",
    "likelihood",
    "severity",
    "urgency",
    "trend",
    "confidence",
    "basis",
    "root_causes",
)
INDICATOR = (
    "name",
    "kind",
    "baseline",
    "threshold",
    "threshold_kind",
    "threshold_value",
    "levels",
    "source",
    "frequency",
    "frequency_days",
)
# A reading of an indicator (assessments/monitoring/): its form, service and export.
READING = ("date", "value", "level", "occurred", "note", "source")
RESPONSE = (
    "title",
    "description",
    "strategy",
    "status",
    "preventive",
    "actor",
    "actor_type",
    "threats",
    "groups",
    "timeframe",
    "do_no_harm_risk",
)

# Relations: written as their own service arguments (many-to-many) or exported by key.
MANY = frozenset({"affected_groups", "further_dimensions", "threats", "groups", "collaborators"})
BY_KEY = frozenset({"dimension", "group"})


def plain(entity: tuple[str, ...]) -> tuple[str, ...]:
    """The fields a service sets with setattr (foreign keys included)."""
    return tuple(f for f in entity if f not in MANY)


def scalar(entity: tuple[str, ...]) -> tuple[str, ...]:
    """The fields an export writes as values (relations go by key or name)."""
    return tuple(f for f in entity if f not in MANY and f not in BY_KEY)


# Evidence (assessments/evidence/): a source's fields (its file is handled apart) and a
# quote's (its group and source by key, its threats as a relation).
SOURCE = (
    "kind",
    "title",
    "date",
    "author",
    "citation",
    "reliability",
    "credibility",
    "sensitive",
)
QUOTE = ("text", "group", "source", "language", "translation", "consent", "threats")

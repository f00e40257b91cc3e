# A group's ages become a free range (from–to) in place of a fixed band. Each band maps
# to its range, in the groups and in their history (so "what changed since the return"
# shows no change nobody made); "all" leaves both ages empty.

import django.core.validators
from django.db import migrations, models


def _settle(schema_editor):
    """Run the deferred foreign-key checks the rows just written queued, now: PostgreSQL
    refuses to ALTER a table with pending trigger events in the same transaction."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")

# The bands as release 1 stored them (assessments.models.groups.LEGACY_AGE_BANDS, kept
# here as they were: a migration does not follow later code).
BANDS = {
    "all": (None, None),
    "0-5": (0, 5),
    "6-12": (6, 12),
    "13-17": (13, 17),
    "18-49": (18, 49),
    "50-59": (50, 59),
    "60-69": (60, 69),
    "70-79": (70, 79),
    "80+": (80, None),
    "children": (0, 17),
    "adults": (18, 59),
    "older": (60, None),
}


def bands_to_ranges(apps, schema_editor):
    for name in ("PopulationGroup", "HistoricalPopulationGroup"):
        model = apps.get_model("assessments", name)
        for band, (age_from, age_to) in BANDS.items():
            model.objects.filter(age_band=band).update(age_from=age_from, age_to=age_to)
    _settle(schema_editor)


def ranges_to_bands(apps, schema_editor):
    """Back: a range that is a band becomes it; any other range becomes "all"."""
    for name in ("PopulationGroup", "HistoricalPopulationGroup"):
        model = apps.get_model("assessments", name)
        model.objects.update(age_band="all")
        for band, (age_from, age_to) in BANDS.items():
            if age_from is not None:
                model.objects.filter(age_from=age_from, age_to=age_to).update(age_band=band)
    _settle(schema_editor)


AGE = {
    "blank": True,
    "null": True,
    "validators": [django.core.validators.MaxValueValidator(120)],
}


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0015_response_groups"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalpopulationgroup",
            name="age_from",
            field=models.PositiveSmallIntegerField(
                help_text="Leave both ages empty for all ages.", verbose_name="from age", **AGE
            ),
        ),
        migrations.AddField(
            model_name="historicalpopulationgroup",
            name="age_to",
            field=models.PositiveSmallIntegerField(
                help_text="Leave empty for “and over”.", verbose_name="to age", **AGE
            ),
        ),
        migrations.AddField(
            model_name="populationgroup",
            name="age_from",
            field=models.PositiveSmallIntegerField(
                help_text="Leave both ages empty for all ages.", verbose_name="from age", **AGE
            ),
        ),
        migrations.AddField(
            model_name="populationgroup",
            name="age_to",
            field=models.PositiveSmallIntegerField(
                help_text="Leave empty for “and over”.", verbose_name="to age", **AGE
            ),
        ),
        migrations.RunPython(bands_to_ranges, ranges_to_bands, elidable=False),
        migrations.RemoveField(model_name="historicalpopulationgroup", name="age_band"),
        migrations.RemoveField(model_name="populationgroup", name="age_band"),
        migrations.AddConstraint(
            model_name="populationgroup",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("age_from__isnull", True), ("age_from__lte", 120), _connector="OR"),
                    models.Q(
                        ("age_to__isnull", True),
                        models.Q(
                            ("age_from__isnull", False),
                            ("age_from__lte", models.F("age_to")),
                            ("age_to__lte", 120),
                        ),
                        _connector="OR",
                    ),
                ),
                name="group_age_range_valid",
            ),
        ),
    ]

"""Stable threat numbers (T1, T2 …), other names of a group, public key messages.

Existing threats are numbered in the order the pages listed them (the model's ordering:
most severe first), which is the numbering their briefs showed; each assessment's counter
starts after its highest number. History rows take the number of their threat (0 for the
history of a threat deleted before numbers existed)."""

from django.db import migrations, models

DISPLAY_ORDER = ["-severity", "-likelihood", "title", "id"]


def number_threats(apps, schema_editor):
    Assessment = apps.get_model("assessments", "Assessment")
    Threat = apps.get_model("assessments", "Threat")
    HistoricalThreat = apps.get_model("assessments", "HistoricalThreat")
    for assessment in Assessment.objects.order_by("pk").iterator():
        threats = list(Threat.objects.filter(assessment=assessment).order_by(*DISPLAY_ORDER))
        for number, threat in enumerate(threats, start=1):
            threat.number = number
        Threat.objects.bulk_update(threats, ["number"])
        Assessment.objects.filter(pk=assessment.pk).update(last_threat_number=len(threats))
    for threat_id, number in Threat.objects.values_list("pk", "number"):
        HistoricalThreat.objects.filter(id=threat_id).update(number=number)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0004_batchexport")]

    operations = [
        migrations.AddField(
            model_name="assessment",
            name="last_threat_number",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="assessment",
            name="public_key_points",
            field=models.TextField(
                blank=True,
                help_text=(
                    "Key messages for the public edition, one per line, written without "
                    "naming sensitive groups. Left empty, the public edition uses the key "
                    "points above."
                ),
                verbose_name="public key messages",
            ),
        ),
        migrations.AddField(
            model_name="historicalassessment",
            name="public_key_points",
            field=models.TextField(
                blank=True,
                help_text=(
                    "Key messages for the public edition, one per line, written without "
                    "naming sensitive groups. Left empty, the public edition uses the key "
                    "points above."
                ),
                verbose_name="public key messages",
            ),
        ),
        migrations.AddField(
            model_name="populationgroup",
            name="aliases",
            field=models.TextField(
                blank=True,
                help_text=(
                    "Other names, spellings or short forms of a sensitive group, one per "
                    "line. The public edition is refused while any of them appears in its "
                    "text."
                ),
                verbose_name="other names",
            ),
        ),
        migrations.AddField(
            model_name="historicalpopulationgroup",
            name="aliases",
            field=models.TextField(
                blank=True,
                help_text=(
                    "Other names, spellings or short forms of a sensitive group, one per "
                    "line. The public edition is refused while any of them appears in its "
                    "text."
                ),
                verbose_name="other names",
            ),
        ),
        migrations.AddField(
            model_name="threat",
            name="number",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="number"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalthreat",
            name="number",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="number"),
            preserve_default=False,
        ),
        migrations.RunPython(number_threats, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="threat",
            constraint=models.UniqueConstraint(
                fields=("assessment", "number"), name="threat_unique_number"
            ),
        ),
    ]

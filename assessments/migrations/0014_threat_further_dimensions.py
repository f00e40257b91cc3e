# A threat keeps its primary dimension and may touch further ones; existing threats keep
# their dimension as the primary one and start with no further dimension.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0013_assessment_language"),
        ("frameworks", "0003_studio"),
    ]

    operations = [
        migrations.AddField(
            model_name="threat",
            name="further_dimensions",
            field=models.ManyToManyField(
                blank=True,
                help_text="Other dimensions this threat also touches, besides the primary one.",
                related_name="further_threats",
                to="frameworks.dimension",
                verbose_name="further dimensions",
            ),
        ),
    ]

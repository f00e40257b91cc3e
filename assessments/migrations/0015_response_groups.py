# A response serves several groups: each existing response's group becomes the one
# member of its set, then the single group goes (from the history too: its many-to-many
# links, like the threats a response addresses, are not in the history).

from django.db import migrations, models


def _settle(schema_editor):
    """Run the deferred foreign-key checks the rows just written queued, now: PostgreSQL
    refuses to ALTER a table with pending trigger events in the same transaction."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


def group_into_groups(apps, schema_editor):
    Response = apps.get_model("assessments", "Response")
    Link = Response.groups.through
    Link.objects.bulk_create(
        [
            Link(response_id=pk, populationgroup_id=group_id)
            for pk, group_id in Response.objects.filter(group__isnull=False)
            .order_by("pk")
            .values_list("pk", "group_id")
            .iterator()
        ],
        batch_size=1000,
    )
    _settle(schema_editor)


def groups_into_group(apps, schema_editor):
    """Back: a response keeps the first of its groups (by id); the others are lost."""
    Response = apps.get_model("assessments", "Response")
    Link = Response.groups.through
    first = {}
    for response_id, group_id in Link.objects.order_by("populationgroup_id").values_list(
        "response_id", "populationgroup_id"
    ):
        first.setdefault(response_id, group_id)
    for response_id, group_id in first.items():
        Response.objects.filter(pk=response_id).update(group_id=group_id)
    _settle(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0014_threat_further_dimensions"),
    ]

    operations = [
        # A name of its own while the old field still holds "responses".
        migrations.AddField(
            model_name="response",
            name="groups",
            field=models.ManyToManyField(
                blank=True,
                related_name="responses_served",
                to="assessments.populationgroup",
                verbose_name="groups served",
            ),
        ),
        migrations.RunPython(group_into_groups, groups_into_group, elidable=False),
        migrations.RemoveField(model_name="historicalresponse", name="group"),
        migrations.RemoveField(model_name="response", name="group"),
        migrations.AlterField(
            model_name="response",
            name="groups",
            field=models.ManyToManyField(
                blank=True,
                related_name="responses",
                to="assessments.populationgroup",
                verbose_name="groups served",
            ),
        ),
    ]

"""The organizing organization (the "+1") of a meeting and the mediating organization of a case
come from the orgs registry."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0001_initial"),
        ("deliberation", "0003_meeting_space_booking"),
    ]

    operations = [
        migrations.AddField(
            model_name="meeting",
            name="organizer",
            field=models.ForeignKey(
                blank=True,
                help_text="The professional social organization that organizes and chairs.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="deliberation_meetings",
                to="orgs.organization",
                verbose_name="organizing organization (+1)",
            ),
        ),
        migrations.AddField(
            model_name="mediationcase",
            name="mediator_org",
            field=models.ForeignKey(
                blank=True,
                help_text="e.g. 平安大姐工作室",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="mediation_cases",
                to="orgs.organization",
                verbose_name="mediating organization",
            ),
        ),
    ]

"""A meeting is held in a space of its center, booked through centers.services.book_space."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("centers", "0001_initial"),
        ("deliberation", "0002_periodic_tasks"),
    ]

    operations = [
        migrations.AddField(
            model_name="meeting",
            name="space",
            field=models.ForeignKey(
                blank=True,
                help_text="A space of the hosting center (e.g. its deliberation hall), booked when the meeting is scheduled.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="deliberation_meetings",
                to="centers.space",
                verbose_name="space",
            ),
        ),
        migrations.AddField(
            model_name="meeting",
            name="booking",
            field=models.OneToOneField(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="deliberation_meeting",
                to="centers.booking",
                verbose_name="booking",
            ),
        ),
    ]

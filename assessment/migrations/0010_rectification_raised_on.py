from django.db import migrations, models
from django.utils import timezone


def count_from_the_confirmation(apps, schema_editor):
    """Rectifications raised before this field counted their working days from their check's
    confirmation: that stays their basis, so that recounting a deadline does not move it."""
    Rectification = apps.get_model("assessment", "Rectification")
    for rectification in Rectification.objects.select_related("spot_check").iterator():
        start = rectification.spot_check.confirmed_at or rectification.created_at
        rectification.raised_on = timezone.localdate(start)
        rectification.save(update_fields=["raised_on"])
    History = apps.get_model("assessment", "HistoricalRectification")
    raised = dict(Rectification.objects.values_list("pk", "raised_on"))
    for record in History.objects.iterator():
        record.raised_on = raised.get(record.id) or timezone.localdate(record.history_date)
        record.save(update_fields=["raised_on"])


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0009_self_assessment_names_and_note_limits"),
    ]

    operations = [
        migrations.AddField(
            model_name="rectification",
            name="raised_on",
            field=models.DateField(null=True, verbose_name="raised on"),
        ),
        migrations.AddField(
            model_name="historicalrectification",
            name="raised_on",
            field=models.DateField(null=True, verbose_name="raised on"),
        ),
        migrations.RunPython(count_from_the_confirmation, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="rectification",
            name="raised_on",
            field=models.DateField(verbose_name="raised on"),
        ),
        migrations.AlterField(
            model_name="historicalrectification",
            name="raised_on",
            field=models.DateField(verbose_name="raised on"),
        ),
    ]

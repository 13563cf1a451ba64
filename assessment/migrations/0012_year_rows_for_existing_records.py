"""Years that hold records but no row: the year selector lists the rows, so trainings and spot
checks saved in such a year (before core.years.ensure_year_open created the row) were in no
list. Give each such year its row, as saving the records now does."""

from django.db import migrations
from django.db.models.functions import ExtractYear


def add_missing_years(apps, schema_editor):
    Year = apps.get_model("core", "Year")
    years = set(apps.get_model("training", "Training").objects.values_list("year", flat=True))
    years |= set(
        apps.get_model("assessment", "SpotCheck")
        .objects.annotate(in_year=ExtractYear("date"))
        .values_list("in_year", flat=True)
    )
    for name in ("SamplingRound", "Checklist", "Campaign"):
        years |= set(apps.get_model("assessment", name).objects.values_list("year", flat=True))
    existing = set(Year.objects.values_list("year", flat=True))
    Year.objects.bulk_create(Year(year=year) for year in sorted(years - existing))


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0011_rectification_at_least_one_working_day"),
        ("core", "0007_job_payload_and_message"),
        ("training", "0005_unit_training_component"),
    ]

    operations = [migrations.RunPython(add_missing_years, migrations.RunPython.noop)]

"""Notices of a publication sent before their link named the year opened the breakdown of the
year the selector was on (the next year's draft, once it exists): they now name their year."""

from django.db import migrations


def name_the_year(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    for notice in Notification.objects.filter(kind="results_published").exclude(
        link__contains="?"
    ):
        year = str(notice.params.get("year", ""))
        if year.isdecimal():
            notice.link = f"{notice.link}?year={year}"
            notice.save(update_fields=["link"])


class Migration(migrations.Migration):
    dependencies = [("notifications", "0004_answer_returned")]

    operations = [migrations.RunPython(name_the_year, migrations.RunPython.noop)]

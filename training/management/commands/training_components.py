"""Compare the kept training components (training/components.py) with a computation from
scratch, for every year that has trainings; `--repair` marks the differing rows stale, so that
the next reading recomputes them."""

from django.core.management.base import BaseCommand, CommandError

from training.components import differences, mark_stale
from training.models import Training


class Command(BaseCommand):
    help = "Compare the kept training components with a computation from scratch."

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="Mark differing rows stale.")

    def handle(self, *args, repair, **options):
        years = sorted(set(Training.objects.values_list("year", flat=True)))
        wrong = []
        for year in years:
            found = differences(year)
            for unit_id, kept, scratch in found:
                self.stdout.write(f"{year} unit {unit_id}: kept {kept}, from scratch {scratch}")
            wrong.extend((year, unit_id) for unit_id, _kept, _scratch in found)
        if not wrong:
            self.stdout.write(f"All kept training components agree ({len(years)} years).")
            return
        if repair:
            mark_stale(wrong)
            self.stdout.write(f"{len(wrong)} rows marked stale: recomputed on the next reading.")
        else:
            raise CommandError(f"{len(wrong)} kept training components differ (use --repair).")

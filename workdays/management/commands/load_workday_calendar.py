from django.core.management.base import BaseCommand, CommandError

from workdays.services import CalendarError, load_library_calendar


class Command(BaseCommand):
    help = (
        "Fill the working-day calendar with the years chinese-calendar knows (idempotent; "
        "a year whose schedule the office entered itself is left alone)."
    )

    def handle(self, *args, **options):
        try:
            changed, kept = load_library_calendar()
        except CalendarError as error:  # a published year's deadlines would move: nothing saved
            raise CommandError(error.message) from None
        for year, count in changed.items():
            self.stdout.write(f"{year}: {count} days written")
        for year in kept:
            self.stdout.write(f"{year}: entered by the office, left alone")
        if not changed:
            self.stdout.write("The calendar already holds every year the library knows.")

from core.models import Year, current_calendar_year


def seed(stdout):
    this_year = current_calendar_year()
    for year in (this_year - 1, this_year):
        Year.objects.get_or_create(year=year)
    stdout.write(f"years: {this_year - 1}, {this_year}")

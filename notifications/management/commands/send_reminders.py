"""Run the time-driven reminders and send due e-mails: for cron (e.g. every hour). Safe to run
as often as wanted, and from two machines at once: each reminder goes out once."""

from django.core.management.base import BaseCommand

from notifications.reminders import send_reminders


class Command(BaseCommand):
    help = "Create the reminders that are due and send the e-mails waiting to go out."

    def handle(self, *args, **options):
        created = send_reminders()
        self.stdout.write(f"{len(created)} notifications created.")

"""Restore a folder written by `manage.py backup`: replaces every row of the database and the
uploaded files. Run `migrate` first on a new database."""

import shutil
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.derived import changed
from training.models import UnitTrainingComponent


class Command(BaseCommand):
    help = "Replace all data and uploaded files with those of a backup folder."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, folder, yes, **options):
        data = folder / "data.json"
        if not data.exists():
            raise CommandError(f"{data} does not exist: is this a backup folder?")
        if not yes and input("Replace ALL current data with the backup? [yes/no] ") != "yes":
            raise CommandError("Cancelled.")
        with transaction.atomic():
            call_command("flush", interactive=False, verbosity=0)
            # flush re-runs post_migrate, which re-creates role groups; the backup has its own.
            Group.objects.all().delete()
            call_command("loaddata", str(data), verbosity=0)
            # derived rows (training/components.py), if a backup has them: recomputed on reading
            UnitTrainingComponent.objects.all().delete()
            changed()  # new generations: nothing cached for the replaced data is reachable
        media = Path(settings.MEDIA_ROOT)
        with (
            tempfile.TemporaryDirectory() as unpacked,
            tarfile.open(folder / "media.tar.gz") as archive,
        ):
            archive.extractall(unpacked, filter="data")
            restored = Path(unpacked) / "media"
            if media.exists():
                shutil.rmtree(media)
            if restored.exists():
                shutil.copytree(restored, media)
        self.stdout.write(self.style.SUCCESS(f"Restored from {folder}"))

"""Back up everything needed to restore the system on any database engine: all data as JSON
(primary keys kept, history included) and the uploaded files. See docs/BACKUP.md."""

import json
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

# Rebuilt by migrate on any fresh database, or not worth keeping.
EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "admin.logentry",
    "axes",
    "core.generation",  # cache keys (core/derived.py): restore draws new ones
    "training.unittrainingcomponent",  # derived (training/components.py): recomputed on reading
    "django_tasks_database",  # the queue of background tasks in flight (django-tasks-db)
]


class Command(BaseCommand):
    help = "Write data.json, media.tar.gz and manifest.json into a new folder."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)

    def handle(self, *args, folder, **options):
        folder.mkdir(parents=True, exist_ok=False)
        with (folder / "data.json").open("w", encoding="utf-8") as handle:
            call_command(
                "dumpdata",
                natural_foreign=True,
                exclude=EXCLUDED,
                indent=None,
                stdout=handle,
            )
        media = Path(settings.MEDIA_ROOT)
        with tarfile.open(folder / "media.tar.gz", "w:gz") as archive:
            if media.exists():
                archive.add(media, arcname="media")
        manifest = {
            "created": timezone.now().isoformat(),
            "database": settings.DATABASES["default"]["ENGINE"],
        }
        (folder / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Backup written to {folder}"))

"""Load demo data: every installed app of ours may contribute a `demo.seed(stdout)` function.

Each app's seed must be idempotent, so running the command twice changes nothing the second time.
"""

import importlib
import importlib.util

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Create demo units, users and data (idempotent)."

    def handle(self, *args, **options):
        with transaction.atomic():
            for app_config in apps.get_app_configs():
                module_name = f"{app_config.name}.demo"
                if importlib.util.find_spec(module_name) is None:
                    continue
                importlib.import_module(module_name).seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Common")

    def ready(self):
        from core import tables

        tables.register_columns()

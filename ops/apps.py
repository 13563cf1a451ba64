from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Operations tooling over every app: synthetic scale data and the benchmark. It sits on top
    of the domain apps (nothing imports it) and has no models."""

    name = "ops"
    verbose_name = _("Operations")

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def grant_admin_role_permissions(sender, using, **kwargs):
    """The admin role manages everything in the Django admin: give its group every permission.

    Permissions only exist after migrate has run, so this cannot be a data migration."""
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.using(using).filter(name="admin").first()
    if group is not None:
        group.permissions.set(Permission.objects.using(using).all())


class UnitsConfig(AppConfig):
    name = "units"
    verbose_name = _("Units")

    def ready(self):
        post_migrate.connect(grant_admin_role_permissions, sender=self)

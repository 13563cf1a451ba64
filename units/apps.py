from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def grant_admin_role_permissions(sender, using, **kwargs):
    """The admin role manages everything in the Django admin: give its group every permission.

    Permissions only exist after migrate has run, so this cannot be a data migration. Django
    creates each app's permissions when it signals that app's post_migrate, so this runs after
    every app's (the last run sees them all; bound to the units app only, it ran before the
    later apps had any). It also runs after a test database is flushed, which is why it creates
    the group when missing."""
    from django.contrib.auth.models import Group, Permission

    group, _created = Group.objects.using(using).get_or_create(name="admin")
    group.permissions.set(Permission.objects.using(using).all())


class UnitsConfig(AppConfig):
    name = "units"
    verbose_name = _("Units")

    def ready(self):
        post_migrate.connect(
            grant_admin_role_permissions, dispatch_uid="grant_admin_role_permissions"
        )

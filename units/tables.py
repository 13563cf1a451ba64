import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from core.tables import Table
from units.models import Unit


class UnitTable(Table):
    name = tables.Column(linkify=True)
    category = tables.Column(order_by=("category__sort_order", "sort_order"))
    is_active = tables.BooleanColumn(yesno=(_("Yes"), _("No")))

    class Meta:
        model = Unit
        fields = [
            "sort_order",
            "code",
            "name",
            "short_name",
            "aliases",
            "category",
            "parent",
            "is_active",
            "contact_name",
            "contact_phone",
        ]
        order_by = ("category", "sort_order")

    def value_is_active(self, value):
        """是/否 in exports, as the page shows, and as the unit import reads it back."""
        return str(_("Yes") if value else _("No"))

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from units.models import Unit, UnitCategory

ACTIVE_CHOICES = [("", _("All")), ("true", _("Active")), ("false", _("Inactive"))]


class UnitFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=UnitCategory.objects.all(), empty_label=_("All")
    )
    is_active = django_filters.BooleanFilter(
        label=_("Active"), widget=forms.Select(choices=ACTIVE_CHOICES)
    )

    class Meta:
        model = Unit
        fields = ["q", "category", "is_active"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(short_name__icontains=value) | Q(code__icontains=value)
        )

import django_filters
from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from assessment.models import Rectification, SamplingRound, SpotCheck
from units.models import UnitCategory


class SpotCheckFilter(django_filters.FilterSet):
    round = django_filters.ModelChoiceFilter(
        label=_("Round"), queryset=SamplingRound.objects.all(), empty_label=_("All")
    )
    unit = django_filters.CharFilter(
        label=_("Unit"), field_name="unit__name", lookup_expr="icontains"
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"),
        field_name="unit__category",
        queryset=UnitCategory.objects.all(),
        empty_label=_("All"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=SpotCheck.Status.choices, empty_label=_("All")
    )
    inspector = django_filters.ModelChoiceFilter(
        label=_("Inspector"),
        field_name="inspectors",
        queryset=User.objects.filter(groups__name="inspector"),
        empty_label=_("All"),
    )
    min_percentage = django_filters.NumberFilter(
        label=_("Percentage from"), field_name="percentage", lookup_expr="gte"
    )
    max_percentage = django_filters.NumberFilter(
        label=_("Percentage to"), field_name="percentage", lookup_expr="lte"
    )

    class Meta:
        model = SpotCheck
        fields = ["round", "unit", "category", "status", "inspector"]


class RectificationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Rectification.Status.choices, empty_label=_("All")
    )
    unit = django_filters.CharFilter(
        label=_("Unit"), field_name="spot_check__unit__name", lookup_expr="icontains"
    )
    overdue = django_filters.BooleanFilter(
        label=_("Overdue only"),
        method="only_overdue",
        widget=forms.Select(choices=[("", _("All")), ("true", _("Overdue only"))]),
    )

    class Meta:
        model = Rectification
        fields = ["status", "unit"]

    def only_overdue(self, queryset, name, value):
        return queryset.overdue() if value else queryset

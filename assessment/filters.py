import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters import fields

from assessment.forms import inspectors
from assessment.models import Rectification, SamplingRound, SpotCheck
from units.models import UnitCategory
from units.roles import can_read_assessment


def visible_rounds(request):
    """Rounds of the checks the user sees: never an undrawn draft, and for a liaison only the
    rounds of its own unit's confirmed checks."""
    return SamplingRound.objects.filter(
        pk__in=SpotCheck.objects.visible_to(request.user).values("round_id")
    )


class InspectorChoiceField(fields.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class InspectorFilter(django_filters.ModelChoiceFilter):
    field_class = InspectorChoiceField


class SpotCheckFilter(django_filters.FilterSet):
    """Choices come from what the user may see; the inspector filter is for assessors only."""

    round = django_filters.ModelChoiceFilter(
        label=_("Round"), queryset=visible_rounds, empty_label=_("All")
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
    inspector = InspectorFilter(
        label=_("Inspector"),
        field_name="inspectors",
        queryset=lambda request: inspectors(),
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

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if not can_read_assessment(request.user):  # a liaison does not browse inspectors
            del self.filters["inspector"]


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

import django_filters
from django.contrib.auth.models import User
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from training.models import Attendee, Training, TrainingKind


class TrainingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ModelChoiceFilter(
        label=_("Kind"), queryset=TrainingKind.objects.all(), empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Training.Status.choices, empty_label=_("All")
    )
    created_by = django_filters.ModelChoiceFilter(
        label=_("Organizer"),
        queryset=User.objects.filter(groups__name__in=["organizer", "admin"]).distinct(),
        empty_label=_("All"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # people by their names, as everywhere else, not by their login names
        self.filters["created_by"].field.label_from_instance = lambda user: (
            user.get_full_name() or user.username
        )

    class Meta:
        model = Training
        fields = ["q", "kind", "status", "created_by"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value) | Q(venue__icontains=value) | Q(description__icontains=value)
        )


class AttendeeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    unit = django_filters.CharFilter(
        label=_("Unit"), field_name="unit__name", lookup_expr="icontains"
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Attendee.Status.choices, empty_label=_("All")
    )

    class Meta:
        model = Attendee
        fields = ["q", "unit", "status"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(position__icontains=value))

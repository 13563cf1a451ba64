from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import WrittenInTheApp
from training.models import (
    AttendanceMark,
    Attendee,
    Lecturer,
    Requirement,
    Training,
    TrainingKind,
    WalkIn,
)


@admin.register(TrainingKind)
class TrainingKindAdmin(admin.ModelAdmin):
    list_display = ["name", "sort_order"]
    list_editable = ["sort_order"]
    search_fields = ["name"]


class LecturerInline(WrittenInTheApp, admin.TabularInline):
    model = Lecturer
    extra = 0


class RequirementInline(WrittenInTheApp, admin.TabularInline):
    model = Requirement
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(Training)
class TrainingAdmin(WrittenInTheApp, SimpleHistoryAdmin):
    list_display = ["title", "year", "batch", "kind", "starts_at", "status", "capacity"]
    list_filter = ["year", "kind", "status"]
    list_select_related = ["kind"]
    search_fields = ["title", "venue", "description"]
    date_hierarchy = "starts_at"
    inlines = [LecturerInline, RequirementInline]
    autocomplete_fields = ["organizing_unit", "required_units"]
    filter_horizontal = ["required_categories"]


@admin.register(Attendee)
class AttendeeAdmin(WrittenInTheApp, SimpleHistoryAdmin):
    list_display = ["name", "unit", "training", "duty", "status", "checked_in_at"]
    list_filter = ["status", "duty", "training__year", "unit__category"]
    list_select_related = ["unit", "training"]
    search_fields = ["name", "phone", "unit__name", "training__title"]
    autocomplete_fields = ["unit", "training"]


@admin.register(AttendanceMark)
class AttendanceMarkAdmin(WrittenInTheApp, SimpleHistoryAdmin):
    list_display = ["attendee", "day", "status", "checked_in_at", "method", "marked_by"]
    list_filter = ["status", "method", "day"]
    list_select_related = ["attendee", "attendee__unit", "marked_by"]
    search_fields = ["attendee__name", "attendee__unit__name"]


@admin.register(WalkIn)
class WalkInAdmin(WrittenInTheApp, SimpleHistoryAdmin):
    list_display = ["name", "unit", "training", "day", "arrived_at", "status", "decided_by"]
    list_filter = ["status", "day"]
    list_select_related = ["unit", "training", "decided_by"]
    search_fields = ["name", "phone", "unit__name", "training__title"]
    readonly_fields = ["attendee"]

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from assessment.models import (
    Campaign,
    Checklist,
    ChecklistItem,
    ChecklistSection,
    DeductionRule,
    Evidence,
    ItemResult,
    Rectification,
    RoundChecklist,
    SamplingRound,
    SelfAssessment,
    SpotCheck,
)
from core.admin import WrittenInTheApp


class SectionInline(WrittenInTheApp, admin.TabularInline):
    model = ChecklistSection
    extra = 0


@admin.register(Checklist)
class ChecklistAdmin(WrittenInTheApp, admin.ModelAdmin):
    list_display = ["name", "version", "year", "created_by", "created_at"]
    list_filter = ["year"]
    search_fields = ["name", "description"]
    inlines = [SectionInline]


class RuleInline(WrittenInTheApp, admin.TabularInline):
    model = DeductionRule
    extra = 0


@admin.register(ChecklistItem)
class ChecklistItemAdmin(WrittenInTheApp, admin.ModelAdmin):
    list_display = ["text", "section", "max_points", "allows_na", "is_veto"]
    list_filter = ["section__checklist", "is_veto", "allows_na"]
    list_select_related = ["section", "section__checklist"]
    search_fields = ["text", "guidance"]
    inlines = [RuleInline]


class RoundChecklistInline(WrittenInTheApp, admin.TabularInline):
    model = RoundChecklist
    extra = 0


@admin.register(SamplingRound)
class SamplingRoundAdmin(WrittenInTheApp, admin.ModelAdmin):
    list_display = ["name", "year", "planned_start", "status", "seed", "drawn_at"]
    list_filter = ["year", "status"]
    search_fields = ["name", "seed"]
    inlines = [RoundChecklistInline]
    readonly_fields = ["seed", "algorithm_version", "population", "pool_snapshot", "result"]


class ItemResultInline(WrittenInTheApp, admin.TabularInline):
    model = ItemResult
    extra = 0
    raw_id_fields = ["item"]


@admin.register(SpotCheck)
class SpotCheckAdmin(WrittenInTheApp, SimpleHistoryAdmin):
    list_display = ["unit", "date", "round", "checklist", "status", "percentage", "vetoed"]
    list_filter = ["status", "vetoed", "round", "unit__category"]
    list_select_related = ["unit", "round", "checklist"]
    search_fields = ["unit__name", "summary"]
    date_hierarchy = "date"
    inlines = [ItemResultInline]
    autocomplete_fields = ["unit"]


@admin.register(Evidence)
class EvidenceAdmin(WrittenInTheApp, admin.ModelAdmin):
    list_display = ["original_name", "spot_check", "content_type", "size", "uploaded_by"]
    list_select_related = ["spot_check", "spot_check__unit", "uploaded_by"]
    search_fields = ["original_name", "spot_check__unit__name"]


@admin.register(Rectification)
class RectificationAdmin(WrittenInTheApp, SimpleHistoryAdmin):
    list_display = ["spot_check", "deadline", "status", "responded_at"]
    list_filter = ["status"]
    list_select_related = ["spot_check", "spot_check__unit"]
    search_fields = ["requirement", "response", "spot_check__unit__name"]


@admin.register(Campaign)
class CampaignAdmin(WrittenInTheApp, SimpleHistoryAdmin):
    list_display = ["name", "year", "checklist", "opens_on", "closes_on"]
    list_filter = ["year"]
    search_fields = ["name"]
    filter_horizontal = ["units", "categories"]


@admin.register(SelfAssessment)
class SelfAssessmentAdmin(WrittenInTheApp, SimpleHistoryAdmin):
    list_display = ["unit", "campaign", "status", "percentage", "submitted_at"]
    list_filter = ["status", "campaign"]
    list_select_related = ["unit", "campaign"]
    search_fields = ["unit__name", "summary"]
    readonly_fields = ["earned", "possible", "percentage", "vetoed", "submitted_at", "version"]

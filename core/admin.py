from django.contrib import admin

from core.models import Year


@admin.register(Year)
class YearAdmin(admin.ModelAdmin):
    list_display = ["year", "note"]
    search_fields = ["year", "note"]

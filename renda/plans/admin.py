"""Admin: the attention thresholds. Plans change only through the workflow actions, so the
admin shows them read-only."""

from django.contrib import admin

from renda.plans.models import Plan, PlanRules


@admin.register(PlanRules)
class PlanRulesAdmin(admin.ModelAdmin):
    list_display = ["__str__", "stale_days", "busy_window_days"]

    def has_add_permission(self, request):
        return not PlanRules.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "year", "office", "status"]
    list_filter = ["kind", "year", "status"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

"""Admin: the supervision deadlines (statutory defaults, one row). Supervision records change
only through the workflow actions; laws are imported through the law library's import page."""

from django.contrib import admin

from renda.supervision.models import SupervisionRules


@admin.register(SupervisionRules)
class SupervisionRulesAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "draft_days_before",
        "revised_days_before",
        "members_days_before",
        "opinion_issue_days",
        "opinion_handling_months",
        "rectification_months",
        "remind_days_before",
    ]

    def has_add_permission(self, request):
        return not SupervisionRules.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

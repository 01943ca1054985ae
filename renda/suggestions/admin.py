"""Admin: the configurable taxonomies and periods. Suggestions themselves change only through the
workflow actions, so the admin shows them read-only."""

from django.contrib import admin

from renda.suggestions.models import AnswerCategory, Category, HandlingRules, Suggestion


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]


@admin.register(AnswerCategory)
class AnswerCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "resolution", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]


@admin.register(HandlingRules)
class HandlingRulesAdmin(admin.ModelAdmin):
    list_display = ["__str__", "answer_period", "adjustment_window", "rehandling_period"]

    def has_add_permission(self, request):
        return not HandlingRules.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "deputy", "status", "due_at", "is_key"]
    list_filter = ["status", "term_number", "session_number", "category"]
    search_fields = ["title"]
    list_select_related = ["deputy"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

from django import forms
from django.contrib import admin

from renda.deputies.models import Deputy, Group, Mandate, PointRule, PointScheme


class MandateInline(admin.TabularInline):
    model = Mandate
    extra = 0


@admin.register(Deputy)
class DeputyAdmin(admin.ModelAdmin):
    list_display = ["full_name", "gender", "party", "occupation_category", "user"]
    list_filter = ["gender", "party", "occupation_category", "mandates__level"]
    search_fields = ["full_name", "name_pinyin"]
    inlines = [MandateInline]
    raw_id_fields = ["user"]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "street", "term_number", "sort_order"]


@admin.register(PointRule)
class PointRuleAdmin(admin.ModelAdmin):
    """Rules not saved here score by the defaults of renda/deputies/points.py (DOMAIN.md)."""

    list_display = ["source", "points", "per", "is_active", "sort_order"]
    list_editable = ["points", "per", "is_active", "sort_order"]
    list_filter = ["is_active"]


class PointSchemeForm(forms.ModelForm):
    class Meta:
        model = PointScheme
        fields = ["base_points", "good_from", "fair_from", "talk_absences"]

    def clean(self):
        data = super().clean()
        good, fair = data.get("good_from"), data.get("fair_from")
        if good is not None and fair is not None and good <= fair:
            self.add_error("good_from", "“好”的分数线应高于“较好”的分数线。")
        if data.get("talk_absences") == 0:
            self.add_error("talk_absences", "约谈的缺席次数至少为 1 次。")
        return data


@admin.register(PointScheme)
class PointSchemeAdmin(admin.ModelAdmin):
    """One row (pk 1): PointScheme.current() reads it, or the defaults until it is saved."""

    form = PointSchemeForm
    list_display = ["__str__", "base_points", "good_from", "fair_from", "talk_absences"]

    def has_add_permission(self, request):
        return not PointScheme.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.pk = 1  # the one row current() reads
        super().save_model(request, obj, form, change)

from django.contrib import admin

from renda.deputies.models import Deputy, Group, Mandate


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

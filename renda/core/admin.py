from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm

from renda.core.deadlines import notify_calendar_changed
from renda.core.models import (
    ApiToken,
    CalendarDay,
    CalendarYear,
    Congress,
    Office,
    RoleMembership,
    Street,
    TimelineEvent,
    Unit,
    User,
)


@admin.register(Congress)
class CongressAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "term_number", "session_number", "deputy_affairs_office"]

    def has_add_permission(self, request):
        return not Congress.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]


@admin.register(Street)
class StreetAdmin(admin.ModelAdmin):
    list_display = ["name", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "sort_order", "is_active"]
    list_filter = ["kind", "is_active"]
    list_editable = ["sort_order", "is_active"]
    search_fields = ["name", "short_name"]


class MembershipInline(admin.TabularInline):
    model = RoleMembership
    extra = 1
    autocomplete_fields = ["unit"]


class RendaUserCreationForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["username", "full_name"]


class RendaUserChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = RendaUserChangeForm
    add_form = RendaUserCreationForm
    list_display = ["username", "full_name", "is_active", "last_login"]
    search_fields = ["username", "full_name"]
    list_filter = ["is_active", "memberships__role"]
    ordering = ["username"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("个人信息", {"fields": ["full_name", "phone", "email"]}),
        ("状态", {"fields": ["is_active", "last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "full_name", "password1", "password2"]})
    ]
    readonly_fields = ["last_login", "date_joined"]


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    extra = 0


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "note", "entered_at"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        notify_calendar_changed({obj.year})


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        notify_calendar_changed({obj.date.year})

    def delete_model(self, request, obj):
        year = obj.date.year
        super().delete_model(request, obj)
        notify_calendar_changed({year})


@admin.register(TimelineEvent)
class TimelineEventAdmin(admin.ModelAdmin):
    """Read-only: the timeline is append-only."""

    list_display = ["created_at", "actor", "verb", "summary", "content_type", "object_id"]
    list_filter = ["verb", "content_type"]
    list_select_related = ["actor", "content_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "expires_at", "last_used_at"]
    readonly_fields = ["key_hash", "prefix", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False  # issued with `renda issue_token`, so the key is shown once

from django.contrib import admin

from renda.meetings.models import Meeting


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "date", "place"]
    list_filter = ["kind", "term_number"]

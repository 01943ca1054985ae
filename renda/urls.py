from django.contrib import admin
from django.urls import include, path

from renda.api import api

urlpatterns = [
    path("", include("renda.core.urls")),
    path("deputies/", include("renda.deputies.urls")),
    path("meetings/", include("renda.meetings.urls")),
    path("suggestions/", include("renda.suggestions.urls")),
    path("plans/", include("renda.plans.urls")),
    path("supervision/", include("renda.supervision.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler400 = "renda.core.error_pages.bad_request"
handler403 = "renda.core.error_pages.permission_denied"
handler404 = "renda.core.error_pages.page_not_found"
handler500 = "renda.core.error_pages.server_error"

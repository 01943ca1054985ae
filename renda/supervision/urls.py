"""All URLs of supervision in one namespace, one module per area."""

from renda.supervision import (
    urls_index,
    urls_inquiries,
    urls_inspections,
    urls_laws,
    urls_opinions,
    urls_rectification,
    urls_work_reports,
)

app_name = "supervision"

urlpatterns = (
    urls_index.urlpatterns
    + urls_laws.urlpatterns
    + urls_inspections.urlpatterns
    + urls_inquiries.urlpatterns
    + urls_work_reports.urlpatterns
    + urls_opinions.urlpatterns
    + urls_rectification.urlpatterns
)

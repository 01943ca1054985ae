"""All URLs of the plans app, in one namespace: pages (urls_pages) and reports (urls_reports)."""

from renda.plans.urls_pages import urlpatterns as page_patterns
from renda.plans.urls_reports import urlpatterns as report_patterns

app_name = "plans"

urlpatterns = page_patterns + report_patterns

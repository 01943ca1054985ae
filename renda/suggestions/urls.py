"""All URLs of the suggestions app, in one namespace: the handling pages (urls_pages) and the
statistics, public, import pages (urls_reports)."""

from renda.suggestions.urls_pages import urlpatterns as page_patterns
from renda.suggestions.urls_reports import urlpatterns as report_patterns

app_name = "suggestions"

urlpatterns = page_patterns + report_patterns

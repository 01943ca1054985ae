"""The report pages: statistics and their downloads, the public pages, the Excel import."""

from django.urls import path

from renda.suggestions import views_reports as views

urlpatterns = [
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/statistics.xlsx", views.statistics_xlsx, name="statistics_xlsx"),
    path("statistics/handling-report.docx", views.handling_report, name="handling_report"),
    path("public/", views.public_list, name="public_list"),
    path(
        "public/<int:term>/<int:session>/<int:number>/",
        views.public_detail,
        name="public_detail",
    ),
    path("import/", views.import_suggestions, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
]

"""The report pages of plans: the year-end evaluation and the Excel round-trip of a plan."""

from django.urls import path

from renda.plans import views_reports as views

urlpatterns = [
    path("evaluation/", views.evaluation, name="evaluation"),
    path("evaluation/report.docx", views.evaluation_docx, name="evaluation_docx"),
    path("evaluation/report.xlsx", views.evaluation_xlsx, name="evaluation_xlsx"),
    path("<int:pk>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<int:pk>/import/", views.import_plan, name="import"),
]

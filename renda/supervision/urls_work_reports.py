"""Pages of supervision: work reports (one URL per action, named after the verb)."""

from django.urls import path

from renda.supervision import views_work_reports as views

urlpatterns: list = [
    path("work-reports/", views.work_report_list, name="work_reports"),
    path("work-reports/export/", views.work_report_list_export, name="work_reports_export"),
    path("work-reports/new/", views.work_report_create, name="work_report_create"),
    path("work-reports/<int:pk>/", views.work_report_detail, name="work_report"),
    *[
        path(f"work-reports/<int:pk>/{name}/", view, name=name)
        for name, view in views.ACTION_VIEWS.items()
    ],
]

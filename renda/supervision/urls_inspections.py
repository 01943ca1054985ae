"""Pages of supervision: law-enforcement inspections (one URL per action, named after the verb:
`inspections/<pk>/submit_inspection_plan/`)."""

from django.urls import path

from renda.supervision import views_inspections as views

urlpatterns = [
    path("inspections/", views.inspection_list, name="inspections"),
    path("inspections/export/", views.inspection_list_export, name="inspections_export"),
    path("inspections/new/", views.inspection_create, name="inspection_create"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection"),
    path(
        "inspections/<int:pk>/report.docx",
        views.inspection_report_docx,
        name="inspection_report_docx",
    ),
    *[
        path(f"inspections/<int:pk>/{name}/", view, name=name)
        for name, view in views.ACTION_VIEWS.items()
    ],
    path("inspections/invitations/", views.my_invitations, name="my_invitations"),
    path(
        "inspections/invitations/<int:pk>/reply/",
        views.reply_invitation,
        name="reply_invitation",
    ),
    path("inspections/public/", views.public_inspections, name="public_inspections"),
    path("inspections/public/<int:pk>/", views.public_inspection, name="public_inspection"),
]

"""Pages of supervision: rectification (one URL per action, named after the verb:
`rectifications/<pk>/verify_rectification/`)."""

from django.urls import path

from renda.supervision import views_rectification as views

urlpatterns: list = [
    path("rectifications/", views.rectification_list, name="rectifications"),
    path("rectifications/export/", views.rectification_export, name="rectifications_export"),
    path("rectifications/dashboard/", views.dashboard, name="rectification_dashboard"),
    path("rectifications/<int:pk>/", views.rectification_detail, name="rectification"),
    *[
        path(f"rectifications/<int:pk>/{name}/", view, name=name)
        for name, view in views.ACTION_VIEWS.items()
    ],
    path(
        "rectifications/evidence/<int:pk>/",
        views.evidence_download,
        name="rectification_evidence",
    ),
]

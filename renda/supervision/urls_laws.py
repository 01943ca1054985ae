"""Pages of supervision: the law library (list, one version's structure, import)."""

from django.urls import path

from renda.supervision import views_laws as views

urlpatterns: list = [
    path("laws/", views.law_list, name="laws"),
    path("laws/import/", views.law_import, name="law_import"),
    path("laws/versions/<int:pk>/", views.law_version, name="law_version"),
]

"""Pages of supervision: review opinions (one URL per action, named after the verb:
`opinions/<pk>/issue_opinion/`, `opinions/points/<pk>/update_opinion_point/`)."""

from django.urls import path

from renda.supervision import views_opinions as views

urlpatterns = [
    path("opinions/", views.opinion_list, name="opinions"),
    path("opinions/export/", views.opinion_export, name="opinions_export"),
    path("opinions/new/", views.opinion_create, name="opinion_create"),
    path("opinions/<int:pk>/", views.opinion_detail, name="opinion"),
    path("opinions/<int:pk>/docx/", views.opinion_docx, name="opinion_docx"),
    *[
        path(f"opinions/<int:pk>/{name}/", view, name=name)
        for name, view in views.OPINION_ACTION_VIEWS.items()
    ],
    *[
        path(f"opinions/points/<int:pk>/{name}/", view, name=name)
        for name, view in views.POINT_ACTION_VIEWS.items()
    ],
]

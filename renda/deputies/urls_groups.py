"""Pages of the deputies app: deputy groups (included by renda/deputies/urls.py)."""

from django.urls import path

from renda.deputies import views_groups as vg

urlpatterns = [
    path("groups/", vg.groups, name="groups"),
    path("groups/new/", vg.add_group, name="add_group"),
    *[
        path(f"groups/<int:pk>/{name}/", view, name=name)
        for name, view in vg.GROUP_ACTION_VIEWS.items()
    ],
]

"""The plan pages: one URL per action, named after the verb (`<pk>/submit_plan/`,
`items/<pk>/report_progress/`)."""

from django.urls import path

from renda.plans import views

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.plan_create, name="create"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    *[path(f"<int:pk>/{name}/", view, name=name) for name, view in views.PLAN_ACTION_VIEWS.items()],
    path("items/<int:pk>/", views.item_detail, name="item"),
    *[
        path(f"items/<int:pk>/{name}/", view, name=name)
        for name, view in views.ITEM_ACTION_VIEWS.items()
    ],
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("attention/", views.attention, name="attention"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/items/", views.health_items, name="health_items"),
    path("public/", views.public_list, name="public_list"),
    path("public/<int:pk>/", views.public_detail, name="public_detail"),
]

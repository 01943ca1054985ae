from django.urls import path

from renda.deputies import views

app_name = "deputies"

urlpatterns = [
    path("", views.deputy_list, name="list"),
    path("export/", views.deputy_export, name="export"),
    path("import/", views.import_roster, name="import"),
    path("new/", views.add_deputy, name="add_deputy"),
    path("me/", views.my_record, name="me"),
    path("<int:pk>/", views.deputy_detail, name="detail"),
    *[
        path(f"<int:pk>/{name}/", view, name=name)
        for name, view in views.DEPUTY_ACTION_VIEWS.items()
    ],
    *[
        path(f"mandates/<int:pk>/{name}/", view, name=name)
        for name, view in views.MANDATE_ACTION_VIEWS.items()
    ],
]

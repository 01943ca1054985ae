from django.urls import path

from renda.deputies import (
    urls_groups,
    urls_points,
    urls_record,
    urls_stations,
    views,
    views_index,
)
from renda.deputies import views_activities as va

app_name = "deputies"

urlpatterns = [
    path("", views.deputy_list, name="list"),
    path("work/", views_index.index, name="index"),
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
    path("activities/", va.activity_list, name="activities"),
    path("activities/new/", va.create_activity, name="create_activity"),
    path("activities/mine/", va.my_activities, name="my_activities"),
    path("activities/<int:pk>/", va.activity_detail, name="activity"),
    path("activities/<int:pk>/check-in/", va.check_in, name="check_in"),
    *[
        path(f"activities/<int:pk>/{name}/", view, name=name)
        for name, view in va.ACTIVITY_ACTION_VIEWS.items()
    ],
    *[
        path(f"invitations/<int:pk>/{name}/", view, name=name)
        for name, view in va.INVITATION_ACTION_VIEWS.items()
    ],
    *urls_stations.urlpatterns,
    *urls_groups.urlpatterns,
    *urls_record.urlpatterns,
    *urls_points.urlpatterns,
]

"""Pages of the deputies app: points (included by renda/deputies/urls.py)."""

from django.urls import path

from renda.deputies import views_points as v

urlpatterns = [
    path("points/", v.point_list, name="points"),
    path("points/export/", v.point_export, name="point_export"),
    path("points/talks/", v.point_talks, name="point_talks"),
    path("points/bulletins/", v.bulletin_list, name="point_bulletins"),
    path("points/bulletins/new/", v.publish_bulletin, name="publish_bulletin"),
    path("points/bulletins/<int:pk>/", v.bulletin_detail, name="point_bulletin"),
    path("<int:pk>/points/", v.deputy_points, name="deputy_points"),
]

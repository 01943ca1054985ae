"""Pages of the deputies app: stations (included by renda/deputies/urls.py)."""

from django.urls import path

from renda.deputies import views_stations as vs

urlpatterns = [
    path("stations/", vs.stations, name="stations"),
    path("stations/new/", vs.add_station, name="add_station"),
    path("stations/public/", vs.public_receptions, name="public_receptions"),
    path("stations/<int:pk>/", vs.station_detail, name="station"),
    *[
        path(f"stations/<int:pk>/{name}/", view, name=name)
        for name, view in vs.STATION_ACTION_VIEWS.items()
    ],
    path("opinions/", vs.opinions, name="opinions"),
    path("opinions/export/", vs.opinion_export, name="opinion_export"),
    path("opinions/new/", vs.new_opinion, name="new_opinion"),
    path("opinions/<int:pk>/", vs.opinion_detail, name="opinion"),
    *[
        path(f"opinions/<int:pk>/{name}/", view, name=name)
        for name, view in vs.OPINION_ACTION_VIEWS.items()
    ],
]

"""A URLconf with one deliberately unruled view, to prove the checks catch it."""

from django.http import HttpResponse
from django.urls import include, path
from ninja import NinjaAPI

from renda.core.access import allow


@allow("admin")
def ruled(request):
    return HttpResponse("ok")


def forgotten(request):
    return HttpResponse("anyone can see this")


unruled_api = NinjaAPI(urls_namespace="unruled-api")


@unruled_api.get("/open")
def open_operation(request):
    return {"ok": True}


urlpatterns = [
    path("ruled/", ruled, name="ruled"),
    path("nested/", include([path("forgotten/", forgotten, name="forgotten")])),
]

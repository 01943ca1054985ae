"""The supervision hub page."""

from django.urls import path

from renda.supervision import views_index

urlpatterns = [path("", views_index.index, name="index")]

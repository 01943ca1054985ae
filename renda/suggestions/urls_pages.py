from django.urls import path

from renda.suggestions import views

urlpatterns = [
    path("", views.suggestion_list, name="list"),
    path("<int:pk>/", views.suggestion_detail, name="detail"),
]

from django.urls import path

from renda.deputies import views

app_name = "deputies"

urlpatterns = [
    path("", views.deputy_list, name="list"),
    path("export/", views.deputy_export, name="export"),
    path("me/", views.my_record, name="me"),
    path("<int:pk>/", views.deputy_detail, name="detail"),
]

from django.urls import path

from renda.plans import views

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("attention/", views.attention, name="attention"),
]

"""Pages of the deputies app: record (included by renda/deputies/urls.py)."""

from django.urls import path

from renda.deputies import views_record as v

urlpatterns: list = [
    path("<int:pk>/record/", v.deputy_record, name="record"),
    path("<int:pk>/record/<int:year>/archive.pdf", v.record_archive, name="record_archive"),
    path("me/suggestions/", v.my_suggestions, name="my_suggestions"),
    path("public/", v.public_list, name="public_list"),
    path("public/<int:pk>/", v.public_detail, name="public_profile"),
]

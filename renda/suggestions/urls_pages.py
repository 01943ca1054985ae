"""The handling pages: one URL per action, named after the verb (`<pk>/assign/`)."""

from django.urls import path

from renda.suggestions import views

urlpatterns = [
    path("", views.suggestion_list, name="list"),
    path("export/", views.suggestion_export, name="export"),
    path("new/", views.suggestion_create, name="create"),
    path("assign_batch/", views.assign_batch, name="assign_batch"),
    path("<int:pk>/", views.suggestion_detail, name="detail"),
    path("<int:pk>/edit/", views.suggestion_edit, name="edit"),
    *[path(f"<int:pk>/{name}/", view, name=name) for name, view in views.ACTION_VIEWS.items()],
    path("answers/<int:answer_pk>/letter.docx", views.letter_docx, name="letter_docx"),
    path("answers/<int:answer_pk>/letter.pdf", views.letter_pdf, name="letter_pdf"),
    path("attachments/<int:attachment_pk>/", views.attachment_download, name="attachment"),
    path(
        "attachments/<int:attachment_pk>/remove/",
        views.attachment_remove,
        name="remove_attachment",
    ),
]

"""Pages of supervision: inquiries (one URL per action, named after the verb)."""

from django.urls import path

from renda.supervision import views_inquiries as views

urlpatterns: list = [
    path("inquiries/", views.inquiry_list, name="inquiries"),
    path("inquiries/export/", views.inquiry_list_export, name="inquiries_export"),
    path("inquiries/new/", views.inquiry_create, name="inquiry_create"),
    path("inquiries/public/", views.public_inquiries, name="public_inquiries"),
    path("inquiries/<int:pk>/", views.inquiry_detail, name="inquiry"),
    path("inquiries/<int:pk>/report.docx", views.inquiry_report_docx, name="inquiry_report_docx"),
    path("inquiries/<int:pk>/votes.xlsx", views.inquiry_votes_xlsx, name="inquiry_votes_xlsx"),
    *[
        path(f"inquiries/<int:pk>/{name}/", view, name=name)
        for name, view in views.ACTION_VIEWS.items()
    ],
]

"""Pages of supervision: inquiries (one URL per action, named after the verb)."""

urlpatterns: list = []

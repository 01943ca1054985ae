"""Pages of supervision: review opinions."""

urlpatterns: list = []

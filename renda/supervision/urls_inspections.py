"""Pages of supervision: inspections (one URL per action, named after the verb)."""

urlpatterns: list = []

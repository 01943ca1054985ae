"""Pages of supervision: work reports (one URL per action, named after the verb)."""

urlpatterns: list = []

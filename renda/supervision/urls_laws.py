"""Pages of supervision: laws (one URL per action, named after the verb)."""

urlpatterns: list = []

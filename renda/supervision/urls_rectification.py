"""Pages of supervision: rectification (one URL per action, named after the verb)."""

urlpatterns: list = []

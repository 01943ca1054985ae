"""Pages of the deputies app: record (included by renda/deputies/urls.py)."""

urlpatterns: list = []

"""Pages of the deputies app: stations (included by renda/deputies/urls.py)."""

urlpatterns: list = []

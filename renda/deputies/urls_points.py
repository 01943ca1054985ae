"""Pages of the deputies app: points (included by renda/deputies/urls.py)."""

urlpatterns: list = []

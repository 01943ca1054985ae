"""The deputies API: points (mounted by renda/deputies/api.py)."""

from ninja import Router

router = Router(tags=["deputies"])

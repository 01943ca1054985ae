"""The supervision API: laws."""

from ninja import Router

router = Router(tags=["监督工作"])

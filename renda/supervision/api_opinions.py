"""The supervision API: review opinions."""

from ninja import Router

router = Router(tags=["监督工作"])

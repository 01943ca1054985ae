"""The supervision API: rectification."""

from ninja import Router

router = Router(tags=["监督工作"])

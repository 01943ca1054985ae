"""The supervision API: inspections."""

from ninja import Router

router = Router(tags=["监督工作"])

"""The supervision API: work reports."""

from ninja import Router

router = Router(tags=["监督工作"])

"""The supervision API: inquiries."""

from ninja import Router

router = Router(tags=["监督工作"])

"""The supervision API under /api/v1/supervision: one sub-router per area, the same actions,
reads and rules as the pages."""

from ninja import Router

from renda.supervision import (
    api_inquiries,
    api_inspections,
    api_laws,
    api_opinions,
    api_rectification,
    api_work_reports,
)

router = Router()
router.add_router("/laws", api_laws.router)
router.add_router("/inspections", api_inspections.router)
router.add_router("/inquiries", api_inquiries.router)
router.add_router("/work-reports", api_work_reports.router)
router.add_router("/opinions", api_opinions.router)
router.add_router("/rectifications", api_rectification.router)

"""Role-matrix entries (see tests/core/test_role_matrix.py for the format)."""

PLAN_REPORT_PAGES: dict = {}

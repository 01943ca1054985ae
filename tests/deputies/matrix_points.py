"""Role-matrix entries of points and bulletins (format: tests/core/test_role_matrix.py)."""

POINT_PAGES: dict = {}
POINT_API: dict = {}

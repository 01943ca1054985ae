"""Role-matrix entries of the performance record and public profile (format:
tests/core/test_role_matrix.py)."""

RECORD_PAGES: dict = {}
RECORD_API: dict = {}

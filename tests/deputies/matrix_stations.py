"""Role-matrix entries of stations and voters' opinions (format: tests/core/test_role_matrix.py)."""

STATION_PAGES: dict = {}
STATION_API: dict = {}

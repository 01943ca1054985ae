"""Every write of supervision, one module per area (laws, inspections, inquiries, work_reports,
opinions, rectification) sharing the plumbing in `common`. See docs/decisions/0005-supervision.md."""

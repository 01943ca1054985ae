"""Role-matrix entries (see tests/core/test_role_matrix.py for the format): the year-end
evaluation and its downloads, the Excel export and import of a plan."""

ORGAN = {"admin", "leader", "staff"}
WRITERS = {"admin", "staff"}  # the drafting office of a draft plan (personas.staff's office here)


def staff_draft_plan(personas) -> dict:
    """A draft plan of personas.staff's own office, made through the real action once."""
    from renda.core.models import Office
    from renda.plans import actions
    from renda.plans.models import Plan

    office = Office.objects.get(pk=min(personas.staff.roles.office_ids))
    plan = Plan.objects.filter(office=office, kind="office", year=2026).first()
    if plan is None:
        plan = actions.create_plan(
            acting_user=personas.staff,
            kind="office",
            year=2026,
            title="2026年人事代表工作室工作计划",
            office=office,
        )
    return {"pk": plan.pk}


PLAN_REPORT_PAGES: dict = {
    "plans:evaluation": (ORGAN, "get", None, 200),
    "plans:evaluation_docx": (ORGAN, "get", None, 200),
    "plans:evaluation_xlsx": (ORGAN, "get", None, 200),
    "plans:export_xlsx": (ORGAN, "get", staff_draft_plan, 200),
    "plans:import": (WRITERS, "get", staff_draft_plan, 200),
}

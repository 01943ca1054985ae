"""Role-matrix entries (see tests/core/test_role_matrix.py for the format): the statistics
pages, the public pages and the Excel import."""

ORGAN = {"admin", "leader", "staff"}
OFFICE = {"admin", "staff"}


def published(personas) -> dict:
    """A published suggestion, reached through the real actions (made once per test)."""
    from renda.suggestions import actions
    from renda.suggestions.models import Category, Suggestion

    suggestion = Suggestion.objects.filter(published_at__isnull=False).first()
    if suggestion is None:
        suggestion = actions.save_draft(
            acting_user=personas.deputy,
            deputy=personas.deputy.deputy,
            title="关于增设社区养老服务站的建议",
            content="建议在老旧小区集中的街道增设社区养老服务站。",
            category=Category.objects.get(name="社会保障"),
            timing=Suggestion.Timing.DURING_SESSION,
        )
        suggestion = actions.submit(acting_user=personas.deputy, suggestion=suggestion)
        suggestion = actions.accept(acting_user=personas.staff, suggestion=suggestion)
        suggestion = actions.publish(acting_user=personas.staff, suggestion=suggestion)
    return {
        "term": suggestion.term_number,
        "session": suggestion.session_number,
        "number": suggestion.number,
    }


SUGGESTION_REPORT_PAGES: dict = {
    "suggestions:statistics": (ORGAN, "get", None, 200),
    "suggestions:statistics_xlsx": (ORGAN, "get", None, 200),
    "suggestions:handling_report": (ORGAN, "get", None, 200),
    "suggestions:public_list": ("public", "get", None, 200),
    "suggestions:public_detail": ("public", "get", published, 200),
    "suggestions:import": (OFFICE, "get", None, 200),
    "suggestions:import_template": (OFFICE, "get", None, 200),
}

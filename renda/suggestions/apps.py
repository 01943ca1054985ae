from django.apps import AppConfig


class SuggestionsConfig(AppConfig):
    name = "renda.suggestions"
    label = "suggestions"
    verbose_name = "代表建议"

    def ready(self) -> None:
        from renda.core.deadlines import calendar_changed
        from renda.core.home import register
        from renda.core.models import register_state_labels
        from renda.suggestions import home, reminders, tasks  # noqa: F401  (tick, job kinds)
        from renda.suggestions.actions import recompute_provisional_deadlines
        from renda.suggestions.models import Status, Suggestion

        register(home.suggestion_panels)
        register_state_labels(Suggestion, Status.choices)
        calendar_changed.connect(recompute_provisional_deadlines, dispatch_uid="suggestions")

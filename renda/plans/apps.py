from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "renda.plans"
    label = "plans"
    verbose_name = "计划与落实"

    def ready(self) -> None:
        from renda.core.home import register
        from renda.core.models import register_state_labels
        from renda.plans import home, reminders  # noqa: F401  (registers the tick)
        from renda.plans.models import ItemStatus, Plan, PlanItem, PlanStatus

        register(home.plan_panels)
        register_state_labels(Plan, PlanStatus.choices)
        register_state_labels(PlanItem, ItemStatus.choices)

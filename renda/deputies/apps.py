from django.apps import AppConfig


class DeputiesConfig(AppConfig):
    name = "renda.deputies"
    label = "deputies"
    verbose_name = "代表"

    def ready(self) -> None:
        from renda.core.home import register
        from renda.core.models import register_state_labels
        from renda.deputies.home import my_mandates
        from renda.deputies.models import Activity, ActivityStatus

        register(my_mandates)
        # Timeline events show an activity's states in Chinese.
        register_state_labels(Activity, ActivityStatus.choices)

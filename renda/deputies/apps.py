from django.apps import AppConfig


class DeputiesConfig(AppConfig):
    name = "renda.deputies"
    label = "deputies"
    verbose_name = "代表"

    def ready(self) -> None:
        from renda.core.home import register
        from renda.deputies.home import my_mandates

        register(my_mandates)

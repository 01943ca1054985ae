from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "renda.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from renda.core import checks  # noqa: F401  (registers the access-rule check)
        from renda.core.jobs import remove_old_jobs
        from renda.core.ticks import register

        register("remove_old_jobs")(remove_old_jobs)

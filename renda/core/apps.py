from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "renda.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        # checks registers the access-rule check; tokens revokes tokens when a password changes.
        from renda.core import checks, tokens  # noqa: F401
        from renda.core.jobs import remove_old_jobs
        from renda.core.ticks import register

        register("remove_old_jobs")(remove_old_jobs)

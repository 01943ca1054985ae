from django.apps import AppConfig


class DeputiesConfig(AppConfig):
    name = "renda.deputies"
    label = "deputies"
    verbose_name = "代表"

    def ready(self) -> None:
        from renda.core.home import register
        from renda.core.models import register_state_labels
        from renda.deputies import home, tasks  # noqa: F401  (job kinds)
        from renda.deputies.models import (
            Activity,
            ActivityStatus,
            VoterOpinion,
            VoterOpinionStatus,
        )

        for provider in (
            home.my_mandates,
            home.my_open_invitations,
            home.leave_requests,
            home.unit_voter_opinions,
        ):
            register(provider)
        # Timeline events show an activity's states in Chinese.
        register_state_labels(Activity, ActivityStatus.choices)
        register_state_labels(VoterOpinion, VoterOpinionStatus.choices)

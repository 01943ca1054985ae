from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "renda.meetings"
    label = "meetings"
    verbose_name = "会议"

    def ready(self) -> None:
        from renda.core.home import register
        from renda.meetings.home import upcoming_meetings

        register(upcoming_meetings)

from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "renda.supervision"
    label = "supervision"
    verbose_name = "监督工作"

    def ready(self) -> None:
        from renda.core.deadlines import calendar_changed
        from renda.core.home import register as register_panels
        from renda.core.models import register_state_labels
        from renda.supervision import home, reminders, reminders_work_reports  # noqa: F401  (ticks)
        from renda.supervision import models as m
        from renda.supervision.actions.work_reports import recompute_statutory_dates

        register_panels(home.supervision_panels)
        calendar_changed.connect(recompute_statutory_dates, dispatch_uid="supervision_work_reports")

        register_state_labels(m.Inspection, m.InspectionStatus.choices)
        register_state_labels(m.Inquiry, m.InquiryStatus.choices)
        register_state_labels(m.WorkReport, m.WorkReportStatus.choices)
        register_state_labels(m.ReviewOpinion, m.OpinionStatus.choices)
        register_state_labels(m.Rectification, m.RectificationStatus.choices)
        register_state_labels(m.TeamMember, m.InvitationStatus.choices)

from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "renda.supervision"
    label = "supervision"
    verbose_name = "监督工作"

    def ready(self) -> None:
        from renda.core.models import register_state_labels
        from renda.supervision import models as m

        register_state_labels(m.Inspection, m.InspectionStatus.choices)
        register_state_labels(m.Inquiry, m.InquiryStatus.choices)
        register_state_labels(m.WorkReport, m.WorkReportStatus.choices)
        register_state_labels(m.ReviewOpinion, m.OpinionStatus.choices)
        register_state_labels(m.Rectification, m.RectificationStatus.choices)
        register_state_labels(m.TeamMember, m.InvitationStatus.choices)

"""Forms of the work-report pages: they parse and validate input; a view hands the cleaned values
to one action, which checks every rule again."""

from __future__ import annotations

from django import forms

from renda.core.models import Office, Unit
from renda.meetings.models import Meeting
from renda.plans.models import PlanItem
from renda.supervision.actions import common
from renda.supervision.forms_inquiries import (
    DateInput,
    PlanItemField,
    RecordActionForm,
    open_plan_items,
    own_offices,
    style,
)


def future_standing_meetings():
    return Meeting.objects.filter(kind=Meeting.Kind.STANDING, date__gt=common.today()).order_by(
        "date", "id"
    )


class MeetingChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Meeting) -> str:
        return f"{obj.title}（{obj.date}）"


class WorkReportCreateForm(forms.Form):
    title = forms.CharField(label="报告名称", max_length=200)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    unit = forms.ModelChoiceField(label="报告机关", queryset=Unit.objects.none())
    office = forms.ModelChoiceField(label="联系机构", queryset=Office.objects.none())
    meeting = MeetingChoice(
        label="审议会议",
        queryset=Meeting.objects.none(),
        help_text="报告稿、修改稿和送组成人员的法定日期由会议日期倒推",
    )
    plan_item = PlanItemField(label="计划事项", queryset=PlanItem.objects.none(), required=False)

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(is_active=True)
        self.fields["office"].queryset = own_offices(user)
        self.fields["meeting"].queryset = future_standing_meetings()
        self.fields["plan_item"].queryset = open_plan_items(user)
        style(self)


class StepForm(RecordActionForm):
    on = forms.DateField(label="日期", widget=DateInput())

    def setup(self) -> None:
        self.fields["on"].initial = common.today()


class RescheduleForm(RecordActionForm):
    meeting = MeetingChoice(label="改至会议", queryset=Meeting.objects.none())

    def setup(self) -> None:
        self.fields["meeting"].queryset = future_standing_meetings().exclude(
            pk=self.record.meeting_id
        )

"""Forms of the inquiry pages: they parse and validate input; a view hands the cleaned values to
one action, which checks every rule again. Also the pieces the work-report forms share."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet

from renda.core.models import Office, Unit
from renda.core.numbers import SEEN_VERSION, VOTES
from renda.deputies.models import Deputy
from renda.meetings.models import Meeting
from renda.plans.models import PlanItem
from renda.supervision.models import Inquiry, InquiryAttendee, InquiryQuestion

# ---------------------------------------------------------------------------------------------
# Shared pieces


def style(form: forms.Form) -> None:
    """Bootstrap classes on every widget, so templates render fields plainly."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        if isinstance(
            widget, forms.RadioSelect | forms.CheckboxSelectMultiple | forms.CheckboxInput
        ):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def own_offices(user) -> QuerySet[Office]:
    """The admin works for any office; staff for their own."""
    offices = Office.objects.filter(is_active=True)
    if user.roles.is_admin:
        return offices
    return offices.filter(pk__in=list(user.roles.office_ids))


def open_plan_items(user) -> QuerySet[PlanItem]:
    """Open items of binding plans owned by the user's offices (any office for the admin)."""
    items = PlanItem.objects.binding().open().select_related("plan")
    if not user.roles.is_admin:
        items = items.filter(owner_office_id__in=list(user.roles.office_ids))
    return items.order_by("-plan__year", "plan_id", "position", "id")


class PlanItemField(forms.ModelChoiceField):
    def label_from_instance(self, obj: PlanItem) -> str:
        return f"{obj.plan.year}年 · {obj.title}"


def standing_meetings() -> QuerySet[Meeting]:
    return Meeting.objects.filter(kind=Meeting.Kind.STANDING).order_by("-date", "-id")


class RecordActionForm(forms.Form):
    """A form behind one action button of one record (an inquiry or a work report). With
    `uses_version` it carries the record's version, so a form read before someone else's change
    is refused."""

    uses_version = True

    def __init__(self, data=None, files=None, *, record, user, initial_pk=None, **kwargs):
        super().__init__(data, files, **kwargs)
        self.record = record
        self.user = user
        self.initial_pk = initial_pk
        if self.uses_version:
            self.fields["version"] = SEEN_VERSION.form_field(
                required=False, widget=forms.HiddenInput, initial=record.version
            )
        self.setup()
        style(self)

    def setup(self) -> None:
        """Add the fields that depend on the record or the user."""

    @property
    def version(self) -> int | None:
        return self.cleaned_data.get("version") if self.uses_version else None


class ConfirmForm(RecordActionForm):
    """An action without input: the button is the whole form."""


# ---------------------------------------------------------------------------------------------
# Creating an inquiry


class InquiryCreateForm(forms.Form):
    topic = forms.CharField(label="询问主题", max_length=200)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    office = forms.ModelChoiceField(label="承办机构", queryset=Office.objects.none())
    plan_item = PlanItemField(
        label="计划事项",
        queryset=PlanItem.objects.none(),
        required=False,
        help_text="本机构已审定计划中尚未完成的事项；办结时以询问报告作为成果佐证完成该事项",
    )
    meeting = forms.ModelChoiceField(
        label="询问会议", queryset=Meeting.objects.none(), required=False
    )
    background = forms.CharField(label="询问背景和目的", required=False, widget=textarea())

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["office"].queryset = own_offices(user)
        self.fields["plan_item"].queryset = open_plan_items(user)
        self.fields["meeting"].queryset = standing_meetings()
        style(self)


# ---------------------------------------------------------------------------------------------
# The forms behind the action buttons


class InquiryForm(RecordActionForm):
    def attendees(self) -> QuerySet[InquiryAttendee]:
        return self.record.attendees.select_related("unit").order_by("id")

    def questions(self) -> QuerySet[InquiryQuestion]:
        return self.record.questions.order_by("position", "id")


class AttendeeChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: InquiryAttendee) -> str:
        return f"{obj.unit.name} {obj.official_title}{obj.official}"


class QuestionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: InquiryQuestion) -> str:
        return f"第 {obj.position} 个问题：{obj.question[:30]}"


class UpdateInquiryForm(InquiryForm):
    topic = forms.CharField(label="询问主题", max_length=200)
    background = forms.CharField(label="询问背景和目的", required=False, widget=textarea())
    research = forms.CharField(
        label="前期调研",
        required=False,
        widget=textarea(4),
        help_text="组织代表开展的前期调研：时间、参加人员、了解到的情况",
    )
    meeting = forms.ModelChoiceField(
        label="询问会议", queryset=Meeting.objects.none(), required=False
    )

    def setup(self) -> None:
        self.fields["meeting"].queryset = standing_meetings()
        for name in ("topic", "background", "research"):
            self.fields[name].initial = getattr(self.record, name)
        self.fields["meeting"].initial = self.record.meeting_id


class AddAttendeeForm(InquiryForm):
    unit = forms.ModelChoiceField(label="应询单位", queryset=Unit.objects.none())
    official = forms.CharField(label="应询人", max_length=50)
    official_title = forms.CharField(label="职务", max_length=100)

    def setup(self) -> None:
        self.fields["unit"].queryset = Unit.objects.filter(is_active=True)


class RemoveAttendeeForm(InquiryForm):
    attendee = AttendeeChoice(
        label="应询人",
        queryset=InquiryAttendee.objects.none(),
        help_text="已有问题指向的应询人不能删除",
    )

    def setup(self) -> None:
        # Those a question targets are left out: the action would refuse them.
        self.fields["attendee"].queryset = self.attendees().filter(questions=None)
        self.fields["attendee"].initial = self.initial_pk


class AttendanceForm(InquiryForm):
    attendee = AttendeeChoice(label="应询人", queryset=InquiryAttendee.objects.none())
    attended = forms.TypedChoiceField(
        label="到会情况",
        choices=[("yes", "到会"), ("no", "未到会")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        initial="yes",
    )

    def setup(self) -> None:
        self.fields["attendee"].queryset = self.attendees()
        self.fields["attendee"].initial = self.initial_pk


class QuestionFields(InquiryForm):
    asker_kind = forms.ChoiceField(
        label="提问人类别",
        choices=InquiryQuestion.AskerKind.choices,
        widget=forms.RadioSelect,
        initial=InquiryQuestion.AskerKind.MEMBER,
    )
    asker_deputy = forms.ModelChoiceField(
        label="提问代表",
        queryset=Deputy.objects.none(),
        required=False,
        help_text="选择代表时，提问人姓名取自代表名册",
    )
    asker_name = forms.CharField(label="提问人姓名", max_length=50, required=False)
    attendee = AttendeeChoice(label="应询人", queryset=InquiryAttendee.objects.none())
    question = forms.CharField(label="问题", widget=textarea(4))

    def setup(self) -> None:
        self.fields["attendee"].queryset = self.attendees()
        self.fields["asker_deputy"].queryset = Deputy.objects.order_by("name_stroke_key", "id")


class AddQuestionForm(QuestionFields):
    pass


class UpdateQuestionForm(QuestionFields):
    target = QuestionChoice(label="修改哪个问题", queryset=InquiryQuestion.objects.none())

    field_order = ["target"]

    def setup(self) -> None:
        super().setup()
        self.fields["target"].queryset = self.questions()
        chosen = self.questions().filter(pk=self.initial_pk).first() if self.initial_pk else None
        if chosen is None:
            return
        self.fields["target"].initial = chosen.pk
        self.fields["asker_kind"].initial = chosen.asker_kind
        self.fields["asker_deputy"].initial = chosen.asker_deputy_id
        self.fields["asker_name"].initial = chosen.asker_name
        self.fields["attendee"].initial = chosen.attendee_id
        self.fields["question"].initial = chosen.question


class PickQuestionForm(InquiryForm):
    target = QuestionChoice(label="问题", queryset=InquiryQuestion.objects.none())

    def setup(self) -> None:
        self.fields["target"].queryset = self.questions()
        self.fields["target"].initial = self.initial_pk


class AnswerForm(PickQuestionForm):
    answer = forms.CharField(label="回答", widget=textarea(4))

    def setup(self) -> None:
        super().setup()
        chosen = self.questions().filter(pk=self.initial_pk).first() if self.initial_pk else None
        if chosen is not None:
            self.fields["answer"].initial = chosen.answer


class VoteForm(PickQuestionForm):
    votes_satisfied = VOTES.form_field(label="满意票", initial=0)
    votes_basic = VOTES.form_field(label="基本满意票", initial=0)
    votes_unsatisfied = VOTES.form_field(label="不满意票", initial=0)


class HoldForm(InquiryForm):
    held_on = forms.DateField(label="询问日期", widget=DateInput())
    summary = forms.CharField(
        label="询问情况",
        widget=textarea(4),
        help_text="出席的常委会组成人员和代表、应询单位负责人到会情况、询问的总体情况",
    )

    def setup(self) -> None:
        if self.record.meeting_id:
            self.fields["held_on"].initial = self.record.meeting.date


COMMITMENT_ROWS = 3


class CommitmentsForm(InquiryForm):
    """Up to three items at a time (a row left empty is skipped); the list may be added to later."""

    def setup(self) -> None:
        for n in range(1, COMMITMENT_ROWS + 1):
            self.fields[f"question_{n}"] = QuestionChoice(
                label=f"第 {n} 项 · 对应问题", queryset=self.questions(), required=False
            )
            self.fields[f"title_{n}"] = forms.CharField(
                label=f"第 {n} 项 · 整改事项", max_length=200, required=False
            )
            self.fields[f"description_{n}"] = forms.CharField(
                label=f"第 {n} 项 · 承诺和要求", required=False, widget=textarea(2)
            )
            self.fields[f"due_on_{n}"] = forms.DateField(
                label=f"第 {n} 项 · 整改期限",
                required=False,
                widget=DateInput(),
                help_text="不填按缺省整改期限（交办日起 3 个月）",
            )

    def clean(self):
        data = super().clean()
        entries = []
        for n in range(1, COMMITMENT_ROWS + 1):
            question = data.get(f"question_{n}")
            title = data.get(f"title_{n}") or ""
            description = data.get(f"description_{n}") or ""
            if question is None and not title.strip() and not description.strip():
                continue
            if question is None:
                self.add_error(f"question_{n}", "请选择对应的问题")
                continue
            entries.append((question, title, description, data.get(f"due_on_{n}")))
        data["entries"] = entries
        return data


class CloseForm(InquiryForm):
    result_statement = forms.CharField(
        label="办理结果",
        widget=textarea(4),
        help_text="整改落实情况和应询单位报告办理情况的总结",
    )


def inquiry_kwargs(form: RecordActionForm) -> dict:
    record: Inquiry = form.record
    return {"acting_user": form.user, "inquiry": record, "version": form.version}

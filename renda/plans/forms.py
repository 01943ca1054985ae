"""Forms of the plan pages: they parse and validate input, then a view hands the cleaned values to
one action. The rules themselves stay in actions.py (every action checks again)."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.db.models import QuerySet

from renda.core.models import Office, Role, User
from renda.core.numbers import ID, SEEN_VERSION
from renda.meetings.models import Meeting
from renda.plans.actions import GRADES, ItemFields
from renda.plans.models import ChangeRequest, Milestone, Plan, PlanItem, PlanKind, PlanStatus
from renda.suggestions.models import Suggestion

# ---------------------------------------------------------------------------------------------
# The list's filters


def positive_int(value) -> int | None:
    return ID.parse(value)


@dataclass(frozen=True)
class PlanFilters:
    year: int | None = None
    kind: str = ""
    office: int | None = None
    status: str = ""


def filters_from_params(params) -> PlanFilters:
    """Unknown or malformed values are ignored rather than refused: a list link never breaks."""
    kind = params.get("kind", "")
    status = params.get("status", "")
    return PlanFilters(
        year=positive_int(params.get("year")),
        kind=kind if kind in PlanKind.values else "",
        office=positive_int(params.get("office")),
        status=status if status in PlanStatus.values else "",
    )


# ---------------------------------------------------------------------------------------------
# Shared pieces


def _style(form: forms.Form) -> None:
    """Bootstrap classes on every widget, so templates render fields plainly."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several files at once; the action checks each one's type and size."""

    def __init__(self, *, required: bool = False, **kwargs):
        kwargs.setdefault("label", "佐证材料")
        kwargs.setdefault("help_text", "可选多个文件：PDF、Word、Excel、图片，单个不超过 20 MB")
        super().__init__(required=required, widget=MultipleFileInput(), **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if self.required and not files:
            raise forms.ValidationError("请上传佐证材料")
        return [super(EvidenceField, self).clean(one, initial) for one in files]


def leader_users() -> QuerySet[User]:
    return (
        User.objects.filter(is_active=True, memberships__role=Role.LEADER)
        .distinct()
        .order_by("full_name", "id")
    )


def drafting_offices(user) -> QuerySet[Office]:
    """The admin drafts for any office; staff for their own."""
    offices = Office.objects.filter(is_active=True)
    if user.roles.is_admin:
        return offices
    return offices.filter(pk__in=list(user.roles.office_ids))


# ---------------------------------------------------------------------------------------------
# Creating a plan


class PlanCreateForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=PlanKind.choices)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    title = forms.CharField(label="名称", max_length=200)
    office = forms.ModelChoiceField(label="起草机构", queryset=Office.objects.none())
    note = forms.CharField(label="说明", required=False, widget=_textarea())

    def __init__(self, data=None, *, user: User, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["office"].queryset = drafting_offices(user)
        _style(self)


# ---------------------------------------------------------------------------------------------
# The forms behind the action buttons


class ActionForm(forms.Form):
    """A form behind one action button. It knows its plan (and item, for an item action) and the
    user; `uses_version` adds the hidden version so a form read before someone else's change is
    refused."""

    uses_version = False

    def __init__(
        self, data=None, files=None, *, plan: Plan, item: PlanItem | None = None, user, **kwargs
    ):
        super().__init__(data, files, **kwargs)
        self.plan = plan
        self.item = item
        self.user = user
        if self.uses_version:
            row = item if item is not None else plan
            self.fields["version"] = SEEN_VERSION.form_field(
                required=False, widget=forms.HiddenInput, initial=row.version
            )
        self.setup()
        _style(self)

    def setup(self) -> None:
        """Add the fields that depend on the plan, the item or the user."""

    @property
    def version(self) -> int | None:
        return self.cleaned_data.get("version") if self.uses_version else None


class ConfirmForm(ActionForm):
    """An action without input: the button is the whole form."""


class VersionedConfirmForm(ActionForm):
    uses_version = True


class PlanUpdateForm(ActionForm):
    uses_version = True
    title = forms.CharField(label="名称", max_length=200)
    note = forms.CharField(label="说明", required=False, widget=_textarea())

    def setup(self) -> None:
        self.fields["title"].initial = self.plan.title
        self.fields["note"].initial = self.plan.note


class ItemForm(ActionForm):
    """The fields of an item (actions.ItemFields); on the plan page it adds an item, on the item
    page it changes one."""

    title = forms.CharField(label="事项名称", max_length=200)
    owner_office = forms.ModelChoiceField(label="责任机构", queryset=Office.objects.none())
    leader = forms.ModelChoiceField(label="分管领导", queryset=User.objects.none(), required=False)
    objective = forms.CharField(label="工作目标", required=False, widget=_textarea(2))
    expected_result = forms.CharField(label="预期成果", required=False, widget=_textarea(2))
    measure = forms.CharField(
        label="成果衡量方式",
        required=False,
        widget=_textarea(2),
        help_text="提交审定前必填：用什么标准判断成果是否达到",
    )
    starts_on = forms.DateField(label="开始日期", required=False, widget=DateInput())
    ends_on = forms.DateField(label="完成期限", required=False, widget=DateInput())
    invited_deputies = forms.IntegerField(
        label="拟邀请代表人数", min_value=0, max_value=1000, initial=0
    )
    weight = forms.IntegerField(label="权重", min_value=1, max_value=100, initial=1)
    parent = forms.ModelChoiceField(
        label="上级事项", queryset=PlanItem.objects.none(), required=False
    )

    def setup(self) -> None:
        self.fields["owner_office"].queryset = Office.objects.filter(is_active=True)
        self.fields["leader"].queryset = leader_users()
        if self.item is None:
            self.fields["owner_office"].initial = self.plan.office_id
            self.fields["parent"].queryset = self.plan.items.filter(parent__parent=None).order_by(
                "position", "id"
            )
            return
        del self.fields["parent"]
        self.fields["version"] = SEEN_VERSION.form_field(
            required=False, widget=forms.HiddenInput, initial=self.item.version
        )
        for name in ItemFields.__dataclass_fields__:
            value = getattr(self.item, name)
            self.fields[name].initial = value.pk if hasattr(value, "pk") else value

    @property
    def version(self) -> int | None:
        return self.cleaned_data.get("version")

    def values(self) -> ItemFields:
        data = self.cleaned_data
        return ItemFields(
            title=data["title"],
            owner_office=data["owner_office"],
            leader=data["leader"],
            objective=data["objective"],
            expected_result=data["expected_result"],
            measure=data["measure"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            invited_deputies=data["invited_deputies"],
            weight=data["weight"],
        )


class ApproveForm(ActionForm):
    uses_version = True
    meeting = forms.ModelChoiceField(label="审定的主任会议", queryset=Meeting.objects.none())
    party_committee_date = forms.DateField(
        label="区委常委会审定日期", required=False, widget=DateInput()
    )
    party_committee_note = forms.CharField(label="区委常委会审定说明", required=False)

    def setup(self) -> None:
        self.fields["meeting"].queryset = Meeting.objects.filter(kind=Meeting.Kind.DIRECTOR)
        if not self.plan.needs_party_committee:
            del self.fields["party_committee_date"]
            del self.fields["party_committee_note"]


class ReasonForm(ActionForm):
    uses_version = True
    reason = forms.CharField(label="退回理由", widget=_textarea())


class MilestoneForm(ActionForm):
    title = forms.CharField(label="节点名称", max_length=200)
    due_on = forms.DateField(label="节点期限", widget=DateInput())


class CompleteMilestoneForm(ActionForm):
    milestone = forms.ModelChoiceField(label="节点", queryset=Milestone.objects.none())
    done_on = forms.DateField(
        label="完成日期", required=False, widget=DateInput(), help_text="不填为今天"
    )
    note = forms.CharField(label="说明", required=False, widget=_textarea(2))

    def setup(self) -> None:
        self.fields["milestone"].queryset = self.item.milestones.filter(done_on=None)
        self.fields["milestone"].empty_label = None


class ProgressForm(ActionForm):
    uses_version = True
    text = forms.CharField(label="进展情况", widget=_textarea(4))
    percent = forms.IntegerField(
        label="进度（%）", min_value=0, max_value=99, help_text="完成请使用“完成事项”"
    )
    evidence = EvidenceField()

    def setup(self) -> None:
        self.fields["percent"].initial = self.item.progress if self.item.progress < 100 else 99


class CompleteItemForm(ActionForm):
    uses_version = True
    result_statement = forms.CharField(label="成果说明", widget=_textarea(4))
    evidence = EvidenceField(help_text="须上传成果佐证材料（如报告、会议纪要、照片），可选多个")


class ChangeRequestForm(ActionForm):
    kind = forms.ChoiceField(
        label="变更类型", choices=ChangeRequest.Kind.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(label="变更理由", widget=_textarea())
    new_ends_on = forms.DateField(
        label="延期至", required=False, widget=DateInput(), help_text="延期时填写"
    )
    new_expected_result = forms.CharField(
        label="调整后的预期成果", required=False, widget=_textarea(2), help_text="调整时填写"
    )
    new_measure = forms.CharField(
        label="调整后的衡量方式", required=False, widget=_textarea(2), help_text="调整时填写"
    )


class DecideChangeForm(ActionForm):
    decision = forms.ChoiceField(
        label="审批意见",
        choices=[("approve", "同意"), ("refuse", "不同意")],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="说明", required=False, widget=_textarea(2))

    def pending(self) -> ChangeRequest | None:
        return self.item.changes.filter(status=ChangeRequest.Status.REQUESTED).first()


class SelfAssessForm(ActionForm):
    text = forms.CharField(label="自评内容", widget=_textarea(4))
    evidence = EvidenceField(label="自评佐证")

    def setup(self) -> None:
        self.fields["text"].initial = self.item.self_assessment


class GradeForm(ActionForm):
    grade = forms.ChoiceField(
        label="评定等次", choices=list(GRADES.items()), widget=forms.RadioSelect
    )
    note = forms.CharField(label="评语", required=False, widget=_textarea(2))


class LinkForm(ActionForm):
    """What carries the item out: a meeting, or a suggestion by its record number (ID)."""

    meeting = forms.ModelChoiceField(label="会议", queryset=Meeting.objects.none(), required=False)
    suggestion = ID.form_field(
        label="代表建议（记录号）", required=False, help_text="建议页面地址中的数字"
    )
    label = forms.CharField(label="名称（可不填）", required=False, max_length=200)

    def setup(self) -> None:
        self.fields["meeting"].queryset = Meeting.objects.all()

    def clean(self):
        cleaned = super().clean()
        meeting, number = cleaned.get("meeting"), cleaned.get("suggestion")
        if bool(meeting) == bool(number):
            raise forms.ValidationError("请选择一个会议，或填写一件建议的记录号（二者选一）。")
        if number:
            target = Suggestion.objects.filter(pk=number).first()
            if target is None:
                self.add_error("suggestion", "没有这件建议")
                return cleaned
            cleaned["target"] = target
        else:
            cleaned["target"] = meeting
        return cleaned

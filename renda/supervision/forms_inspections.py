"""Forms of the inspection pages: they parse input, then a view hands the cleaned values to one
action (which checks every rule again). A form behind an action knows its inspection and user;
the ones on a row of the inspection (a step, a member, a clause, a problem) choose that row
among the inspection's own."""

from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet

from renda.core.models import Office, Role, Unit, User
from renda.core.numbers import PEOPLE, SEEN_VERSION
from renda.deputies.models import Deputy
from renda.meetings.models import Meeting
from renda.plans.models import OPEN_ITEM_STATES, PlanItem, PlanStatus
from renda.supervision import queries_inspections as q
from renda.supervision.models import (
    ChecklistClause,
    Inspection,
    InspectionMethod,
    InvitationStatus,
    LawVersion,
    Problem,
    TeamMember,
    TeamRole,
)

DECISIONS = [("accept", "接受邀请"), ("decline", "谢绝")]


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


def organ_users() -> QuerySet[User]:
    return (
        User.objects.filter(is_active=True, memberships__role__in=[Role.LEADER, Role.STAFF])
        .distinct()
        .order_by("full_name", "id")
    )


def running_offices(user) -> QuerySet[Office]:
    """The admin organises for any office; staff for their own."""
    offices = Office.objects.filter(is_active=True)
    if user.roles.is_admin:
        return offices
    return offices.filter(pk__in=list(user.roles.office_ids))


def _units() -> QuerySet[Unit]:
    return Unit.objects.filter(is_active=True)


class ByName(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return getattr(obj, "name", None) or str(obj)


class UnitsField(forms.ModelMultipleChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", "责任主体")
        kwargs.setdefault("required", False)
        super().__init__(queryset=Unit.objects.none(), **kwargs)


# ---------------------------------------------------------------------------------------------
# Creating an inspection


class PlanItemField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.plan.year}年 {obj.plan.title} · {obj.title}"


class InspectionCreateForm(forms.Form):
    title = forms.CharField(label="名称", max_length=200)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    office = forms.ModelChoiceField(label="承办机构", queryset=Office.objects.none())
    plan_item = PlanItemField(
        label="计划事项",
        queryset=PlanItem.objects.none(),
        required=False,
        help_text="年度监督工作计划中的执法检查事项（已审定的计划）",
    )
    law_version = forms.ModelChoiceField(
        label="检查的法律法规", queryset=LawVersion.objects.none(), required=False
    )

    def __init__(self, data=None, *, user: User, **kwargs):
        super().__init__(data, **kwargs)
        offices = running_offices(user)
        self.fields["office"].queryset = offices
        self.fields["plan_item"].queryset = (
            PlanItem.objects.filter(
                plan__status__in=(PlanStatus.APPROVED, PlanStatus.PUBLISHED),
                status__in=OPEN_ITEM_STATES,
                owner_office__in=offices,
            )
            .select_related("plan")
            .order_by("-plan__year", "plan_id", "position", "id")
        )
        self.fields["law_version"].queryset = LawVersion.objects.select_related("law")
        _style(self)


# ---------------------------------------------------------------------------------------------
# The forms behind the action buttons


class ActionForm(forms.Form):
    """A form behind one action button. `uses_version` adds the hidden version, so a form read
    before someone else's change is refused (409)."""

    uses_version = False

    def __init__(self, data=None, files=None, *, inspection: Inspection, user, **kwargs):
        super().__init__(data, files, **kwargs)
        self.inspection = inspection
        self.user = user
        if self.uses_version:
            self.fields["version"] = SEEN_VERSION.form_field(
                required=False, widget=forms.HiddenInput, initial=inspection.version
            )
        self.setup()
        _style(self)

    def setup(self) -> None:
        """Add what depends on the inspection or the user."""

    @property
    def version(self) -> int | None:
        return self.cleaned_data.get("version") if self.uses_version else None


class ConfirmForm(ActionForm):
    uses_version = True


class ReasonForm(ActionForm):
    uses_version = True
    reason = forms.CharField(label="理由", widget=_textarea())


class PlanForm(ActionForm):
    uses_version = True
    law_version = forms.ModelChoiceField(
        label="检查的法律法规", queryset=LawVersion.objects.none(), required=False
    )
    leader = forms.ModelChoiceField(
        label="检查组组长", queryset=User.objects.none(), required=False
    )
    content = forms.CharField(label="检查内容", required=False, widget=_textarea())
    objects_checked = forms.CharField(label="检查对象", required=False, widget=_textarea(2))
    scope = forms.CharField(label="检查范围", required=False, widget=_textarea(2))
    focus = forms.CharField(label="检查重点", required=False, widget=_textarea(2))
    methods = forms.MultipleChoiceField(
        label="检查方式",
        choices=InspectionMethod.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    organisation = forms.CharField(label="组织形式", required=False, widget=_textarea(2))
    deputies_to_invite = forms.IntegerField(
        label="拟邀请代表人数", min_value=0, max_value=1000, initial=0
    )
    starts_on = forms.DateField(label="开始日期", required=False, widget=DateInput())
    ends_on = forms.DateField(label="结束日期", required=False, widget=DateInput())

    FIELDS = (
        "law_version",
        "leader",
        "content",
        "objects_checked",
        "scope",
        "focus",
        "methods",
        "organisation",
        "deputies_to_invite",
        "starts_on",
        "ends_on",
    )

    def setup(self) -> None:
        self.fields["law_version"].queryset = LawVersion.objects.select_related("law")
        self.fields["leader"].queryset = organ_users()
        for name in self.FIELDS:
            value = getattr(self.inspection, name)
            self.fields[name].initial = value.pk if hasattr(value, "pk") else value

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class StepForm(ActionForm):
    uses_version = True
    title = forms.CharField(label="步骤", max_length=200)
    starts_on = forms.DateField(label="开始日期", widget=DateInput())
    ends_on = forms.DateField(label="结束日期", widget=DateInput())


class StepChoiceForm(ActionForm):
    step = forms.ModelChoiceField(label="检查步骤", queryset=None, empty_label=None)

    def setup(self) -> None:
        self.fields["step"].queryset = self.inspection.steps.all()


class CompleteStepForm(StepChoiceForm):
    done_on = forms.DateField(
        label="完成日期", required=False, widget=DateInput(), help_text="不填为今天"
    )
    note = forms.CharField(label="说明", required=False, widget=_textarea(2))

    def setup(self) -> None:
        self.fields["step"].queryset = self.inspection.steps.filter(done_on=None)


class ApproveForm(ActionForm):
    uses_version = True
    meeting = forms.ModelChoiceField(label="审定的主任会议", queryset=Meeting.objects.none())

    def setup(self) -> None:
        self.fields["meeting"].queryset = Meeting.objects.filter(kind=Meeting.Kind.DIRECTOR)


class AppointForm(ActionForm):
    role = forms.ChoiceField(
        label="职责",
        choices=[(r.value, r.label) for r in q.APPOINTED_ROLES],
    )
    user = forms.ModelChoiceField(
        label="人员（有账号的）", queryset=User.objects.none(), required=False
    )
    name = forms.CharField(
        label="姓名", max_length=50, required=False, help_text="没有账号的人员填写姓名"
    )
    title = forms.CharField(label="单位职务", max_length=200, required=False)

    def setup(self) -> None:
        self.fields["user"].queryset = organ_users()


class MemberField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        state = f"（{obj.get_invitation_display()}）" if obj.invitation else ""
        return f"{obj.get_role_display()} {obj.name}{state}"


class MemberChoiceForm(ActionForm):
    member = MemberField(label="检查组成员", queryset=TeamMember.objects.none(), empty_label=None)

    def setup(self) -> None:
        self.fields["member"].queryset = self.inspection.team.order_by("role", "id")


class DeputyField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.full_name}（{obj.work_position}）" if obj.work_position else obj.full_name


class InviteForm(ActionForm):
    uses_version = True
    deputies = DeputyField(
        label="邀请的代表",
        queryset=Deputy.objects.none(),
        help_text="各级人大代表（区、市、省、全国）均可邀请",
    )

    def setup(self) -> None:
        invited = self.inspection.team.exclude(deputy=None).values("deputy_id")
        rows = Deputy.objects.with_active_mandate().exclude(pk__in=invited)
        search = self.initial.get("q", "") if not self.is_bound else ""
        self.fields["deputies"].queryset = rows.search(search).in_stroke_order()
        self.fields["deputies"].widget.attrs["size"] = 10


class ReplyFields(forms.Form):
    decision = forms.ChoiceField(label="答复", choices=DECISIONS, widget=forms.RadioSelect)
    note = forms.CharField(label="说明（可不填）", max_length=150, required=False)

    @property
    def accept(self) -> bool:
        return self.cleaned_data["decision"] == "accept"


class ReplyForDeputyForm(ActionForm):
    member = MemberField(label="受邀代表", queryset=TeamMember.objects.none(), empty_label=None)
    decision = forms.ChoiceField(label="答复", choices=DECISIONS, widget=forms.RadioSelect)
    note = forms.CharField(label="说明（可不填）", max_length=150, required=False)

    def setup(self) -> None:
        self.fields["member"].queryset = self.inspection.team.filter(role=TeamRole.DEPUTY)

    @property
    def accept(self) -> bool:
        return self.cleaned_data["decision"] == "accept"


class ReplyForm(ReplyFields):
    """A deputy's own answer to an invitation."""

    def __init__(self, data=None, *, member: TeamMember, **kwargs):
        super().__init__(data, **kwargs)
        self.member = member
        _style(self)


class ChooseClausesForm(ActionForm):
    """The picker: the law version's articles, clauses and items (filtered by `q`), chosen
    together with the duty checked and the bodies concerned. A blank duty takes the text of
    each provision itself."""

    uses_version = True
    provisions = forms.MultipleChoiceField(
        label="条款", choices=(), widget=forms.CheckboxSelectMultiple
    )
    duty_kind = forms.ChoiceField(
        label="类型", choices=ChecklistClause.DutyKind.choices, widget=forms.RadioSelect
    )
    duty = forms.CharField(
        label="检查的职责或责任",
        required=False,
        widget=_textarea(2),
        help_text="不填则以条文原文作为检查的职责",
    )
    bodies = UnitsField()

    def setup(self) -> None:
        self.fields["duty_kind"].initial = ChecklistClause.DutyKind.DUTY
        self.fields["bodies"].queryset = _units()
        self.choices_by_id = {}
        version = self.inspection.law_version
        if version is None:
            return
        taken = set(self.inspection.checklist.values_list("provision_id", flat=True))
        search = "" if self.is_bound else self.initial.get("q", "")
        rows = [
            (row, citation)
            for row, citation in q.provision_choices(version, search=search)
            if row.pk not in taken
        ]
        self.choices_by_id = {str(row.pk): (row, citation) for row, citation in rows}
        self.fields["provisions"].choices = [
            (str(row.pk), f"{citation} {row.text[:60]}") for row, citation in rows
        ]

    def entries(self) -> list[tuple]:
        data = self.cleaned_data
        out = []
        for pk in data["provisions"]:
            provision, _ = self.choices_by_id[pk]
            out.append((provision, data["duty_kind"], data["duty"], list(data["bodies"])))
        return out


class ClauseField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.citation


class ClauseChoiceForm(ActionForm):
    clause = ClauseField(
        label="检查条款", queryset=ChecklistClause.objects.none(), empty_label=None
    )

    def setup(self) -> None:
        self.fields["clause"].queryset = self.inspection.checklist.order_by("position", "id")


class UpdateClauseForm(ClauseChoiceForm):
    duty_kind = forms.ChoiceField(
        label="类型", choices=ChecklistClause.DutyKind.choices, widget=forms.RadioSelect
    )
    duty = forms.CharField(label="检查的职责或责任", widget=_textarea(2))
    bodies = UnitsField()

    def setup(self) -> None:
        super().setup()
        self.fields["bodies"].queryset = _units()
        clause = self.initial.get("clause")
        row = self.inspection.checklist.filter(pk=clause).first() if clause else None
        if row is not None:
            self.fields["duty_kind"].initial = row.duty_kind
            self.fields["duty"].initial = row.duty
            self.fields["bodies"].initial = list(row.bodies.values_list("pk", flat=True))


class FindingForm(ClauseChoiceForm):
    conclusion = forms.ChoiceField(
        label="检查结论",
        choices=[
            c
            for c in ChecklistClause.Conclusion.choices
            if c[0] != ChecklistClause.Conclusion.UNCHECKED
        ],
        widget=forms.RadioSelect,
    )
    finding = forms.CharField(label="检查发现", required=False, widget=_textarea(3))


class ParticipantsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name}（{obj.get_role_display()}）"


class VisitForm(ActionForm):
    method = forms.ChoiceField(
        label="方式",
        choices=[c for c in InspectionMethod.choices if c[0] != InspectionMethod.QUESTIONNAIRE],
    )
    held_on = forms.DateField(label="日期", widget=DateInput())
    place = forms.CharField(label="地点", max_length=200)
    bodies = UnitsField(label="被检查单位")
    participants = ParticipantsField(
        label="参加人员",
        queryset=TeamMember.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="检查组成员和已接受邀请的代表",
    )
    other_participants = forms.CharField(label="其他参加人员", max_length=500, required=False)
    notes = forms.CharField(label="检查记录", widget=_textarea(4))

    def setup(self) -> None:
        self.fields["bodies"].queryset = _units()
        not_coming = Q(role=TeamRole.DEPUTY) & ~Q(invitation=InvitationStatus.ACCEPTED)
        self.fields["participants"].queryset = self.inspection.team.exclude(not_coming).order_by(
            "role", "id"
        )


class QuestionnaireForm(ActionForm):
    title = forms.CharField(label="问卷", max_length=200)
    audience = forms.CharField(label="调查对象", max_length=200, required=False)
    distributed = PEOPLE.form_field(label="发放份数", initial=0)
    returned = PEOPLE.form_field(label="回收份数", initial=0)
    results = forms.CharField(label="结果摘要", widget=_textarea(3))
    held_from = forms.DateField(label="开始日期", required=False, widget=DateInput())
    held_to = forms.DateField(label="结束日期", required=False, widget=DateInput())


class ProblemFields(ActionForm):
    clause = ClauseField(label="对照条款", queryset=ChecklistClause.objects.none(), required=False)
    unit = ByName(label="责任主体", queryset=Unit.objects.none())
    description = forms.CharField(label="问题", widget=_textarea(3))
    suggestion = forms.CharField(label="整改建议", required=False, widget=_textarea(2))

    def setup(self) -> None:
        self.fields["clause"].queryset = self.inspection.checklist.order_by("position", "id")
        self.fields["unit"].queryset = _units()

    def values(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in ("clause", "unit", "description", "suggestion")
        }


class ProblemField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"问题{obj.position}：{obj.description[:30]}"


class ProblemChoiceForm(ActionForm):
    problem = ProblemField(label="问题", queryset=Problem.objects.none(), empty_label=None)

    def setup(self) -> None:
        self.fields["problem"].queryset = self.inspection.problems.order_by("position", "id")


class UpdateProblemForm(ProblemFields):
    problem = ProblemField(label="问题", queryset=Problem.objects.none(), empty_label=None)
    field_order = ["problem", "clause", "unit", "description", "suggestion"]

    def setup(self) -> None:
        super().setup()
        self.fields["problem"].queryset = self.inspection.problems.order_by("position", "id")
        chosen = self.initial.get("problem")
        row = self.inspection.problems.filter(pk=chosen).first() if chosen else None
        if row is not None:
            for name in ("clause", "unit"):
                self.fields[name].initial = getattr(row, f"{name}_id")
            for name in ("description", "suggestion"):
                self.fields[name].initial = getattr(row, name)


class ReportForm(ActionForm):
    uses_version = True
    implementation = forms.CharField(
        label="法律实施的基本情况", required=False, widget=_textarea(6)
    )
    suggestions = forms.CharField(label="意见建议", required=False, widget=_textarea(4))
    amendments = forms.CharField(
        label="修改完善法律法规的建议", required=False, widget=_textarea(3)
    )

    def setup(self) -> None:
        self.fields["implementation"].initial = self.inspection.report_implementation
        self.fields["suggestions"].initial = self.inspection.report_suggestions
        self.fields["amendments"].initial = self.inspection.report_amendments


class OpinionsForm(ActionForm):
    uses_version = True
    meeting = forms.ModelChoiceField(label="审议的常委会会议", queryset=Meeting.objects.none())

    def setup(self) -> None:
        self.fields["meeting"].queryset = Meeting.objects.filter(kind=Meeting.Kind.STANDING)


class CloseForm(ActionForm):
    uses_version = True
    result_statement = forms.CharField(
        label="成果说明",
        widget=_textarea(3),
        help_text="有对应的计划事项时，同时完成该事项，检查报告作为成果佐证",
    )

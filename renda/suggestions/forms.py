"""Forms of the suggestion pages: they parse and validate input, then a view hands the cleaned
values to one action. The rules themselves stay in actions.py (every action checks again)."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from renda.core.models import Congress, Office, Role, Unit, User
from renda.core.numbers import SEEN_VERSION, SERIAL
from renda.deputies.models import Deputy
from renda.suggestions.actions import MAX_CONTENT, AnswerDraft, AssignmentPlan
from renda.suggestions.models import (
    Answer,
    AnswerCategory,
    Assignment,
    Category,
    Contact,
    Satisfaction,
    Status,
    Suggestion,
)
from renda.suggestions.queries import SORTS, SuggestionFilters

# ---------------------------------------------------------------------------------------------
# The list's filters


def positive_int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _flag(value) -> bool:
    return value in ("1", "on", "true", "yes")


def parse_session(value: str) -> tuple[int | None, int | None]:
    """ "18-5" → (18, 5): the session filter names term and session in one value."""
    term, _, session = (value or "").partition("-")
    return positive_int(term), positive_int(session)


def filters_from_params(params) -> SuggestionFilters:
    """The list's filters from the query string; unknown or malformed values are ignored.
    `status` is also what the home panels link with (?status=answered)."""
    status = params.get("status", "")
    sort = params.get("sort", "due")
    term, session = parse_session(params.get("session", ""))
    return SuggestionFilters(
        status=status if status in Status.values else "",
        category=positive_int(params.get("category")),
        unit=positive_int(params.get("unit")),
        term_number=term,
        session_number=session,
        overdue=_flag(params.get("overdue")),
        key=_flag(params.get("key")),
        escalated=_flag(params.get("escalated")),
        deputy=positive_int(params.get("deputy")),
        street=positive_int(params.get("street")),
        q=(params.get("q") or "").strip()[:100],
        sort=sort if sort in SORTS else "due",
    )


# ---------------------------------------------------------------------------------------------
# Shared pieces


def _style(form: forms.Form, *, small: bool = False) -> None:
    """Bootstrap classes on every widget, so templates render fields plainly."""
    size = " form-select-sm" if small else ""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        if isinstance(
            widget, forms.RadioSelect | forms.CheckboxSelectMultiple | forms.CheckboxInput
        ):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            widget.attrs.setdefault("class", "form-select" + size)
        else:
            widget.attrs.setdefault("class", "form-control")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _searchable(field: forms.Field, placeholder: str = "输入姓名筛选") -> None:
    # pages.js puts a filter box above selects marked this way (no inline script: CSP).
    field.widget.attrs["data-filterable"] = placeholder


def active_units() -> QuerySet[Unit]:
    return Unit.objects.active()


def mandate_holders() -> QuerySet[Deputy]:
    return Deputy.objects.with_active_mandate().in_stroke_order()


def leader_users() -> QuerySet[User]:
    return (
        User.objects.filter(is_active=True, memberships__role=Role.LEADER)
        .distinct()
        .order_by("full_name", "id")
    )


class ActionForm(forms.Form):
    """A form behind one action button. It knows the suggestion and the user; `uses_version`
    adds the hidden version so that a form read before someone else's change is refused."""

    uses_version = False

    def __init__(self, data=None, files=None, *, suggestion: Suggestion, user: User, **kwargs):
        super().__init__(data, files, **kwargs)
        self.suggestion = suggestion
        self.user = user
        if self.uses_version:
            self.fields["version"] = SEEN_VERSION.form_field(
                required=False, widget=forms.HiddenInput, initial=suggestion.version
            )
        self.setup()
        _style(self)

    def setup(self) -> None:
        """Add the fields that depend on the suggestion or the user."""

    def clean(self):
        cleaned = super().clean()
        # A choice with a single candidate is a hidden field: take the candidate if not posted.
        for name, only in getattr(self, "defaults", {}).items():
            if cleaned.get(name) is None and name not in self.errors:
                cleaned[name] = only
        return cleaned

    @property
    def version(self) -> int | None:
        return self.cleaned_data.get("version") if self.uses_version else None


class ConfirmForm(ActionForm):
    """An action without input: the button is the whole form."""


class VersionedConfirmForm(ActionForm):
    uses_version = True


class NoteForm(ActionForm):
    uses_version = True
    note = forms.CharField(label="说明", required=False, widget=_textarea(2))


class PlainNoteForm(ActionForm):
    note = forms.CharField(label="说明", required=False, widget=_textarea(2))


class ReasonForm(ActionForm):
    uses_version = True
    reason = forms.CharField(label="理由", widget=_textarea())


class PlainReasonForm(ActionForm):
    reason = forms.CharField(label="理由", widget=_textarea())


# ---------------------------------------------------------------------------------------------
# Drafting


class DraftForm(forms.Form):
    """A new suggestion or a draft being changed. Office staff entering one on a deputy's behalf
    pick the deputy; a deputy drafts their own."""

    deputy = forms.ModelChoiceField(label="领衔代表", queryset=Deputy.objects.none())
    title = forms.CharField(label="标题", max_length=200)
    content = forms.CharField(label="建议内容", max_length=MAX_CONTENT, widget=_textarea(10))
    category = forms.ModelChoiceField(label="类别", queryset=Category.objects.none())
    kind = forms.ChoiceField(label="类型", choices=Suggestion.Kind.choices)
    timing = forms.ChoiceField(
        label="提出时间", choices=Suggestion.Timing.choices, widget=forms.RadioSelect
    )
    term_number = forms.IntegerField(label="届次", min_value=1, max_value=99)
    session_number = forms.IntegerField(label="次会议", min_value=1, max_value=20)
    cosigners = forms.ModelMultipleChoiceField(
        label="联名代表",
        queryset=Deputy.objects.none(),
        required=False,
        help_text="按住 Ctrl 键可多选；联名代表须各自确认。",
    )
    wants_face_to_face = forms.BooleanField(label="希望承办单位当面沟通", required=False)
    version = SEEN_VERSION.form_field(required=False, widget=forms.HiddenInput)

    def __init__(self, data=None, *, user: User, on_behalf: bool, suggestion=None, **kwargs):
        initial = kwargs.pop("initial", {}) or {}
        congress = Congress.current()
        if suggestion is not None:
            initial.update(
                deputy=suggestion.deputy_id,
                title=suggestion.title,
                content=suggestion.content,
                category=suggestion.category_id,
                kind=suggestion.kind,
                timing=suggestion.timing,
                term_number=suggestion.term_number,
                session_number=suggestion.session_number,
                cosigners=[c.deputy_id for c in suggestion.cosigners.all()],
                wants_face_to_face=suggestion.wants_face_to_face,
                version=suggestion.version,
            )
        else:
            initial.setdefault("term_number", congress.term_number if congress else 1)
            initial.setdefault("session_number", congress.session_number if congress else 1)
            initial.setdefault("timing", Suggestion.Timing.DURING_SESSION)
        super().__init__(data, initial=initial, **kwargs)
        self.user = user
        self.on_behalf = on_behalf
        holders = mandate_holders()
        self.fields["category"].queryset = Category.objects.filter(is_active=True)
        self.fields["cosigners"].queryset = holders
        _searchable(self.fields["cosigners"])
        if on_behalf:
            self.fields["deputy"].queryset = holders
            _searchable(self.fields["deputy"])
        else:
            del self.fields["deputy"]
        _style(self)

    def clean(self):
        cleaned = super().clean()
        if not self.on_behalf:
            cleaned["deputy"] = Deputy.objects.filter(user=self.user).first()
            if cleaned["deputy"] is None:
                raise forms.ValidationError("您的账号尚未关联代表信息，请联系代表工作机构。")
        return cleaned

    def action_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "deputy": data["deputy"],
            "title": data["title"],
            "content": data["content"],
            "category": data["category"],
            "timing": data["timing"],
            "kind": data["kind"],
            "wants_face_to_face": data["wants_face_to_face"],
            "cosigners": list(data["cosigners"]),
            "term_number": data["term_number"],
            "session_number": data["session_number"],
        }


class CosignReplyForm(ActionForm):
    decision = forms.ChoiceField(
        label="联名意见",
        choices=[("confirm", "确认联名"), ("decline", "拒绝联名")],
        widget=forms.RadioSelect,
    )


# ---------------------------------------------------------------------------------------------
# Review


class MergeForm(ActionForm):
    uses_version = True
    into_number = SERIAL.form_field(label="并入第几号建议", help_text="同一次会议已立案的建议编号")

    def clean_into_number(self) -> Suggestion:
        number = self.cleaned_data["into_number"]
        s = self.suggestion
        main = (
            Suggestion.objects.for_session(s.term_number, s.session_number)
            .filter(number=number)
            .first()
        )
        if main is None:
            raise forms.ValidationError(f"本次会议没有第{number}号建议。")
        return main


class AssignForm(ActionForm):
    uses_version = True
    mode = forms.ChoiceField(
        label="办理方式",
        choices=Suggestion.Mode.choices,
        widget=forms.RadioSelect,
        initial=Suggestion.Mode.LEAD,
    )
    lead_unit = forms.ModelChoiceField(
        label="主办单位", queryset=Unit.objects.none(), required=False
    )
    co_units = forms.ModelMultipleChoiceField(
        label="协办单位",
        queryset=Unit.objects.none(),
        required=False,
        help_text="按住 Ctrl 键可多选",
    )
    separate_units = forms.ModelMultipleChoiceField(
        label="分办单位",
        queryset=Unit.objects.none(),
        required=False,
        help_text="至少两个；按住 Ctrl 键可多选",
    )
    is_difficult = forms.BooleanField(
        label="涉及面广、处理难度大（答复期限 6 个月）", required=False
    )

    def setup(self) -> None:
        for name in ("lead_unit", "co_units", "separate_units"):
            self.fields[name].queryset = active_units()
            self.fields[name].widget.attrs["data-mode-field"] = name
        _searchable(self.fields["co_units"], "输入单位名称筛选")
        _searchable(self.fields["separate_units"], "输入单位名称筛选")

    def clean(self):
        cleaned = super().clean()
        return _check_plan_fields(self, cleaned)

    def plan(self) -> AssignmentPlan:
        return plan_from(self.cleaned_data)


def _check_plan_fields(form: forms.Form, cleaned: dict) -> dict:
    """What a page can say before calling the action: the fields the chosen mode needs."""
    mode = cleaned.get("mode")
    if mode == Suggestion.Mode.LEAD:
        lead = cleaned.get("lead_unit")
        if lead is None:
            form.add_error("lead_unit", "请选择主办单位。")
        elif lead in (cleaned.get("co_units") or []):
            form.add_error("co_units", "主办单位不必再列为协办单位。")
    elif mode == Suggestion.Mode.SEPARATE and len(cleaned.get("separate_units") or []) < 2:
        form.add_error("separate_units", "分办至少需要两个承办单位；只有一个单位时请选择主办。")
    return cleaned


def plan_from(data: dict) -> AssignmentPlan:
    if data["mode"] == Suggestion.Mode.SEPARATE:
        return AssignmentPlan(
            mode=Suggestion.Mode.SEPARATE,
            separate_units=tuple(data["separate_units"]),
            is_difficult=data["is_difficult"],
        )
    return AssignmentPlan(
        mode=Suggestion.Mode.LEAD,
        lead_unit=data["lead_unit"],
        co_units=tuple(data["co_units"]),
        is_difficult=data["is_difficult"],
    )


class BatchRowForm(forms.Form):
    """One row of the 交办会 table. An empty mode leaves the suggestion for a later meeting.
    The unit choices are a list read once for the whole table (a queryset per select would cost
    three queries a row)."""

    mode = forms.ChoiceField(
        label="办理方式",
        choices=[("", "暂不交办"), *Suggestion.Mode.choices],
        required=False,
        initial=Suggestion.Mode.LEAD,
    )
    lead_unit = forms.TypedChoiceField(label="主办单位", coerce=int, required=False)
    co_units = forms.TypedMultipleChoiceField(label="协办单位", coerce=int, required=False)
    separate_units = forms.TypedMultipleChoiceField(label="分办单位", coerce=int, required=False)
    is_difficult = forms.BooleanField(label="复杂", required=False)

    def __init__(self, *args, suggestion: Suggestion, units: list[Unit], **kwargs):
        super().__init__(*args, prefix=f"s{suggestion.pk}", **kwargs)
        self.suggestion = suggestion
        self.units = {u.pk: u for u in units}
        choices = [(u.pk, u.name) for u in units]
        self.fields["lead_unit"].choices = [("", "—"), *choices]
        self.fields["co_units"].choices = choices
        self.fields["separate_units"].choices = choices
        _style(self, small=True)

    def clean(self):
        cleaned = super().clean()
        lead = cleaned.get("lead_unit")
        cleaned["lead_unit"] = self.units.get(lead) if lead else None
        for name in ("co_units", "separate_units"):
            cleaned[name] = [self.units[pk] for pk in cleaned.get(name) or []]
        if not cleaned.get("mode"):
            return cleaned
        return _check_plan_fields(self, cleaned)

    @property
    def included(self) -> bool:
        return bool(self.cleaned_data.get("mode"))


# ---------------------------------------------------------------------------------------------
# The units' part


def _assignment_field(form: ActionForm, rows: QuerySet[Assignment], label: str) -> None:
    """The assignment the action applies to: hidden when there is only one to choose."""
    field = forms.ModelChoiceField(label=label, queryset=rows, empty_label=None)
    _single_choice(form, "assignment", field)
    form.fields = {"assignment": field, **form.fields}


def _single_choice(form: ActionForm, name: str, field: forms.ModelChoiceField) -> None:
    choices = list(field.queryset[:2])
    if len(choices) == 1:
        field.widget = forms.HiddenInput()
        field.initial = choices[0].pk
        field.required = False
        form.defaults = {**getattr(form, "defaults", {}), name: choices[0]}


def my_assignments(user: User, suggestion: Suggestion) -> QuerySet[Assignment]:
    return (
        suggestion.assignments.exclude(status=Assignment.Status.WITHDRAWN)
        .filter(unit_id__in=user.roles.unit_ids)
        .select_related("unit")
    )


class SignForForm(ActionForm):
    def setup(self) -> None:
        _assignment_field(
            self,
            my_assignments(self.user, self.suggestion).filter(status=Assignment.Status.PENDING),
            "签收单位",
        )


class RequestAdjustmentForm(ActionForm):
    reason = forms.CharField(
        label="申请调整的理由", widget=_textarea(), help_text="说明该事项不属于本单位职责的依据"
    )

    def setup(self) -> None:
        _assignment_field(
            self,
            my_assignments(self.user, self.suggestion).filter(status=Assignment.Status.PENDING),
            "申请单位",
        )


class DecideAdjustmentForm(ActionForm):
    decision = forms.ChoiceField(
        label="决定",
        choices=[("reassign", "同意调整，改交其他单位"), ("insist", "不同意调整，仍由原单位办理")],
        widget=forms.RadioSelect,
    )
    reassign_to = forms.ModelChoiceField(
        label="改交单位", queryset=Unit.objects.none(), required=False
    )
    note = forms.CharField(
        label="说明", required=False, widget=_textarea(2), help_text="不同意调整时必填"
    )

    def setup(self) -> None:
        rows = self.suggestion.assignments.filter(
            status=Assignment.Status.ADJUST_REQUESTED
        ).select_related("unit")
        _assignment_field(self, rows, "申请调整的单位")
        self.fields["reassign_to"].queryset = active_units()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reassign" and cleaned.get("reassign_to") is None:
            self.add_error("reassign_to", "请选择改交的单位。")
        return cleaned


class ContactForm(ActionForm):
    stage = forms.ChoiceField(label="阶段", choices=Contact.Stage.choices)
    method = forms.ChoiceField(label="方式", choices=Contact.Method.choices)
    contacted_on = forms.DateField(label="日期", widget=DateInput())
    summary = forms.CharField(label="沟通情况及商定事项", widget=_textarea(4))

    def setup(self) -> None:
        self.fields["contacted_on"].initial = timezone.localdate()


class OpinionForm(ActionForm):
    opinion = forms.CharField(label="会办意见", widget=_textarea(6))

    def setup(self) -> None:
        rows = my_assignments(self.user, self.suggestion).filter(role=Assignment.Role.CO)
        _assignment_field(self, rows, "协办单位")


class AnswerForm(ActionForm):
    category = forms.ModelChoiceField(label="答复类别", queryset=AnswerCategory.objects.none())
    document_number = forms.CharField(label="文号", max_length=50, required=False)
    text = forms.CharField(label="答复内容", widget=_textarea(12))
    signer = forms.CharField(label="签发人", max_length=30)
    contact_person = forms.CharField(label="联系人", max_length=30)
    contact_phone = forms.CharField(label="联系电话", max_length=30)
    is_face_to_face = forms.BooleanField(label="当面答复", required=False)

    def setup(self) -> None:
        self.fields["category"].queryset = AnswerCategory.objects.filter(is_active=True)

    def draft(self) -> AnswerDraft:
        data = self.cleaned_data
        return AnswerDraft(
            category=data["category"],
            text=data["text"],
            signer=data["signer"],
            contact_person=data["contact_person"],
            contact_phone=data["contact_phone"],
            document_number=data["document_number"],
            is_face_to_face=data["is_face_to_face"],
        )


def current_answers(suggestion: Suggestion) -> QuerySet[Answer]:
    return suggestion.answers.filter(status=Answer.Status.SENT).select_related("unit", "category")


class CorrectCategoryForm(ActionForm):
    category = forms.ModelChoiceField(label="更正为", queryset=AnswerCategory.objects.none())
    note = forms.CharField(label="说明", required=False, widget=_textarea(2))

    def setup(self) -> None:
        answer = forms.ModelChoiceField(
            label="答复", queryset=current_answers(self.suggestion), empty_label=None
        )
        answer.label_from_instance = lambda a: f"{a.unit.name}（现为 {a.category.code} 类）"
        self.fields = {"answer": answer, **self.fields}
        self.fields["category"].queryset = AnswerCategory.objects.filter(is_active=True)


class RateForm(ActionForm):
    uses_version = True
    attitude = forms.ChoiceField(
        label="办理态度", choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    result = forms.ChoiceField(
        label="办理结果", choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label="意见",
        required=False,
        widget=_textarea(3),
        help_text="选择“不满意”时必须写明具体意见",
    )

    def setup(self) -> None:
        # A jointly signed suggestion: the lead deputy gathers the co-signers' views (SD 23).
        if self.suggestion.cosigners.filter(status="confirmed").exists():
            self.fields["cosigners_consulted"] = forms.BooleanField(
                label="已征求联名代表的意见", required=False
            )

    def action_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "attitude": data["attitude"],
            "result": data["result"],
            "comment": data["comment"],
            "cosigners_consulted": data.get("cosigners_consulted", False),
            "version": self.version,
        }


class FaceToFaceForm(ActionForm):
    def setup(self) -> None:
        rows = current_answers(self.suggestion).filter(
            is_face_to_face=True, face_to_face_confirmed_at=None
        )
        field = forms.ModelChoiceField(label="当面答复", queryset=rows, empty_label=None)
        field.label_from_instance = lambda a: f"{a.unit.name} {a.answered_on:%Y-%m-%d}"
        _single_choice(self, "answer", field)
        self.fields["answer"] = field


# ---------------------------------------------------------------------------------------------
# Deadlines


class ExtensionForm(ActionForm):
    new_due = forms.DateField(label="延期至", widget=DateInput())
    reason = forms.CharField(label="延期理由", widget=_textarea())


class DecideExtensionForm(ActionForm):
    decision = forms.ChoiceField(
        label="审批意见",
        choices=[("approve", "同意延期"), ("refuse", "不同意延期")],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="说明", required=False, widget=_textarea(2), help_text="不同意时必填"
    )


# ---------------------------------------------------------------------------------------------
# Key suggestions, publication, attachments


class FlagKeyForm(ActionForm):
    leader = forms.ModelChoiceField(label="督办领导", queryset=User.objects.none())
    office = forms.ModelChoiceField(label="跟踪督办机构", queryset=Office.objects.none())
    note = forms.CharField(label="说明", required=False, widget=_textarea(2))

    def setup(self) -> None:
        self.fields["leader"].queryset = leader_users()
        self.fields["leader"].label_from_instance = lambda u: u.get_full_name()
        self.fields["office"].queryset = Office.objects.active()


class ConfidentialForm(ActionForm):
    confidential = forms.ChoiceField(
        label="是否公开",
        choices=[("1", "不予公开（涉及国家秘密、商业秘密或个人隐私）"), ("0", "可以公开")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="理由", required=False, widget=_textarea(2), help_text="设为不予公开时必填"
    )

    def setup(self) -> None:
        self.fields["confidential"].initial = "0" if self.suggestion.is_confidential else "1"


class AttachmentForm(ActionForm):
    # Named as the action's field errors name it (type, size, content are checked there).
    file = forms.FileField(
        label="附件", help_text="PDF、Word、Excel、图片或文本文件，单个不超过 20 MB"
    )

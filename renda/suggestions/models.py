"""Deputies' suggestions (代表建议、批评和意见) and their handling: the suggestion with its one state
machine, the units it is assigned to, contacts with the deputy, answers, ratings, extensions.

The allowed moves are the TRANSITIONS tables beside each Status; actions.py is the only writer."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from renda.core.deadlines import Period
from renda.core.errors import DomainError
from renda.core.numbers import (
    FILE_SIZE,
    POSITION,
    SERIAL,
    SESSION,
    SORT_ORDER,
    TERM,
    TIMES,
    VERSION,
    range_checks,
)


def _validate_period(text: str) -> None:
    from django.core.exceptions import ValidationError

    try:
        Period.parse(text)
    except DomainError as error:
        raise ValidationError(error.message) from error


class Category(models.Model):
    """The subject taxonomy (城乡建设、教育…): configurable by the administrator."""

    name = models.CharField("名称", max_length=30, unique=True)
    sort_order = models.PositiveSmallIntegerField(
        "排序", default=100, validators=SORT_ORDER.validators
    )
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "建议类别"
        ordering = ["sort_order", "id"]
        constraints = [*range_checks("suggestions_category", sort_order=SORT_ORDER)]

    def __str__(self) -> str:
        return self.name


class AnswerCategory(models.Model):
    """One grade of the answer scheme (A/B/C/D, or 甲/乙/丙 elsewhere). The code and label are
    configurable; `resolution` says what the grade means, so the rates and the follow-up list
    work whatever the labels are."""

    class Resolution(models.TextChoices):
        SOLVED = "solved", "已解决或基本解决"
        PLANNED = "planned", "正在解决或列入计划"
        CONSTRAINED = "constrained", "因条件限制待以后解决"
        REFERENCE = "reference", "留作参考"

    code = models.CharField("代码", max_length=4, unique=True)
    label = models.CharField("含义", max_length=50)
    resolution = models.CharField("性质", max_length=20, choices=Resolution.choices)
    sort_order = models.PositiveSmallIntegerField(
        "排序", default=100, validators=SORT_ORDER.validators
    )
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "答复类别"
        ordering = ["sort_order", "id"]
        constraints = [*range_checks("suggestions_answercategory", sort_order=SORT_ORDER)]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    @property
    def needs_follow_up(self) -> bool:
        # B and C answers stay under follow-up until actually solved (DOMAIN).
        return self.resolution in (self.Resolution.PLANNED, self.Resolution.CONSTRAINED)


class HandlingRules(models.Model):
    """The periods of the handling work: statutory defaults, editable by the administrator.
    One row (id 1); `HandlingRules.current()` creates it with the defaults when missing."""

    answer_period = models.CharField(
        "答复期限", max_length=20, default="3 个月", validators=[_validate_period]
    )
    difficult_answer_period = models.CharField(
        "复杂建议答复期限", max_length=20, default="6 个月", validators=[_validate_period]
    )
    adjustment_window = models.CharField(
        "申请调整期限",
        max_length=20,
        default="5 日",
        validators=[_validate_period],
        help_text="自收到交办之日起；可写“5 日”或“5 个工作日”",
    )
    co_unit_opinion_period = models.CharField(
        "会办意见期限", max_length=20, default="1 个月", validators=[_validate_period]
    )
    rehandling_period = models.CharField(
        "不满意重新办理期限", max_length=20, default="1 个月", validators=[_validate_period]
    )
    reminder_days = models.CharField(
        "到期前提醒天数",
        max_length=50,
        default="15,3",
        help_text="用逗号分隔，如“15,3”：到期前 15 天和 3 天各提醒一次",
    )
    escalate_after_not_satisfied = models.PositiveSmallIntegerField(
        "连续不满意几次报告领导",
        default=2,
        validators=TIMES.validators,
    )

    class Meta:
        verbose_name = verbose_name_plural = "建议办理期限设置"
        constraints = [
            *range_checks("suggestions_handlingrules", escalate_after_not_satisfied=TIMES),
            models.CheckConstraint(condition=Q(id=1), name="handling_rules_single_row"),
        ]

    def __str__(self) -> str:
        return "建议办理期限设置"

    @classmethod
    def current(cls) -> HandlingRules:
        rules, _ = cls.objects.get_or_create(pk=1)
        return rules

    def period(self, name: str) -> Period:
        return Period.parse(getattr(self, name))

    @property
    def reminder_day_list(self) -> list[int]:
        days = {
            int(part)
            for part in self.reminder_days.replace("，", ",").split(",")
            if part.strip().isdigit()
        }
        return sorted((d for d in days if d > 0), reverse=True)


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审查"
    DECLINED = "declined", "不予立案"
    MERGED = "merged", "已并案"
    ACCEPTED = "accepted", "待交办"
    ASSIGNED = "assigned", "待签收"
    HANDLING = "handling", "办理中"
    ANSWERED = "answered", "已答复"
    FOLLOW_UP = "follow_up", "跟踪落实"
    CLOSED = "closed", "已办结"


S = Status
TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.SUBMITTED},
    S.SUBMITTED: {S.DRAFT, S.ACCEPTED, S.DECLINED, S.MERGED},
    S.DECLINED: set(),
    S.MERGED: set(),
    S.ACCEPTED: {S.ASSIGNED},
    # Reassigning everything away after an adjustment request leaves it assigned; signing moves on.
    S.ASSIGNED: {S.HANDLING},
    S.HANDLING: {S.ANSWERED},
    # Returned for redrafting or rated 不满意 -> handling again; rated -> follow-up or closed.
    S.ANSWERED: {S.HANDLING, S.FOLLOW_UP, S.CLOSED},
    S.FOLLOW_UP: {S.ANSWERED},
    S.CLOSED: set(),
}

# States in which the deadline runs: the units owe an answer.
OPEN_STATES = (S.ASSIGNED, S.HANDLING)
# States no longer waiting for anything.
FINAL_STATES = (S.DECLINED, S.MERGED, S.CLOSED)
# Accepted into the session's register (they have a number).
REGISTERED_STATES = (S.ACCEPTED, S.ASSIGNED, S.HANDLING, S.ANSWERED, S.FOLLOW_UP, S.CLOSED)


class SuggestionQuerySet(models.QuerySet):
    def registered(self):
        return self.filter(status__in=REGISTERED_STATES)

    def open(self):
        return self.filter(status__in=OPEN_STATES)

    def overdue(self, today):
        return self.open().filter(due_at__lt=today)

    def for_session(self, term_number: int, session_number: int):
        return self.filter(term_number=term_number, session_number=session_number)


class Suggestion(models.Model):
    class Kind(models.TextChoices):
        SUGGESTION = "suggestion", "建议"
        MOTION = "motion", "议案"

    class Timing(models.TextChoices):
        DURING_SESSION = "during", "大会期间"
        BETWEEN_SESSIONS = "between", "闭会期间"

    class Mode(models.TextChoices):
        LEAD = "lead", "主办、协办"
        SEPARATE = "separate", "分办"

    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.SUGGESTION)
    term_number = models.PositiveSmallIntegerField("届次", validators=TERM.validators)
    session_number = models.PositiveSmallIntegerField("次会议", validators=SESSION.validators)
    timing = models.CharField("提出时间", max_length=10, choices=Timing.choices)
    number = models.PositiveIntegerField(
        "编号", null=True, blank=True, validators=SERIAL.validators
    )
    title = models.CharField("标题", max_length=200)
    content = models.TextField("内容")
    category = models.ForeignKey(Category, verbose_name="类别", on_delete=models.PROTECT)
    wants_face_to_face = models.BooleanField("希望当面沟通", default=False)
    deputy = models.ForeignKey(
        "deputies.Deputy",
        verbose_name="领衔代表",
        on_delete=models.PROTECT,
        related_name="suggestions",
    )
    # The lead deputy's street when submitted: lists filter on it without joining mandates.
    street = models.ForeignKey(
        "core.Street", verbose_name="街道", on_delete=models.PROTECT, null=True, blank=True
    )
    created_by = models.ForeignKey(
        "core.User", verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    decline_reason = models.TextField("不予立案理由", blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name="并入",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged",
    )
    mode = models.CharField("办理方式", max_length=10, choices=Mode.choices, blank=True)
    is_difficult = models.BooleanField("涉及面广、处理难度大", default=False)
    # The deadline: stored so lists sort and filter in SQL; recomputed by the actions.
    due_at = models.DateField("答复期限", null=True, blank=True)
    due_start = models.DateField(null=True, blank=True, editable=False)
    due_period = models.CharField(max_length=20, blank=True, editable=False)
    due_basis = models.CharField(max_length=20, blank=True, editable=False)
    due_explanation = models.CharField("期限计算", max_length=300, blank=True)
    due_provisional_years = models.JSONField(default=list, blank=True, editable=False)
    is_key = models.BooleanField("重点督办", default=False)
    key_leader = models.ForeignKey(
        "core.User",
        verbose_name="督办领导",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    key_office = models.ForeignKey(
        "core.Office",
        verbose_name="督办机构",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The answer round: answers and the rating of one round belong together; a 不满意 rating or
    # entering follow-up starts the next round.
    round = models.PositiveSmallIntegerField("答复轮次", default=1, validators=POSITION.validators)
    not_satisfied_streak = models.PositiveSmallIntegerField(
        "连续不满意次数", default=0, validators=TIMES.validators
    )
    is_escalated = models.BooleanField("已报告领导", default=False)
    is_confidential = models.BooleanField(
        "不予公开", default=False, help_text="涉及国家秘密、商业秘密或个人隐私"
    )
    published_at = models.DateTimeField("公开时间", null=True, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    accepted_at = models.DateTimeField("立案时间", null=True, blank=True)
    assigned_on = models.DateField("交办日期", null=True, blank=True)
    first_answered_on = models.DateField("首次答复日期", null=True, blank=True)
    answered_on_time = models.BooleanField("按期答复", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    # Optimistic lock: a save that read an older version is refused (no lost update).
    version = models.PositiveIntegerField(default=1, validators=VERSION.validators)

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "代表建议"
        ordering = ["-id"]
        constraints = [
            *range_checks(
                "suggestions_suggestion",
                term_number=TERM,
                session_number=SESSION,
                number=SERIAL,
                round=POSITION,
                not_satisfied_streak=TIMES,
                version=VERSION,
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="suggestion_status_valid"
            ),
            models.UniqueConstraint(
                fields=["term_number", "session_number", "number"],
                condition=Q(number__isnull=False),
                name="suggestion_number_unique_per_session",
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(status__in=(*REGISTERED_STATES, S.MERGED)),
                name="suggestion_number_only_when_registered",
            ),
        ]
        indexes = [
            models.Index(
                fields=["due_at"],
                name="suggestion_open_due_idx",
                condition=Q(status__in=OPEN_STATES),
            ),
            models.Index(fields=["term_number", "session_number", "status"]),
        ]

    def __str__(self) -> str:
        return self.display_number + self.title

    @property
    def display_number(self) -> str:
        return f"第{self.number}号 " if self.number else ""

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES

    def is_overdue(self, today) -> bool:
        return self.is_open and self.due_at is not None and self.due_at < today


class CoSigner(models.Model):
    """A deputy who signs the suggestion jointly (联名); each confirms for themself."""

    class Status(models.TextChoices):
        PENDING = "pending", "待确认"
        CONFIRMED = "confirmed", "已确认"
        DECLINED = "declined", "已拒绝"

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="cosigners")
    deputy = models.ForeignKey(
        "deputies.Deputy", verbose_name="联名代表", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    replied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "联名代表"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "deputy"], name="cosigner_unique")
        ]

    def __str__(self) -> str:
        return str(self.deputy)


class Assignment(models.Model):
    """One unit's part in handling one suggestion."""

    class Role(models.TextChoices):
        LEAD = "lead", "主办"
        CO = "co", "协办"
        SEPARATE = "separate", "分办"

    class Status(models.TextChoices):
        PENDING = "pending", "待签收"
        SIGNED = "signed", "已签收"
        ADJUST_REQUESTED = "adjust_requested", "申请调整"
        WITHDRAWN = "withdrawn", "已改交"

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(
        "core.Unit", verbose_name="承办单位", on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField("承办方式", max_length=10, choices=Role.choices)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PENDING)
    assigned_on = models.DateField("交办日期")
    adjust_due = models.DateField("申请调整截止")
    signed_at = models.DateTimeField("签收时间", null=True, blank=True)
    adjust_reason = models.TextField("申请调整理由", blank=True)
    adjust_refused = models.BooleanField("不同意调整", default=False)
    opinion = models.TextField("会办意见", blank=True)
    opinion_due = models.DateField("会办意见期限", null=True, blank=True)
    opinion_at = models.DateTimeField("会办意见提交时间", null=True, blank=True)

    TRANSITIONS = {
        "pending": {"signed", "adjust_requested"},
        "adjust_requested": {"pending", "withdrawn"},
        "signed": set(),
        "withdrawn": set(),
    }

    class Meta:
        verbose_name = verbose_name_plural = "交办"
        ordering = ["suggestion_id", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "unit"],
                condition=~Q(status="withdrawn"),
                name="assignment_one_live_per_unit",
            ),
            models.UniqueConstraint(
                fields=["suggestion"],
                condition=Q(role="lead") & ~Q(status="withdrawn"),
                name="assignment_one_live_lead",
            ),
        ]
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self) -> str:
        return f"{self.unit}（{self.get_role_display()}）"

    @property
    def is_live(self) -> bool:
        return self.status != self.Status.WITHDRAWN

    @property
    def answers_deputy(self) -> bool:
        return self.role in (self.Role.LEAD, self.Role.SEPARATE)


class Contact(models.Model):
    """A contact between a unit and the deputy: before, during or after handling."""

    class Stage(models.TextChoices):
        BEFORE = "before", "办前"
        DURING = "during", "办中"
        AFTER = "after", "办后"

    class Method(models.TextChoices):
        FACE_TO_FACE = "face", "当面"
        PHONE = "phone", "电话"
        SITE = "site", "现场察看"
        OTHER = "other", "其他"

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="contacts")
    unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="+")
    stage = models.CharField("阶段", max_length=10, choices=Stage.choices)
    method = models.CharField("方式", max_length=10, choices=Method.choices)
    contacted_on = models.DateField("日期")
    summary = models.TextField("沟通情况及商定事项")
    recorded_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "沟通联系"
        ordering = ["contacted_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}{self.get_method_display()}沟通"


class Answer(models.Model):
    """One written answer by one unit; a suggestion may be answered several times (after
    redrafting, 不满意, or follow-up)."""

    class Status(models.TextChoices):
        SENT = "sent", "已答复"
        RETURNED = "returned", "退回重办"
        SUPERSEDED = "superseded", "已重新答复"

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="answers")
    unit = models.ForeignKey(
        "core.Unit", verbose_name="答复单位", on_delete=models.PROTECT, related_name="+"
    )
    round = models.PositiveSmallIntegerField("答复轮次", default=1, validators=POSITION.validators)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SENT)
    category = models.ForeignKey(
        AnswerCategory, verbose_name="答复类别", on_delete=models.PROTECT, related_name="+"
    )
    original_category = models.ForeignKey(
        AnswerCategory,
        verbose_name="单位所标类别",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="工作室更正类别时保留单位原标的类别",
    )
    document_number = models.CharField("文号", max_length=50, blank=True)
    text = models.TextField("答复内容")
    signer = models.CharField("签发人", max_length=30)
    contact_person = models.CharField("联系人", max_length=30)
    contact_phone = models.CharField("联系电话", max_length=30)
    is_face_to_face = models.BooleanField("当面答复", default=False)
    face_to_face_confirmed_at = models.DateTimeField("代表确认当面答复", null=True, blank=True)
    is_follow_up = models.BooleanField("落实后再次答复", default=False)
    answered_on = models.DateField("答复日期")
    return_reason = models.TextField("退回理由", blank=True)
    created_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "答复"
        ordering = ["answered_on", "id"]
        constraints = [*range_checks("suggestions_answer", round=POSITION)]

    def __str__(self) -> str:
        return f"{self.unit}第{self.round}次答复"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASICALLY = "basically", "基本满意"
    NOT_SATISFIED = "not_satisfied", "不满意"


class Rating(models.Model):
    """The lead deputy's feedback on an answer round: attitude and result (SD 23)."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="ratings")
    round = models.PositiveSmallIntegerField("评价轮次", validators=POSITION.validators)
    attitude = models.CharField("办理态度", max_length=20, choices=Satisfaction.choices)
    result = models.CharField("办理结果", max_length=20, choices=Satisfaction.choices)
    comment = models.TextField("意见", blank=True)
    cosigners_consulted = models.BooleanField("已征求联名代表意见", default=False)
    rated_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    rated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "代表评价"
        ordering = ["rated_at", "id"]
        constraints = [
            *range_checks("suggestions_rating", round=POSITION),
            models.UniqueConstraint(fields=["suggestion", "round"], name="rating_once_per_round"),
        ]

    def __str__(self) -> str:
        return f"第{self.round}次评价：{self.get_result_display()}"

    @property
    def is_not_satisfied(self) -> bool:
        return Satisfaction.NOT_SATISFIED in (self.attitude, self.result)


class Extension(models.Model):
    """A unit's request to extend the deadline, decided by the assigning office (SD 19)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "待审批"
        APPROVED = "approved", "已同意"
        REFUSED = "refused", "不同意"

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="extensions")
    unit = models.ForeignKey(
        "core.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED)
    reason = models.TextField("理由")
    new_due = models.DateField("延期至")
    requested_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField("审批意见", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "延期申请"
        ordering = ["requested_at", "id"]

    def __str__(self) -> str:
        return f"延期至 {self.new_due}（{self.get_status_display()}）"


class Attachment(models.Model):
    """A file attached to a suggestion (or to an answer), stored outside the web root and served
    only through the permission check."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="attachments")
    answer = models.ForeignKey(
        Answer, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(upload_to="suggestions/%Y/%m/")
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小", validators=FILE_SIZE.validators)
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "附件"
        ordering = ["id"]
        constraints = [*range_checks("suggestions_attachment", size=FILE_SIZE)]

    def __str__(self) -> str:
        return self.name

"""Plans and their implementation (计划与落实): a plan of one kind for one year, its items (which
nest and roll progress up by weight), milestones, progress reports with evidence, change
requests, and the year-end evaluation.

Two state machines: Plan.Status and PlanItem.Status, each with its TRANSITIONS table beside it;
actions.py is the only writer."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from renda.core.numbers import (
    COUNT,
    DAYS,
    FILE_SIZE,
    ID,
    INVITEES,
    PERCENT,
    POSITION,
    VERSION,
    WEIGHT,
    YEAR,
    range_checks,
)


class PlanKind(models.TextChoices):
    WORK_POINTS = "work_points", "年度工作要点"
    SUPERVISION = "supervision", "监督工作计划"
    DEPUTY_WORK = "deputy_work", "代表工作计划"
    STUDY = "study", "学习考察计划"
    OFFICE = "office", "处室工作计划"


# Kinds the district party committee's standing meeting also approves (recorded as date + note),
# and kinds published on a public page (监督法 63, 代表法 43).
PARTY_APPROVED_KINDS = (PlanKind.WORK_POINTS, PlanKind.SUPERVISION, PlanKind.DEPUTY_WORK)
PUBLIC_KINDS = (PlanKind.SUPERVISION, PlanKind.DEPUTY_WORK)


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "起草中"
    SUBMITTED = "submitted", "待审定"
    APPROVED = "approved", "已审定"
    PUBLISHED = "published", "已印发"


PLAN_TRANSITIONS: dict[str, set[str]] = {
    PlanStatus.DRAFT: {PlanStatus.SUBMITTED},
    # Leaders may send a submitted plan back for revision.
    PlanStatus.SUBMITTED: {PlanStatus.DRAFT, PlanStatus.APPROVED},
    PlanStatus.APPROVED: {PlanStatus.PUBLISHED},
    PlanStatus.PUBLISHED: set(),
}


class PlanRules(models.Model):
    """Thresholds of the attention lists, editable by the administrator. One row (id 1)."""

    stale_days = models.PositiveSmallIntegerField(
        "无进展提醒天数",
        default=30,
        help_text="超过这么多天没有进展报告的事项列为“计划未落实”",
        validators=DAYS.validators,
    )
    busy_window_days = models.PositiveSmallIntegerField(
        "临近完成期限天数",
        default=30,
        help_text="距完成期限这么多天内、有进展但没有可衡量成果的事项列为“忙而无果”",
        validators=DAYS.validators,
    )

    class Meta:
        verbose_name = verbose_name_plural = "计划落实提醒设置"
        constraints = [
            *range_checks("plans_planrules", stale_days=DAYS, busy_window_days=DAYS),
            models.CheckConstraint(condition=Q(id=1), name="plan_rules_single_row"),
        ]

    def __str__(self) -> str:
        return "计划落实提醒设置"

    @classmethod
    def current(cls) -> PlanRules:
        """The saved rules, or the defaults (unsaved, pk 1): reading never writes."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class Plan(models.Model):
    kind = models.CharField("类别", max_length=20, choices=PlanKind.choices)
    year = models.PositiveSmallIntegerField("年度", validators=YEAR.validators)
    title = models.CharField("名称", max_length=200)
    office = models.ForeignKey(
        "core.Office", verbose_name="起草机构", on_delete=models.PROTECT, related_name="plans"
    )
    status = models.CharField(
        "状态", max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    note = models.TextField("说明", blank=True)
    approved_meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name="审定会议",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    party_committee_date = models.DateField("区委常委会审定日期", null=True, blank=True)
    party_committee_note = models.CharField("区委常委会审定说明", max_length=200, blank=True)
    approved_at = models.DateTimeField("审定时间", null=True, blank=True)
    published_at = models.DateTimeField("印发时间", null=True, blank=True)
    return_reason = models.TextField("退回理由", blank=True)
    created_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1, validators=VERSION.validators)

    class Meta:
        verbose_name = verbose_name_plural = "工作计划"
        ordering = ["-year", "kind", "id"]
        constraints = [
            *range_checks("plans_plan", year=YEAR, version=VERSION),
            models.CheckConstraint(
                condition=Q(status__in=PlanStatus.values), name="plan_status_valid"
            ),
            models.UniqueConstraint(
                fields=["kind", "year", "office"], name="plan_one_per_kind_year_office"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public_kind(self) -> bool:
        return self.kind in PUBLIC_KINDS

    @property
    def needs_party_committee(self) -> bool:
        return self.kind in PARTY_APPROVED_KINDS

    @property
    def is_binding(self) -> bool:
        """Approved plans bind: items are then changed only by approved change requests."""
        return self.status in (PlanStatus.APPROVED, PlanStatus.PUBLISHED)


class ItemStatus(models.TextChoices):
    PLANNED = "planned", "未开始"
    IN_PROGRESS = "in_progress", "推进中"
    COMPLETED = "completed", "已完成"
    CANCELLED = "cancelled", "已取消"


ITEM_TRANSITIONS: dict[str, set[str]] = {
    ItemStatus.PLANNED: {ItemStatus.IN_PROGRESS, ItemStatus.COMPLETED, ItemStatus.CANCELLED},
    ItemStatus.IN_PROGRESS: {ItemStatus.COMPLETED, ItemStatus.CANCELLED},
    ItemStatus.COMPLETED: set(),
    ItemStatus.CANCELLED: set(),
}
OPEN_ITEM_STATES = (ItemStatus.PLANNED, ItemStatus.IN_PROGRESS)


class PlanItemQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_ITEM_STATES)

    def binding(self):
        return self.filter(plan__status__in=(PlanStatus.APPROVED, PlanStatus.PUBLISHED))


class PlanItem(models.Model):
    """One thing a plan commits to: what result it must reach and how that is measured."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    parent = models.ForeignKey(
        "self",
        verbose_name="上级事项",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    position = models.PositiveSmallIntegerField("序号", default=1, validators=POSITION.validators)
    title = models.CharField("事项", max_length=200)
    owner_office = models.ForeignKey(
        "core.Office", verbose_name="责任机构", on_delete=models.PROTECT, related_name="+"
    )
    leader = models.ForeignKey(
        "core.User",
        verbose_name="分管领导",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    objective = models.TextField("工作目标", blank=True)
    expected_result = models.TextField("预期成果", blank=True)
    measure = models.TextField("成果衡量方式", blank=True)
    starts_on = models.DateField("开始日期", null=True, blank=True)
    ends_on = models.DateField("完成期限", null=True, blank=True)
    invited_deputies = models.PositiveSmallIntegerField(
        "拟邀请代表人数", default=0, validators=INVITEES.validators
    )
    weight = models.PositiveSmallIntegerField("权重", default=1, validators=WEIGHT.validators)
    # Own progress for a leaf; the weighted roll-up of the children for a parent.
    progress = models.PositiveSmallIntegerField(
        "进度（%）", default=0, validators=PERCENT.validators
    )
    status = models.CharField(
        "状态", max_length=20, choices=ItemStatus.choices, default=ItemStatus.PLANNED
    )
    result_statement = models.TextField("成果说明", blank=True)
    completed_on = models.DateField("完成日期", null=True, blank=True)
    last_report_on = models.DateField("最近进展日期", null=True, blank=True)
    report_count = models.PositiveIntegerField("进展报告数", default=0, validators=COUNT.validators)
    # Self-assessment and the leaders' grade at year end.
    self_assessment = models.TextField("自评", blank=True)
    self_assessed_at = models.DateTimeField(null=True, blank=True)
    grade = models.CharField(
        "评定等次",
        max_length=10,
        blank=True,
        choices=[("excellent", "优"), ("good", "良"), ("fair", "一般"), ("poor", "差")],
    )
    graded_by = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    graded_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, validators=VERSION.validators)

    objects = PlanItemQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "计划事项"
        ordering = ["plan_id", "position", "id"]
        constraints = [
            *range_checks(
                "plans_planitem",
                position=POSITION,
                invited_deputies=INVITEES,
                weight=WEIGHT,
                progress=PERCENT,
                report_count=COUNT,
                version=VERSION,
            ),
            models.CheckConstraint(
                condition=Q(status__in=ItemStatus.values), name="plan_item_status_valid"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="plan_item_progress_max"),
            models.CheckConstraint(condition=Q(weight__gte=1), name="plan_item_weight_positive"),
            models.CheckConstraint(
                condition=~Q(status="completed") | ~Q(result_statement=""),
                name="plan_item_completed_has_result",
            ),
        ]
        indexes = [
            models.Index(
                fields=["ends_on"],
                name="plan_item_open_due_idx",
                condition=Q(status__in=OPEN_ITEM_STATES),
            ),
            models.Index(fields=["owner_office", "status"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ITEM_STATES

    @property
    def has_measurable_result(self) -> bool:
        return bool(self.expected_result.strip() and self.measure.strip())


class ItemLink(models.Model):
    """What carries an item out: a meeting, a suggestion, later an inspection or an inquiry."""

    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="links")
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField(validators=ID.validators)
    label = models.CharField("名称", max_length=200)

    class Meta:
        verbose_name = verbose_name_plural = "落实载体"
        constraints = [
            *range_checks("plans_itemlink", object_id=ID),
            models.UniqueConstraint(
                fields=["item", "content_type", "object_id"], name="item_link_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.label


class Milestone(models.Model):
    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField("节点", max_length=200)
    due_on = models.DateField("节点期限")
    done_on = models.DateField("完成日期", null=True, blank=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "节点"
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["due_on"], name="milestone_open_idx", condition=Q(done_on=None))
        ]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today) -> bool:
        return self.done_on is None and self.due_on < today


class ProgressReport(models.Model):
    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="reports")
    text = models.TextField("进展情况")
    percent = models.PositiveSmallIntegerField("进度（%）", validators=PERCENT.validators)
    reported_on = models.DateField("报告日期")
    reported_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "进展报告"
        ordering = ["reported_on", "id"]
        constraints = [
            *range_checks("plans_progressreport", percent=PERCENT),
            models.CheckConstraint(condition=Q(percent__lte=100), name="progress_report_max"),
        ]

    def __str__(self) -> str:
        return f"{self.reported_on} {self.percent}%"


class Evidence(models.Model):
    """A file that proves progress, a result, or a self-assessment."""

    class Purpose(models.TextChoices):
        PROGRESS = "progress", "进展佐证"
        RESULT = "result", "成果佐证"
        ASSESSMENT = "assessment", "自评佐证"

    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="evidence")
    report = models.ForeignKey(
        ProgressReport, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    file = models.FileField(upload_to="plans/%Y/%m/")
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField(validators=FILE_SIZE.validators)
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "佐证材料"
        ordering = ["id"]
        constraints = [*range_checks("plans_evidence", size=FILE_SIZE)]

    def __str__(self) -> str:
        return self.name


class ChangeRequest(models.Model):
    """Postpone, adjust or cancel an item of a binding plan, with a reason; leaders decide."""

    class Kind(models.TextChoices):
        POSTPONE = "postpone", "延期"
        ADJUST = "adjust", "调整"
        CANCEL = "cancel", "取消"

    class Status(models.TextChoices):
        REQUESTED = "requested", "待审批"
        APPROVED = "approved", "已同意"
        REFUSED = "refused", "不同意"

    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED)
    reason = models.TextField("理由")
    new_ends_on = models.DateField("延期至", null=True, blank=True)
    new_expected_result = models.TextField("调整后的预期成果", blank=True)
    new_measure = models.TextField("调整后的衡量方式", blank=True)
    requested_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField("审批意见", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "变更申请"
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(status="requested"),
                name="change_request_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.get_status_display()}）"

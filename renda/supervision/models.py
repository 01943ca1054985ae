"""Supervision (监督): the law library, law-enforcement inspections, special inquiries, work reports,
review opinions, and the one rectification mechanism they all end in.

State machines (each with its TRANSITIONS table beside it; the actions package is the only
writer): Inspection, Inquiry, WorkReport, ReviewOpinion, Rectification, and a deputy's invitation
to an inspection or inquiry team."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

# ---------------------------------------------------------------------------------------------
# Law library
from renda.core.numbers import (
    COUNT,
    DAYS,
    FILE_SIZE,
    INVITEES,
    PEOPLE,
    PERCENT,
    POSITION,
    SERIAL,
    TIMES,
    VERSION,
    VOTES,
    YEAR,
    range_checks,
)


class Law(models.Model):
    """A law or regulation, independent of its versions (《中华人民共和国安全生产法》)."""

    title = models.CharField("名称", max_length=200, unique=True)
    short_title = models.CharField("简称", max_length=50, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "法律法规"
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


class LawVersion(models.Model):
    """One text of a law as adopted or amended. A newer text is a new version; an inspection keeps
    pointing at the version it checked."""

    law = models.ForeignKey(Law, on_delete=models.PROTECT, related_name="versions")
    label = models.CharField("版本", max_length=100, help_text="如“2021年修正”")
    effective_on = models.DateField("施行日期", null=True, blank=True)
    source_text = models.TextField("原文")
    source_name = models.CharField("来源文件", max_length=200, blank=True)
    article_count = models.PositiveIntegerField("条数", default=0, validators=COUNT.validators)
    imported_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "法律法规版本"
        ordering = ["law_id", "-effective_on", "-id"]
        constraints = [
            *range_checks("supervision_lawversion", article_count=COUNT),
            models.UniqueConstraint(fields=["law", "label"], name="law_version_unique_label"),
        ]

    def __str__(self) -> str:
        return f"{self.law.title}（{self.label}）"


class ProvisionKind(models.TextChoices):
    PART = "part", "编"
    CHAPTER = "chapter", "章"
    SECTION = "section", "节"
    ARTICLE = "article", "条"
    CLAUSE = "clause", "款"
    ITEM = "item", "项"


class LawProvision(models.Model):
    """One node of a law version's structure, numbered exactly as written (第二十一条, （一）).
    A clause (款) has no written number: its label is its ordinal within the article."""

    version = models.ForeignKey(LawVersion, on_delete=models.CASCADE, related_name="provisions")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    kind = models.CharField("层级", max_length=10, choices=ProvisionKind.choices)
    label = models.CharField("编号", max_length=30, help_text="原文编号，如“第二十一条”“（一）”")
    number = models.PositiveIntegerField(
        "序数", help_text="编号对应的数字，如 21", validators=SERIAL.validators
    )
    heading = models.CharField("标题", max_length=200, blank=True)
    text = models.TextField("内容", blank=True)
    position = models.PositiveIntegerField("文中顺序", validators=SERIAL.validators)
    line = models.PositiveIntegerField("原文行号", validators=SERIAL.validators)

    class Meta:
        verbose_name = verbose_name_plural = "法律条文"
        ordering = ["version_id", "position"]
        constraints = [
            *range_checks("supervision_lawprovision", number=SERIAL, position=SERIAL, line=SERIAL),
            models.UniqueConstraint(
                fields=["version", "position"], name="law_provision_unique_position"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ProvisionKind.values), name="law_provision_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["version", "kind", "number"])]

    def __str__(self) -> str:
        return self.citation

    @property
    def citation(self) -> str:
        """How a document cites it: 第二十一条第一款第（三）项 needs the ancestors; callers that
        show many provisions annotate `citation_text` instead (see queries)."""
        return getattr(self, "citation_text", "") or self.label


# ---------------------------------------------------------------------------------------------
# Rules (one row, editable by the administrator; statutory defaults)


class SupervisionRules(models.Model):
    draft_days_before = models.PositiveSmallIntegerField(
        "报告稿提交（会前天数）",
        default=20,
        help_text="监督法：会议举行二十日前送常委会办事机构",
        validators=DAYS.validators,
    )
    revised_days_before = models.PositiveSmallIntegerField(
        "修改后报告（会前天数）",
        default=10,
        help_text="会议举行十日前送交常委会",
        validators=DAYS.validators,
    )
    members_days_before = models.PositiveSmallIntegerField(
        "送常委会组成人员（会前天数）",
        default=7,
        help_text="会议举行七日前送常委会组成人员",
        validators=DAYS.validators,
    )
    opinion_issue_days = models.PositiveSmallIntegerField(
        "审议意见交办期限（日）",
        default=7,
        help_text="会议闭会后多少日内交办审议意见",
        validators=DAYS.validators,
    )
    opinion_handling_months = models.PositiveSmallIntegerField(
        "审议意见办理期限（月）",
        default=2,
        help_text="有关机关书面报告研究处理情况的期限",
        validators=DAYS.validators,
    )
    rectification_months = models.PositiveSmallIntegerField(
        "整改期限缺省值（月）",
        default=3,
        help_text="新建整改事项的缺省整改期限",
        validators=DAYS.validators,
    )
    remind_days_before = models.PositiveSmallIntegerField(
        "到期前提醒天数",
        default=7,
        help_text="整改事项和报告节点到期前多少天提醒",
        validators=DAYS.validators,
    )

    class Meta:
        verbose_name = verbose_name_plural = "监督工作期限设置"
        constraints = [
            *range_checks(
                "supervision_supervisionrules",
                draft_days_before=DAYS,
                revised_days_before=DAYS,
                members_days_before=DAYS,
                opinion_issue_days=DAYS,
                opinion_handling_months=DAYS,
                rectification_months=DAYS,
                remind_days_before=DAYS,
            ),
            models.CheckConstraint(condition=Q(id=1), name="supervision_rules_single_row"),
        ]

    def __str__(self) -> str:
        return "监督工作期限设置"

    @classmethod
    def current(cls) -> SupervisionRules:
        """The saved rules, or the defaults (unsaved, pk 1): reading never writes."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)


# ---------------------------------------------------------------------------------------------
# Law-enforcement inspection (执法检查, 监督法 31–37)


class InspectionMethod(models.TextChoices):
    SYMPOSIUM = "symposium", "座谈会"
    SITE_VISIT = "site_visit", "实地检查"
    QUESTIONNAIRE = "questionnaire", "问卷调查"
    SPOT_CHECK = "spot_check", "抽查"
    THIRD_PARTY = "third_party", "第三方评估"
    CASE_FILES = "case_files", "案卷评查"


class InspectionStatus(models.TextChoices):
    DRAFT = "draft", "方案起草中"
    SUBMITTED = "submitted", "方案待审定"
    APPROVED = "approved", "方案已审定"
    INSPECTING = "inspecting", "检查中"
    REPORTED = "reported", "报告已形成"
    REVIEWED = "reviewed", "审议意见已交办"
    CLOSED = "closed", "已办结"


INSPECTION_TRANSITIONS: dict[str, set[str]] = {
    InspectionStatus.DRAFT: {InspectionStatus.SUBMITTED},
    # The director meeting may send the plan back.
    InspectionStatus.SUBMITTED: {InspectionStatus.DRAFT, InspectionStatus.APPROVED},
    InspectionStatus.APPROVED: {InspectionStatus.INSPECTING},
    InspectionStatus.INSPECTING: {InspectionStatus.REPORTED},
    InspectionStatus.REPORTED: {InspectionStatus.REVIEWED, InspectionStatus.INSPECTING},
    InspectionStatus.REVIEWED: {InspectionStatus.CLOSED},
    InspectionStatus.CLOSED: set(),
}
OPEN_INSPECTION_STATES = tuple(s for s in InspectionStatus.values if s != InspectionStatus.CLOSED)


class Inspection(models.Model):
    title = models.CharField("名称", max_length=200)
    year = models.PositiveSmallIntegerField("年度", validators=YEAR.validators)
    office = models.ForeignKey(
        "core.Office", verbose_name="承办机构", on_delete=models.PROTECT, related_name="+"
    )
    plan_item = models.ForeignKey(
        "plans.PlanItem",
        verbose_name="计划事项",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    law_version = models.ForeignKey(
        LawVersion,
        verbose_name="检查的法律法规",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
    )
    leader = models.ForeignKey(
        "core.User",
        verbose_name="检查组组长",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The inspection plan (执法检查方案).
    content = models.TextField("检查内容", blank=True)
    objects_checked = models.TextField("检查对象", blank=True)
    scope = models.TextField("检查范围", blank=True)
    focus = models.TextField("检查重点", blank=True)
    methods = models.JSONField("检查方式", default=list, blank=True)
    organisation = models.TextField("组织形式", blank=True)
    deputies_to_invite = models.PositiveSmallIntegerField(
        "拟邀请代表人数", default=0, validators=INVITEES.validators
    )
    starts_on = models.DateField("开始日期", null=True, blank=True)
    ends_on = models.DateField("结束日期", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=InspectionStatus.choices, default=InspectionStatus.DRAFT
    )
    approved_meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name="审定会议",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField("审定时间", null=True, blank=True)
    return_reason = models.TextField("退回理由", blank=True)
    # The report (执法检查报告): problems come from Problem rows; these are the other sections.
    report_implementation = models.TextField("法律实施的基本情况", blank=True)
    report_suggestions = models.TextField("意见建议", blank=True)
    report_amendments = models.TextField("修改完善法律法规的建议", blank=True)
    reported_at = models.DateTimeField("报告形成时间", null=True, blank=True)
    review_meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name="审议会议",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    is_published = models.BooleanField("已公开", default=False)
    created_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1, validators=VERSION.validators)

    class Meta:
        verbose_name = verbose_name_plural = "执法检查"
        ordering = ["-year", "-id"]
        constraints = [
            *range_checks(
                "supervision_inspection", year=YEAR, deputies_to_invite=INVITEES, version=VERSION
            ),
            models.CheckConstraint(
                condition=Q(status__in=InspectionStatus.values), name="inspection_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(starts_on=None)
                | Q(ends_on=None)
                | Q(ends_on__gte=models.F("starts_on")),
                name="inspection_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def method_labels(self) -> list[str]:
        return [InspectionMethod(m).label for m in self.methods if m in InspectionMethod.values]


class InspectionStep(models.Model):
    """A step of the inspection plan (动员部署、自查、实地检查、形成报告…) with its dates."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="steps")
    title = models.CharField("步骤", max_length=200)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    done_on = models.DateField("完成日期", null=True, blank=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "检查步骤"
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="inspection_step_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.title


class InvitationStatus(models.TextChoices):
    INVITED = "invited", "待答复"
    ACCEPTED = "accepted", "已接受"
    DECLINED = "declined", "已谢绝"


INVITATION_TRANSITIONS: dict[str, set[str]] = {
    InvitationStatus.INVITED: {InvitationStatus.ACCEPTED, InvitationStatus.DECLINED},
    # A deputy may change their mind until the work is over.
    InvitationStatus.ACCEPTED: {InvitationStatus.DECLINED},
    InvitationStatus.DECLINED: {InvitationStatus.ACCEPTED},
}


class TeamRole(models.TextChoices):
    LEADER = "leader", "组长"
    DEPUTY_LEADER = "deputy_leader", "副组长"
    MEMBER = "member", "常委会组成人员"
    STAFF = "staff", "工作人员"
    DEPUTY = "deputy", "特邀代表"


class TeamMember(models.Model):
    """A member of an inspection team. Deputies are invited and reply; the others are appointed."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="team")
    role = models.CharField("职责", max_length=20, choices=TeamRole.choices)
    user = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    deputy = models.ForeignKey(
        "deputies.Deputy", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField("姓名", max_length=50)
    title = models.CharField("单位职务", max_length=200, blank=True)
    level_label = models.CharField("代表层级", max_length=50, blank=True)
    invitation = models.CharField(
        "邀请状态", max_length=20, choices=InvitationStatus.choices, blank=True
    )
    invited_at = models.DateTimeField(null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    reply_note = models.CharField("答复说明", max_length=200, blank=True)
    attended_visits = models.PositiveSmallIntegerField(
        "参加检查次数", default=0, validators=TIMES.validators
    )

    class Meta:
        verbose_name = verbose_name_plural = "检查组成员"
        ordering = ["inspection_id", "role", "id"]
        constraints = [
            *range_checks("supervision_teammember", attended_visits=TIMES),
            models.UniqueConstraint(
                fields=["inspection", "deputy"],
                condition=~Q(deputy=None),
                name="team_member_unique_deputy",
            ),
            models.UniqueConstraint(
                fields=["inspection", "user"],
                condition=~Q(user=None),
                name="team_member_unique_user",
            ),
            # A deputy member has an invitation state; an appointed member has none.
            models.CheckConstraint(
                condition=(Q(role="deputy") & ~Q(deputy=None) & ~Q(invitation=""))
                | (~Q(role="deputy") & Q(invitation="")),
                name="team_member_invitation_shape",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ChecklistClause(models.Model):
    """One chosen article or clause of the law with the duty or liability checked against it
    (逐条对照), the bodies concerned, and what was found."""

    class DutyKind(models.TextChoices):
        DUTY = "duty", "法定职责"
        LIABILITY = "liability", "法律责任"

    class Conclusion(models.TextChoices):
        UNCHECKED = "unchecked", "未检查"
        IMPLEMENTED = "implemented", "落实到位"
        PARTLY = "partly", "部分落实"
        NOT_IMPLEMENTED = "not_implemented", "未落实"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="checklist")
    provision = models.ForeignKey(LawProvision, on_delete=models.PROTECT, related_name="+")
    citation = models.CharField("条款", max_length=100)
    position = models.PositiveSmallIntegerField("序号", default=1, validators=POSITION.validators)
    duty_kind = models.CharField(
        "类型", max_length=20, choices=DutyKind.choices, default=DutyKind.DUTY
    )
    duty = models.TextField("检查的职责或责任")
    bodies = models.ManyToManyField(
        "core.Unit", verbose_name="责任主体", blank=True, related_name="+"
    )
    conclusion = models.CharField(
        "检查结论", max_length=20, choices=Conclusion.choices, default=Conclusion.UNCHECKED
    )
    finding = models.TextField("检查发现", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "检查条款"
        ordering = ["inspection_id", "position", "id"]
        constraints = [
            *range_checks("supervision_checklistclause", position=POSITION),
            models.UniqueConstraint(
                fields=["inspection", "provision"], name="checklist_clause_unique_provision"
            ),
        ]

    def __str__(self) -> str:
        return self.citation


class Visit(models.Model):
    """A site visit, symposium, spot check or case-file review, with who took part."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="visits")
    method = models.CharField("方式", max_length=20, choices=InspectionMethod.choices)
    held_on = models.DateField("日期")
    place = models.CharField("地点", max_length=200)
    bodies = models.ManyToManyField(
        "core.Unit", verbose_name="被检查单位", blank=True, related_name="+"
    )
    participants = models.ManyToManyField(
        TeamMember, verbose_name="参加人员", related_name="visits"
    )
    other_participants = models.CharField("其他参加人员", max_length=500, blank=True)
    notes = models.TextField("记录")
    recorded_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "检查活动"
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.get_method_display()} {self.place}"


class Questionnaire(models.Model):
    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="questionnaires"
    )
    title = models.CharField("问卷", max_length=200)
    audience = models.CharField("调查对象", max_length=200, blank=True)
    distributed = models.PositiveIntegerField("发放份数", default=0, validators=PEOPLE.validators)
    returned = models.PositiveIntegerField("回收份数", default=0, validators=PEOPLE.validators)
    results = models.TextField("结果摘要")
    held_from = models.DateField("开始日期", null=True, blank=True)
    held_to = models.DateField("结束日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "问卷调查"
        ordering = ["id"]
        constraints = [
            *range_checks("supervision_questionnaire", distributed=PEOPLE, returned=PEOPLE),
            models.CheckConstraint(
                condition=Q(returned__lte=models.F("distributed")),
                name="questionnaire_returned_within_distributed",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Problem(models.Model):
    """A problem the inspection found: tied to the clause it breaks and the body responsible."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="problems")
    clause = models.ForeignKey(
        ChecklistClause, on_delete=models.PROTECT, null=True, blank=True, related_name="problems"
    )
    unit = models.ForeignKey("core.Unit", verbose_name="责任主体", on_delete=models.PROTECT)
    position = models.PositiveSmallIntegerField("序号", default=1, validators=POSITION.validators)
    description = models.TextField("问题")
    suggestion = models.TextField("整改建议", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "发现的问题"
        ordering = ["inspection_id", "position", "id"]
        constraints = [*range_checks("supervision_problem", position=POSITION)]

    def __str__(self) -> str:
        return self.description[:40]


# ---------------------------------------------------------------------------------------------
# Special inquiry (专题询问, 监督法 46–50)


class InquiryStatus(models.TextChoices):
    PREPARING = "preparing", "筹备中"
    HELD = "held", "已询问"
    RECTIFYING = "rectifying", "整改中"
    CLOSED = "closed", "已办结"


INQUIRY_TRANSITIONS: dict[str, set[str]] = {
    InquiryStatus.PREPARING: {InquiryStatus.HELD},
    InquiryStatus.HELD: {InquiryStatus.RECTIFYING},
    InquiryStatus.RECTIFYING: {InquiryStatus.CLOSED},
    InquiryStatus.CLOSED: set(),
}


class Inquiry(models.Model):
    topic = models.CharField("询问主题", max_length=200)
    year = models.PositiveSmallIntegerField("年度", validators=YEAR.validators)
    office = models.ForeignKey(
        "core.Office", verbose_name="承办机构", on_delete=models.PROTECT, related_name="+"
    )
    plan_item = models.ForeignKey(
        "plans.PlanItem",
        verbose_name="计划事项",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name="询问会议",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    background = models.TextField("询问背景和目的", blank=True)
    research = models.TextField("前期调研", blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=InquiryStatus.choices, default=InquiryStatus.PREPARING
    )
    held_on = models.DateField("询问日期", null=True, blank=True)
    summary = models.TextField("询问情况", blank=True)
    is_published = models.BooleanField("已公开", default=False)
    created_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1, validators=VERSION.validators)

    class Meta:
        verbose_name = verbose_name_plural = "专题询问"
        ordering = ["-year", "-id"]
        constraints = [
            *range_checks("supervision_inquiry", year=YEAR, version=VERSION),
            models.CheckConstraint(
                condition=Q(status__in=InquiryStatus.values), name="inquiry_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.topic


class InquiryAttendee(models.Model):
    """A body that must attend, and the official who answers for it (应询人)."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="attendees")
    unit = models.ForeignKey("core.Unit", verbose_name="应询单位", on_delete=models.PROTECT)
    official = models.CharField("应询人", max_length=50)
    official_title = models.CharField("职务", max_length=100)
    attended = models.BooleanField("到会", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "应询单位"
        ordering = ["inquiry_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["inquiry", "unit", "official"], name="inquiry_attendee_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.official}"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class InquiryQuestion(models.Model):
    class AskerKind(models.TextChoices):
        MEMBER = "member", "常委会组成人员"
        DEPUTY = "deputy", "人大代表"

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField("序号", default=1, validators=POSITION.validators)
    asker_kind = models.CharField("提问人类别", max_length=20, choices=AskerKind.choices)
    asker_name = models.CharField("提问人", max_length=50)
    asker_deputy = models.ForeignKey(
        "deputies.Deputy", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    attendee = models.ForeignKey(
        InquiryAttendee, verbose_name="应询人", on_delete=models.PROTECT, related_name="questions"
    )
    question = models.TextField("问题")
    answer = models.TextField("回答", blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    # The per-question satisfaction vote (满意度测评) of the members present.
    votes_satisfied = models.PositiveSmallIntegerField(
        "满意票", null=True, blank=True, validators=VOTES.validators
    )
    votes_basic = models.PositiveSmallIntegerField(
        "基本满意票", null=True, blank=True, validators=VOTES.validators
    )
    votes_unsatisfied = models.PositiveSmallIntegerField(
        "不满意票", null=True, blank=True, validators=VOTES.validators
    )
    voted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "询问问题"
        ordering = ["inquiry_id", "position", "id"]
        constraints = [
            *range_checks(
                "supervision_inquiryquestion",
                position=POSITION,
                votes_satisfied=VOTES,
                votes_basic=VOTES,
                votes_unsatisfied=VOTES,
            )
        ]

    def __str__(self) -> str:
        return self.question[:40]


# ---------------------------------------------------------------------------------------------
# Work reports (专项工作报告, 监督法 13–17)


class WorkReportStatus(models.TextChoices):
    SCHEDULED = "scheduled", "已列入议程"
    DRAFT_RECEIVED = "draft_received", "已收到报告稿"
    REVISED_RECEIVED = "revised_received", "已收到修改稿"
    SENT_TO_MEMBERS = "sent_to_members", "已送组成人员"
    REVIEWED = "reviewed", "已审议"


WORK_REPORT_TRANSITIONS: dict[str, set[str]] = {
    WorkReportStatus.SCHEDULED: {WorkReportStatus.DRAFT_RECEIVED},
    WorkReportStatus.DRAFT_RECEIVED: {WorkReportStatus.REVISED_RECEIVED},
    WorkReportStatus.REVISED_RECEIVED: {WorkReportStatus.SENT_TO_MEMBERS},
    WorkReportStatus.SENT_TO_MEMBERS: {WorkReportStatus.REVIEWED},
    WorkReportStatus.REVIEWED: set(),
}


class WorkReport(models.Model):
    """A report a body makes to the standing committee, and its statutory timeline."""

    title = models.CharField("报告名称", max_length=200)
    year = models.PositiveSmallIntegerField("年度", validators=YEAR.validators)
    unit = models.ForeignKey(
        "core.Unit", verbose_name="报告机关", on_delete=models.PROTECT, related_name="+"
    )
    office = models.ForeignKey(
        "core.Office", verbose_name="联系机构", on_delete=models.PROTECT, related_name="+"
    )
    plan_item = models.ForeignKey(
        "plans.PlanItem",
        verbose_name="计划事项",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    meeting = models.ForeignKey(
        "meetings.Meeting", verbose_name="审议会议", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        "状态",
        max_length=20,
        choices=WorkReportStatus.choices,
        default=WorkReportStatus.SCHEDULED,
    )
    # The statutory dates, computed from the meeting date and the rules when scheduled.
    draft_due_on = models.DateField("报告稿应送日期")
    revised_due_on = models.DateField("修改稿应送日期")
    members_due_on = models.DateField("送组成人员日期")
    draft_received_on = models.DateField("报告稿收到日期", null=True, blank=True)
    revised_received_on = models.DateField("修改稿收到日期", null=True, blank=True)
    sent_to_members_on = models.DateField("送组成人员日期（实际）", null=True, blank=True)
    reviewed_on = models.DateField("审议日期", null=True, blank=True)
    # The next date that is still open (indexed: the tick and the lists read it).
    due_at = models.DateField("下一节点期限", null=True, blank=True)
    created_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1, validators=VERSION.validators)

    class Meta:
        verbose_name = verbose_name_plural = "专项工作报告"
        ordering = ["-year", "-id"]
        constraints = [
            *range_checks("supervision_workreport", year=YEAR, version=VERSION),
            models.CheckConstraint(
                condition=Q(status__in=WorkReportStatus.values), name="work_report_status_valid"
            ),
        ]
        indexes = [
            models.Index(
                fields=["due_at"], name="work_report_open_due_idx", condition=~Q(status="reviewed")
            )
        ]

    def __str__(self) -> str:
        return self.title


# ---------------------------------------------------------------------------------------------
# Review opinions (审议意见)


class OpinionStatus(models.TextChoices):
    DRAFT = "draft", "起草中"
    ISSUED = "issued", "已交办"
    REPORTED = "reported", "已报告办理情况"
    FOLLOW_UP = "follow_up", "跟踪督办"
    CLOSED = "closed", "已办结"


OPINION_TRANSITIONS: dict[str, set[str]] = {
    OpinionStatus.DRAFT: {OpinionStatus.ISSUED},
    OpinionStatus.ISSUED: {OpinionStatus.REPORTED},
    # After the satisfaction vote: closed, or followed up (a further handling report).
    OpinionStatus.REPORTED: {OpinionStatus.CLOSED, OpinionStatus.FOLLOW_UP},
    OpinionStatus.FOLLOW_UP: {OpinionStatus.REPORTED},
    OpinionStatus.CLOSED: set(),
}
OPEN_OPINION_STATES = (OpinionStatus.ISSUED, OpinionStatus.FOLLOW_UP)


class ReviewOpinion(models.Model):
    """The committee's opinions on a report it reviewed, sent to one body for handling. One row per
    body: each body reports on its own points and is voted on by itself."""

    title = models.CharField("标题", max_length=200)
    unit = models.ForeignKey(
        "core.Unit", verbose_name="交办机关", on_delete=models.PROTECT, related_name="+"
    )
    office = models.ForeignKey(
        "core.Office", verbose_name="督办机构", on_delete=models.PROTECT, related_name="+"
    )
    # Exactly one source: what the committee reviewed.
    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, null=True, blank=True, related_name="opinions"
    )
    work_report = models.ForeignKey(
        WorkReport, on_delete=models.PROTECT, null=True, blank=True, related_name="opinions"
    )
    meeting = models.ForeignKey(
        "meetings.Meeting", verbose_name="审议会议", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        "状态", max_length=20, choices=OpinionStatus.choices, default=OpinionStatus.DRAFT
    )
    preamble = models.TextField("总体意见", blank=True)
    issued_on = models.DateField("交办日期", null=True, blank=True)
    due_on = models.DateField("报告办理情况期限", null=True, blank=True)
    due_basis = models.CharField("期限依据", max_length=200, blank=True)
    handling_report = models.TextField("研究处理情况报告", blank=True)
    reported_on = models.DateField("报告日期", null=True, blank=True)
    votes_satisfied = models.PositiveSmallIntegerField(
        "满意票", null=True, blank=True, validators=VOTES.validators
    )
    votes_basic = models.PositiveSmallIntegerField(
        "基本满意票", null=True, blank=True, validators=VOTES.validators
    )
    votes_unsatisfied = models.PositiveSmallIntegerField(
        "不满意票", null=True, blank=True, validators=VOTES.validators
    )
    vote_meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name="测评会议",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    round = models.PositiveSmallIntegerField("办理轮次", default=1, validators=POSITION.validators)
    created_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1, validators=VERSION.validators)

    class Meta:
        verbose_name = verbose_name_plural = "审议意见"
        ordering = ["-id"]
        constraints = [
            *range_checks(
                "supervision_reviewopinion",
                votes_satisfied=VOTES,
                votes_basic=VOTES,
                votes_unsatisfied=VOTES,
                round=POSITION,
                version=VERSION,
            ),
            models.CheckConstraint(
                condition=Q(status__in=OpinionStatus.values), name="review_opinion_status_valid"
            ),
            models.CheckConstraint(
                condition=(Q(inspection=None) & ~Q(work_report=None))
                | (~Q(inspection=None) & Q(work_report=None)),
                name="review_opinion_one_source",
            ),
        ]
        indexes = [
            models.Index(
                fields=["due_on"],
                name="review_opinion_open_due_idx",
                condition=Q(status__in=("issued", "follow_up")),
            ),
            models.Index(fields=["unit", "status"]),
        ]

    def __str__(self) -> str:
        return self.title


class OpinionPoint(models.Model):
    """One point of a review opinion; issuing the opinion makes each point a rectification item."""

    opinion = models.ForeignKey(ReviewOpinion, on_delete=models.CASCADE, related_name="points")
    problem = models.ForeignKey(
        Problem, on_delete=models.PROTECT, null=True, blank=True, related_name="points"
    )
    position = models.PositiveSmallIntegerField("序号", default=1, validators=POSITION.validators)
    text = models.TextField("意见")

    class Meta:
        verbose_name = verbose_name_plural = "审议意见条目"
        ordering = ["opinion_id", "position", "id"]
        constraints = [*range_checks("supervision_opinionpoint", position=POSITION)]

    def __str__(self) -> str:
        return self.text[:40]


# ---------------------------------------------------------------------------------------------
# Rectification (整改): one mechanism for problems, opinion points and inquiry commitments


class RectificationStatus(models.TextChoices):
    ASSIGNED = "assigned", "待整改"
    IN_PROGRESS = "in_progress", "整改中"
    SUBMITTED = "submitted", "申请销号"
    VERIFIED = "verified", "已销号"


RECTIFICATION_TRANSITIONS: dict[str, set[str]] = {
    RectificationStatus.ASSIGNED: {RectificationStatus.IN_PROGRESS, RectificationStatus.SUBMITTED},
    RectificationStatus.IN_PROGRESS: {RectificationStatus.SUBMITTED},
    # The office verifies (销号) or rejects back to the body.
    RectificationStatus.SUBMITTED: {RectificationStatus.VERIFIED, RectificationStatus.IN_PROGRESS},
    RectificationStatus.VERIFIED: set(),
}
OPEN_RECTIFICATION_STATES = (
    RectificationStatus.ASSIGNED,
    RectificationStatus.IN_PROGRESS,
    RectificationStatus.SUBMITTED,
)


class RectificationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_RECTIFICATION_STATES)

    def overdue(self, today):
        """Still with the body past the deadline (a submitted item waits on the office)."""
        return self.filter(
            status__in=(RectificationStatus.ASSIGNED, RectificationStatus.IN_PROGRESS),
            due_on__lt=today,
        )


class Rectification(models.Model):
    class Source(models.TextChoices):
        PROBLEM = "problem", "执法检查发现的问题"
        OPINION = "opinion", "审议意见"
        INQUIRY = "inquiry", "专题询问承诺"

    source = models.CharField("来源", max_length=20, choices=Source.choices)
    # The one record it came from, by source; plus what it traces back to, for the lists.
    point = models.OneToOneField(
        OpinionPoint, on_delete=models.PROTECT, null=True, blank=True, related_name="rectification"
    )
    problem = models.ForeignKey(
        Problem, on_delete=models.PROTECT, null=True, blank=True, related_name="rectifications"
    )
    question = models.ForeignKey(
        InquiryQuestion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectifications",
    )
    opinion = models.ForeignKey(
        ReviewOpinion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectifications",
    )
    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, null=True, blank=True, related_name="rectifications"
    )
    inquiry = models.ForeignKey(
        Inquiry, on_delete=models.PROTECT, null=True, blank=True, related_name="rectifications"
    )
    unit = models.ForeignKey(
        "core.Unit", verbose_name="整改责任单位", on_delete=models.PROTECT, related_name="+"
    )
    office = models.ForeignKey(
        "core.Office", verbose_name="督办机构", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("整改事项", max_length=200)
    description = models.TextField("问题或要求")
    due_on = models.DateField("整改期限")
    due_basis = models.CharField("期限依据", max_length=200, blank=True)
    measures = models.TextField("整改措施", blank=True)
    progress = models.PositiveSmallIntegerField(
        "进度（%）", default=0, validators=PERCENT.validators
    )
    result = models.TextField("整改结果", blank=True)
    status = models.CharField(
        "状态",
        max_length=20,
        choices=RectificationStatus.choices,
        default=RectificationStatus.ASSIGNED,
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rejection_count = models.PositiveSmallIntegerField(
        "退回次数", default=0, validators=TIMES.validators
    )
    last_rejection = models.TextField("最近退回理由", blank=True)
    created_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1, validators=VERSION.validators)

    objects = RectificationQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "整改事项"
        ordering = ["due_on", "id"]
        constraints = [
            *range_checks(
                "supervision_rectification",
                progress=PERCENT,
                rejection_count=TIMES,
                version=VERSION,
            ),
            models.CheckConstraint(
                condition=Q(status__in=RectificationStatus.values),
                name="rectification_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="rectification_progress_max"
            ),
            models.CheckConstraint(
                condition=~Q(status="verified") | ~Q(result=""),
                name="rectification_verified_has_result",
            ),
            models.CheckConstraint(
                condition=(Q(source="opinion") & ~Q(point=None))
                | (Q(source="inquiry") & ~Q(question=None))
                | (Q(source="problem") & ~Q(problem=None)),
                name="rectification_source_shape",
            ),
        ]
        indexes = [
            models.Index(
                fields=["due_on"],
                name="rectification_open_due_idx",
                condition=Q(status__in=("assigned", "in_progress")),
            ),
            models.Index(fields=["unit", "status"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_RECTIFICATION_STATES


class RectificationReport(models.Model):
    """What the body did, how far it is (进展), or its request to close (申请销号)."""

    rectification = models.ForeignKey(
        Rectification, on_delete=models.CASCADE, related_name="reports"
    )
    text = models.TextField("整改进展")
    percent = models.PositiveSmallIntegerField("进度（%）", validators=PERCENT.validators)
    reported_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "整改进展"
        ordering = ["reported_at", "id"]
        constraints = [
            *range_checks("supervision_rectificationreport", percent=PERCENT),
            models.CheckConstraint(condition=Q(percent__lte=100), name="rectification_report_max"),
        ]

    def __str__(self) -> str:
        return f"{self.percent}%"


class RectificationEvidence(models.Model):
    """Proof of completion (整改佐证), checked by content and served only through permissions."""

    rectification = models.ForeignKey(
        Rectification, on_delete=models.CASCADE, related_name="evidence"
    )
    report = models.ForeignKey(
        RectificationReport,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evidence",
    )
    file = models.FileField(upload_to="supervision/%Y/%m/")
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField(validators=FILE_SIZE.validators)
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "整改佐证"
        ordering = ["id"]
        constraints = [*range_checks("supervision_rectificationevidence", size=FILE_SIZE)]

    def __str__(self) -> str:
        return self.name

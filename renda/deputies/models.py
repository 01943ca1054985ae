"""Deputies (people) and their mandates (a seat at one level for one term), and deputy groups."""

from __future__ import annotations

from django.db import models
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Replace

from renda.core.models import Street
from renda.core.numbers import (
    CAPACITY,
    HALF_DAYS,
    QUARTER,
    SORT_ORDER,
    TERM,
    TIMES,
    VERSION,
    YEAR,
    range_checks,
)
from renda.deputies.names import pinyin_key, stroke_key


class Level(models.TextChoices):
    NATIONAL = "national", "全国人大代表"
    PROVINCIAL = "provincial", "省人大代表"
    MUNICIPAL = "municipal", "市人大代表"
    DISTRICT = "district", "区人大代表"


class Gender(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


class OccupationCategory(models.TextChoices):
    """Composition categories used in deputies' statistics (代表构成)."""

    OFFICIAL = "official", "党政领导干部"
    BUSINESS = "business", "企业负责人"
    PROFESSIONAL = "professional", "专业技术人员"
    WORKER = "worker", "工人"
    FARMER = "farmer", "农民"
    MILITARY = "military", "军人"
    COMMUNITY = "community", "社区工作者"
    OTHER = "other", "其他"


class Party(models.TextChoices):
    CPC = "cpc", "中共党员"
    RCCK = "rcck", "民革党员"
    CDL = "cdl", "民盟盟员"
    CDNCA = "cdnca", "民建会员"
    CAPD = "capd", "民进会员"
    PWDP = "pwdp", "农工党党员"
    ZGD = "zgd", "致公党党员"
    JS = "js", "九三学社社员"
    NONE = "none", "群众"
    INDEPENDENT = "independent", "无党派人士"


class Group(models.Model):
    """A deputy group (代表小组): district deputies of one street or electoral area."""

    name = models.CharField("名称", max_length=50)
    street = models.ForeignKey(
        Street,
        verbose_name="街道",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="groups",
    )
    term_number = models.PositiveSmallIntegerField("届次", validators=TERM.validators)
    sort_order = models.PositiveSmallIntegerField(
        "排序", default=100, validators=SORT_ORDER.validators
    )

    class Meta:
        verbose_name = verbose_name_plural = "代表小组"
        ordering = ["sort_order", "id"]
        constraints = [
            *range_checks("deputies_group", term_number=TERM, sort_order=SORT_ORDER),
            models.UniqueConstraint(
                fields=["term_number", "name"], name="group_unique_name_per_term"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class DeputyQuerySet(models.QuerySet):
    def with_active_mandate(self, **mandate_filters):
        """Deputies holding a current mandate matching the filters (one row per deputy)."""
        mandates = Mandate.objects.filter(deputy=OuterRef("pk"), ended_on=None, **mandate_filters)
        return self.filter(Exists(mandates))

    def in_stroke_order(self):
        return self.order_by("name_stroke_key", "id")

    def in_pinyin_order(self):
        return self.order_by("name_pinyin", "id")

    def search(self, text: str):
        text = text.strip()
        if not text:
            return self
        compact = text.lower().replace(" ", "")
        return self.alias(pinyin_compact=Replace("name_pinyin", Value(" "), Value(""))).filter(
            Q(full_name__contains=text) | Q(pinyin_compact__startswith=compact)
        )


class Deputy(models.Model):
    """A person who holds (or held) one or more mandates."""

    full_name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices)
    ethnicity = models.CharField("民族", max_length=20, default="汉族")
    birth_date = models.DateField("出生日期")
    party = models.CharField("政治面貌", max_length=20, choices=Party.choices)
    occupation_category = models.CharField(
        "构成类别", max_length=20, choices=OccupationCategory.choices
    )
    work_position = models.CharField("工作单位及职务", max_length=200, blank=True)
    id_number = models.CharField("身份证号", max_length=18, blank=True)
    phone = models.CharField("手机号", max_length=20, blank=True)
    user = models.OneToOneField(
        "core.User",
        verbose_name="登录账号",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deputy",
    )
    # Two people editing the same record: the second save is refused, never silently lost.
    version = models.PositiveIntegerField(default=1, editable=False, validators=VERSION.validators)
    # Sort keys kept in columns so that lists sort in SQL (姓氏笔画 is the official default).
    name_stroke_key = models.CharField(max_length=200, editable=False, db_index=True)
    name_pinyin = models.CharField(max_length=200, editable=False, db_index=True)

    objects = DeputyQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "代表"
        ordering = ["name_stroke_key", "id"]
        constraints = [
            *range_checks("deputies_deputy", version=VERSION),
            models.UniqueConstraint(
                fields=["id_number"], condition=~Q(id_number=""), name="deputy_unique_id_number"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.name_stroke_key = stroke_key(self.full_name)
        self.name_pinyin = pinyin_key(self.full_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "full_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_stroke_key", "name_pinyin"}
        super().save(*args, **kwargs)


LEVEL_RANK = {level: rank for rank, level in enumerate(Level.values)}


class MandateQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_on=None)

    def by_level(self):
        """National first, district last, as official lists put them."""
        rank = Case(
            *[When(level=level, then=Value(r)) for level, r in LEVEL_RANK.items()],
            output_field=IntegerField(),
        )
        return self.alias(level_rank=rank).order_by("level_rank", "-term_number")


class Mandate(models.Model):
    """A deputy's seat at one level for one term."""

    class EndReason(models.TextChoices):
        RESIGNED = "resigned", "辞职"
        RECALLED = "recalled", "罢免"
        MOVED = "moved", "迁出或调离本行政区域"
        DIED = "died", "死亡"
        ABSENT = "absent", "未经批准两次不出席本级人民代表大会会议"
        TERM_ENDED = "term_ended", "届满"
        OTHER = "other", "其他"

    deputy = models.ForeignKey(Deputy, on_delete=models.CASCADE, related_name="mandates")
    level = models.CharField("层级", max_length=20, choices=Level.choices)
    term_number = models.PositiveSmallIntegerField("届次", validators=TERM.validators)
    electoral_unit = models.CharField("选举单位/选区", max_length=100, blank=True)
    street = models.ForeignKey(
        Street,
        verbose_name="所在街道",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mandates",
    )
    group = models.ForeignKey(
        Group,
        verbose_name="代表小组",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mandates",
    )
    started_on = models.DateField("当选日期")
    ended_on = models.DateField("终止日期", null=True, blank=True)
    end_reason = models.CharField("终止原因", max_length=20, choices=EndReason.choices, blank=True)
    end_note = models.CharField("终止说明", max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False, validators=VERSION.validators)

    objects = MandateQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "代表资格"
        ordering = ["deputy", "level", "-term_number"]
        constraints = [
            *range_checks("deputies_mandate", term_number=TERM, version=VERSION),
            models.UniqueConstraint(
                fields=["deputy", "level", "term_number"], name="mandate_unique_seat"
            ),
            models.CheckConstraint(
                condition=Q(ended_on=None, end_reason="")
                | (Q(ended_on__isnull=False) & ~Q(end_reason="")),
                name="mandate_end_has_reason",
            ),
        ]
        indexes = [
            # Roster filters are EXISTS subqueries per deputy: lead with the deputy.
            models.Index(
                fields=["deputy", "street", "level"],
                condition=Q(ended_on=None),
                name="mandate_active_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.deputy} · 第{self.term_number}届{self.get_level_display()}"

    @property
    def is_active(self) -> bool:
        return self.ended_on is None


# ---------------------------------------------------------------------------------------------
# Activities (履职活动) and the invitations that bring deputies to them


class ActivityKind(models.TextChoices):
    VISIT = "visit", "视察"
    RESEARCH = "research", "调研"
    INSPECTION = "inspection", "执法检查"
    INQUIRY = "inquiry", "专题询问"
    RECEPTION = "reception", "接待选民"
    TRAINING = "training", "培训"
    GROUP = "group", "代表小组活动"
    STANDING_COMMITTEE = "standing_committee", "列席常委会"
    SESSION = "session", "人代会"
    OTHER = "other", "其他"


# Kinds a deputy must attend when invited (代表法: 人代会; 列席 is arranged by the committee):
# they may ask for leave but not simply decline, and not coming without leave is an absence.
OBLIGATORY_KINDS = (ActivityKind.SESSION, ActivityKind.STANDING_COMMITTEE)


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", "计划中"
    OPEN = "open", "报名中"
    HELD = "held", "已举行"
    CLOSED = "closed", "已归档"
    CANCELLED = "cancelled", "已取消"


class Activity(models.Model):
    """A deputies' activity organised by an office or a street, with a per-activity check-in
    code valid on the activity's day."""

    # status -> the statuses it may move to (the actions check every move against this table)
    TRANSITIONS = {
        ActivityStatus.PLANNED: {
            ActivityStatus.OPEN,
            ActivityStatus.HELD,
            ActivityStatus.CANCELLED,
        },
        ActivityStatus.OPEN: {ActivityStatus.HELD, ActivityStatus.CANCELLED},
        ActivityStatus.HELD: {ActivityStatus.CLOSED},
        ActivityStatus.CLOSED: set(),
        ActivityStatus.CANCELLED: set(),
    }

    kind = models.CharField("活动类型", max_length=30, choices=ActivityKind.choices)
    title = models.CharField("活动名称", max_length=100)
    organiser_office = models.ForeignKey(
        "core.Office",
        verbose_name="组织处室",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    organiser_street = models.ForeignKey(
        Street,
        verbose_name="组织街道",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    date = models.DateField("日期")
    starts_at = models.TimeField("开始时间")
    ends_at = models.TimeField("结束时间", null=True, blank=True)
    place = models.CharField("地点", max_length=100)
    capacity = models.PositiveIntegerField(
        "人数上限", null=True, blank=True, validators=CAPACITY.validators
    )
    note = models.TextField("说明", blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    checkin_code = models.CharField("签到码", max_length=6)
    # Opened for sign-up: then only those who signed up are expected to come (see mark_held).
    signup_opened = models.BooleanField("开放报名", default=False, editable=False)
    cancel_reason = models.CharField("取消原因", max_length=200, blank=True)
    # Length in half-days: the unit of the leave penalty (−1 per half-day of a session missed).
    half_days = models.PositiveSmallIntegerField(
        "时长（半天）", default=1, validators=HALF_DAYS.validators
    )
    # What the activity carries out, when it is part of other work (one of these at most).
    station = models.ForeignKey(
        "deputies.Station",
        verbose_name="联络站",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="receptions",
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name="会议",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deputy_activities",
    )
    inspection = models.ForeignKey(
        "supervision.Inspection",
        verbose_name="执法检查",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deputy_activities",
    )
    inquiry = models.ForeignKey(
        "supervision.Inquiry",
        verbose_name="专题询问",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deputy_activities",
    )
    plan_item = models.ForeignKey(
        "plans.PlanItem",
        verbose_name="计划事项",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deputy_activities",
    )
    version = models.PositiveIntegerField(default=1, editable=False, validators=VERSION.validators)

    class Meta:
        verbose_name = verbose_name_plural = "履职活动"
        ordering = ["-date", "-starts_at", "-id"]
        constraints = [
            *range_checks(
                "deputies_activity", capacity=CAPACITY, half_days=HALF_DAYS, version=VERSION
            ),
            models.CheckConstraint(
                condition=Q(organiser_office__isnull=False, organiser_street__isnull=True)
                | Q(organiser_office__isnull=True, organiser_street__isnull=False),
                name="activity_one_organiser",
            ),
            models.CheckConstraint(
                condition=Q(ends_at=None) | Q(ends_at__gt=models.F("starts_at")),
                name="activity_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(half_days__gte=1), name="activity_half_days_positive"
            ),
        ]
        indexes = [models.Index(fields=["date", "status"], name="activity_date_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def organiser_name(self) -> str:
        organiser = self.organiser_office or self.organiser_street
        return organiser.name if organiser else ""


class Invitation(models.Model):
    """One deputy invited to one activity: their answer, their leave, their attendance."""

    class Via(models.TextChoices):
        DIRECT = "direct", "直接邀请"
        GROUP = "group", "按代表小组"
        LEVEL = "level", "按代表层级"

    class Response(models.TextChoices):
        INVITED = "invited", "待回复"
        SIGNED_UP = "signed_up", "已报名"
        DECLINED = "declined", "不参加"

    class Leave(models.TextChoices):
        NONE = "", "未请假"
        REQUESTED = "requested", "请假待批"
        GRANTED = "granted", "准假"
        REFUSED = "refused", "不准假"

    class Attendance(models.TextChoices):
        UNKNOWN = "", "未签到"
        ATTENDED = "attended", "出席"
        ABSENT = "absent", "缺席"

    class CheckIn(models.TextChoices):
        NONE = "", ""
        CODE = "code", "签到码签到"
        STAFF = "staff", "工作人员补录"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="invitations")
    deputy = models.ForeignKey(Deputy, on_delete=models.PROTECT, related_name="invitations")
    via = models.CharField("邀请方式", max_length=10, choices=Via.choices, default=Via.DIRECT)
    via_label = models.CharField("邀请来源", max_length=60, blank=True)
    response = models.CharField(
        "回复", max_length=20, choices=Response.choices, default=Response.INVITED
    )
    leave = models.CharField("请假", max_length=20, choices=Leave.choices, blank=True)
    leave_reason = models.CharField("请假事由", max_length=200, blank=True)
    leave_answer = models.CharField("审批意见", max_length=200, blank=True)
    attendance = models.CharField("出席", max_length=20, choices=Attendance.choices, blank=True)
    checked_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    checked_in_by = models.CharField("签到方式", max_length=10, choices=CheckIn.choices, blank=True)
    invited_at = models.DateTimeField("邀请时间")

    class Meta:
        verbose_name = verbose_name_plural = "活动邀请"
        ordering = ["activity", "deputy__name_stroke_key", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "deputy"], name="invitation_unique_per_deputy"
            ),
            models.CheckConstraint(
                condition=Q(attendance="attended", checked_in_at__isnull=False)
                | (~Q(attendance="attended") & Q(checked_in_at=None)),
                name="invitation_attended_has_time",
            ),
        ]
        indexes = [models.Index(fields=["deputy", "activity"], name="invitation_deputy_idx")]

    def __str__(self) -> str:
        return f"{self.activity} · {self.deputy}"


# ---------------------------------------------------------------------------------------------
# Liaison stations (代表联络站) and the deputies' home (代表之家); the reception schedule is the
# station's activities of kind 接待选民, so invitations, check-in and the record apply to it.


class Station(models.Model):
    class Kind(models.TextChoices):
        STATION = "station", "代表联络站"
        HOME = "home", "代表之家"

    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.STATION)
    name = models.CharField("名称", max_length=100, unique=True)
    street = models.ForeignKey(
        Street,
        verbose_name="所在街道",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stations",
    )
    address = models.CharField("地址", max_length=200)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    opening_hours = models.CharField("接待时间说明", max_length=200, blank=True)
    is_active = models.BooleanField("启用", default=True)
    version = models.PositiveIntegerField(default=1, editable=False, validators=VERSION.validators)

    class Meta:
        verbose_name = verbose_name_plural = "代表联络站"
        ordering = ["kind", "name"]
        constraints = [
            *range_checks("deputies_station", version=VERSION),
            # A liaison station belongs to a street; the deputies' home is the organ's own.
            models.CheckConstraint(
                condition=Q(kind="home") | Q(street__isnull=False),
                name="station_has_street",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class VoterOpinionStatus(models.TextChoices):
    RECEIVED = "received", "已登记"
    TO_SUGGESTION = "to_suggestion", "已转代表建议"
    TO_UNIT = "to_unit", "已转交单位"
    ANSWERED = "answered", "已有办理结果"
    REPORTED = "reported", "已反馈选民"


class VoterOpinion(models.Model):
    """An opinion a voter gave at a station: forwarded as a deputy's suggestion or to a unit, its
    result recorded, and the result reported back to the voter."""

    TRANSITIONS = {
        VoterOpinionStatus.RECEIVED: {
            VoterOpinionStatus.TO_SUGGESTION,
            VoterOpinionStatus.TO_UNIT,
            VoterOpinionStatus.ANSWERED,  # answered on the spot (当场答复)
        },
        VoterOpinionStatus.TO_SUGGESTION: {VoterOpinionStatus.ANSWERED},
        VoterOpinionStatus.TO_UNIT: {VoterOpinionStatus.ANSWERED},
        VoterOpinionStatus.ANSWERED: {VoterOpinionStatus.REPORTED},
        VoterOpinionStatus.REPORTED: set(),
    }

    station = models.ForeignKey(
        Station, verbose_name="联络站", on_delete=models.PROTECT, related_name="opinions"
    )
    reception = models.ForeignKey(
        Activity,
        verbose_name="接待活动",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="voter_opinions",
    )
    received_on = models.DateField("接待日期")
    received_by = models.ForeignKey(
        Deputy,
        verbose_name="接待代表",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="voter_opinions",
    )
    voter_name = models.CharField("选民姓名", max_length=50)
    voter_phone = models.CharField("联系电话", max_length=20, blank=True)
    voter_address = models.CharField("住址", max_length=200, blank=True)
    subject = models.CharField("事项", max_length=100)
    content = models.TextField("意见内容")
    status = models.CharField(
        "状态",
        max_length=20,
        choices=VoterOpinionStatus.choices,
        default=VoterOpinionStatus.RECEIVED,
        db_index=True,
    )
    suggestion = models.ForeignKey(
        "suggestions.Suggestion",
        verbose_name="转为代表建议",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="voter_opinions",
    )
    unit = models.ForeignKey(
        "core.Unit",
        verbose_name="转交单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="voter_opinions",
    )
    forwarded_at = models.DateTimeField("转办时间", null=True, blank=True)
    unit_due_on = models.DateField("答复期限", null=True, blank=True)
    result = models.TextField("办理结果", blank=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    feedback_method = models.CharField("反馈方式", max_length=20, blank=True)
    feedback_note = models.TextField("反馈情况", blank=True)
    reported_at = models.DateTimeField("反馈时间", null=True, blank=True)
    recorded_by = models.ForeignKey(
        "core.User", verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False, validators=VERSION.validators)

    class Meta:
        verbose_name = verbose_name_plural = "选民意见"
        ordering = ["-received_on", "-id"]
        constraints = [
            *range_checks("deputies_voteropinion", version=VERSION),
            models.CheckConstraint(
                condition=~Q(status="to_suggestion") | Q(suggestion__isnull=False),
                name="voter_opinion_suggestion_set",
            ),
            models.CheckConstraint(
                condition=~Q(status="to_unit") | Q(unit__isnull=False),
                name="voter_opinion_unit_set",
            ),
        ]
        indexes = [
            models.Index(fields=["station", "status"], name="voter_opinion_station_idx"),
            models.Index(fields=["unit", "status"], name="voter_opinion_unit_idx"),
        ]

    def __str__(self) -> str:
        return self.subject


# ---------------------------------------------------------------------------------------------
# Points (履职积分): rules are configurable rows; points are computed from the record's sources,
# and a published bulletin freezes one quarter's figures.


class PointSource(models.TextChoices):
    """What a rule counts. The code decides how each source is read (renda/deputies/sources.py);
    staff decide the points and whether the rule applies."""

    SUGGESTION_LEAD = "suggestion_lead", "领衔提出建议、议案"
    SUGGESTION_COSIGNED = "suggestion_cosigned", "联名提出建议、议案"
    VISIT_RESEARCH = "visit_research", "参加视察、调研、执法检查、专题询问"
    RECEPTION = "reception", "到联络站接待选民"
    TRAINING = "training", "参加培训"
    GROUP_ACTIVITY = "group_activity", "参加代表小组活动"
    STANDING_COMMITTEE = "standing_committee", "列席常委会会议"
    SESSION_LEAVE = "session_leave", "人代会请假（每半天）"
    ABSENCE = "absence", "无故缺席活动"


class PointRule(models.Model):
    class Per(models.TextChoices):
        ITEM = "item", "每件/每次"
        HALF_DAY = "half_day", "每半天"

    source = models.CharField("计分事项", max_length=30, choices=PointSource.choices, unique=True)
    points = models.DecimalField("分值", max_digits=5, decimal_places=1)
    per = models.CharField("计分单位", max_length=10, choices=Per.choices, default=Per.ITEM)
    is_active = models.BooleanField("启用", default=True)
    sort_order = models.PositiveSmallIntegerField(
        "排序", default=100, validators=SORT_ORDER.validators
    )

    class Meta:
        verbose_name = verbose_name_plural = "积分规则"
        ordering = ["sort_order", "id"]
        constraints = [*range_checks("deputies_pointrule", sort_order=SORT_ORDER)]

    def __str__(self) -> str:
        return self.get_source_display()


class PointScheme(models.Model):
    """The one row of scheme settings: the base each deputy starts a year with, the bands, and
    when a deputy needs a talk (约谈)."""

    base_points = models.DecimalField("年度基础分", max_digits=5, decimal_places=1, default=60)
    good_from = models.DecimalField("好（不低于）", max_digits=5, decimal_places=1, default=80)
    fair_from = models.DecimalField("较好（不低于）", max_digits=5, decimal_places=1, default=60)
    talk_absences = models.PositiveSmallIntegerField(
        "约谈：无故缺席次数", default=2, validators=TIMES.validators
    )

    class Meta:
        verbose_name = verbose_name_plural = "积分办法"
        constraints = [*range_checks("deputies_pointscheme", talk_absences=TIMES)]

    def __str__(self) -> str:
        return "积分办法"

    @classmethod
    def current(cls) -> PointScheme:
        """The saved scheme, or the defaults (unsaved, pk 1): reading never writes."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class PointBulletin(models.Model):
    """A quarter's points as published (季度通报): the rows are frozen when published."""

    year = models.PositiveSmallIntegerField("年度", validators=YEAR.validators)
    quarter = models.PositiveSmallIntegerField("季度", validators=QUARTER.validators)
    published_at = models.DateTimeField("发布时间")
    published_by = models.ForeignKey(
        "core.User", verbose_name="发布人", on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "积分通报"
        ordering = ["-year", "-quarter"]
        constraints = [
            *range_checks("deputies_pointbulletin", year=YEAR, quarter=QUARTER),
            models.UniqueConstraint(fields=["year", "quarter"], name="point_bulletin_unique"),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="point_bulletin_quarter"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年第{self.quarter}季度代表履职积分通报"


class PointBulletinRow(models.Model):
    bulletin = models.ForeignKey(PointBulletin, on_delete=models.CASCADE, related_name="rows")
    deputy = models.ForeignKey(Deputy, on_delete=models.PROTECT, related_name="+")
    deputy_name = models.CharField("姓名", max_length=50)
    group_name = models.CharField("代表小组", max_length=50, blank=True)
    quarter_points = models.DecimalField("本季度积分", max_digits=6, decimal_places=1)
    year_points = models.DecimalField("年度累计积分", max_digits=6, decimal_places=1)
    band = models.CharField("等次", max_length=10)
    # Per-source counts and points as computed when published: {source: [count, points]}.
    details = models.JSONField("明细", default=dict)

    class Meta:
        verbose_name = verbose_name_plural = "积分通报明细"
        ordering = ["bulletin", "-year_points", "deputy_name"]
        constraints = [
            models.UniqueConstraint(fields=["bulletin", "deputy"], name="point_row_unique")
        ]

    def __str__(self) -> str:
        return f"{self.bulletin} · {self.deputy_name}"

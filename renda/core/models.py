"""The organisation (congress, offices, streets, units, users and roles), the timeline and the
work calendar: the tables every other app stands on."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from renda.core.errors import DomainError
from renda.core.numbers import ID, PERCENT, SESSION, SORT_ORDER, TERM, YEAR, range_checks


class Congress(models.Model):
    """The installation's owner: one row (id 1)."""

    class Level(models.TextChoices):
        DISTRICT = "district", "县区级"
        MUNICIPAL = "municipal", "设区的市级"

    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("简称", max_length=50)
    region = models.CharField("行政区", max_length=50, help_text="如：历下区")
    level = models.CharField("层级", max_length=20, choices=Level.choices, default=Level.DISTRICT)
    term_number = models.PositiveSmallIntegerField(
        "当前届次", default=18, validators=TERM.validators
    )
    session_number = models.PositiveSmallIntegerField(
        "当前会议次数", default=1, validators=SESSION.validators
    )
    deputy_affairs_office = models.ForeignKey(
        "Office",
        verbose_name="代表工作机构",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="负责代表工作与建议交办的工作机构（人事代表工作室）",
    )

    class Meta:
        verbose_name = verbose_name_plural = "人大常委会"
        constraints = [
            *range_checks("core_congress", term_number=TERM, session_number=SESSION),
            models.CheckConstraint(condition=Q(id=1), name="congress_single_row"),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> Congress | None:
        return cls.objects.select_related("deputy_affairs_office").filter(pk=1).first()


class OrderedQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Office(models.Model):
    """An internal unit of the organ (处室 / 工作室)."""

    class Kind(models.TextChoices):
        GENERAL = "general", "办事机构"
        WORKING = "working", "工作机构"

    name = models.CharField("名称", max_length=50, unique=True)
    short_name = models.CharField("简称", max_length=20, blank=True)
    kind = models.CharField("类别", max_length=20, choices=Kind.choices, default=Kind.WORKING)
    sort_order = models.PositiveSmallIntegerField(
        "排序", default=100, validators=SORT_ORDER.validators
    )
    is_active = models.BooleanField("在用", default=True)

    objects = OrderedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "工作机构"
        ordering = ["sort_order", "id"]
        constraints = [*range_checks("core_office", sort_order=SORT_ORDER)]

    def __str__(self) -> str:
        return self.name


class Street(models.Model):
    """A street work committee (街道人大工委)."""

    name = models.CharField("街道", max_length=50, unique=True)
    sort_order = models.PositiveSmallIntegerField(
        "排序", default=100, validators=SORT_ORDER.validators
    )
    is_active = models.BooleanField("在用", default=True)

    objects = OrderedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "街道人大工委"
        ordering = ["sort_order", "id"]
        constraints = [*range_checks("core_street", sort_order=SORT_ORDER)]

    def __str__(self) -> str:
        return self.name

    @property
    def committee_name(self) -> str:
        return f"{self.name}人大工委"


class Unit(models.Model):
    """A handling unit (承办单位)."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", "区政府部门"
        SUPERVISORY = "supervisory", "监察委员会"
        COURT = "court", "人民法院"
        PROCURATORATE = "procuratorate", "人民检察院"
        OTHER = "other", "其他单位"

    name = models.CharField("名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=30, blank=True)
    kind = models.CharField("类别", max_length=20, choices=Kind.choices, default=Kind.GOVERNMENT)
    sort_order = models.PositiveSmallIntegerField(
        "排序", default=100, validators=SORT_ORDER.validators
    )
    is_active = models.BooleanField("在用", default=True)

    objects = OrderedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "承办单位"
        ordering = ["sort_order", "id"]
        constraints = [*range_checks("core_unit", sort_order=SORT_ORDER)]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", "系统管理员"
    LEADER = "leader", "常委会领导"
    STAFF = "staff", "机关工作人员"
    STREET = "street", "街道人大工委"
    DEPUTY = "deputy", "人大代表"
    UNIT = "unit", "承办单位"


# Which scope column each role needs; the rest must be empty (enforced by a constraint too).
ROLE_SCOPE = {
    Role.ADMIN: None,
    Role.LEADER: None,
    Role.DEPUTY: None,
    Role.STAFF: "office",
    Role.STREET: "street",
    Role.UNIT: "unit",
}


@dataclass(frozen=True)
class UserRoles:
    """What one user may act as; read once per request from the memberships."""

    names: frozenset[str]
    office_ids: frozenset[int]
    street_ids: frozenset[int]
    unit_ids: frozenset[int]

    def has(self, *roles: str) -> bool:
        return bool(self.names.intersection(roles))

    @property
    def labels(self) -> list[str]:
        order = list(Role.values)
        return [Role(name).label for name in sorted(self.names, key=order.index)]

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.names

    @property
    def sees_whole_congress(self) -> bool:
        return self.has(Role.ADMIN, Role.LEADER, Role.STAFF)


NO_ROLES = UserRoles(frozenset(), frozenset(), frozenset(), frozenset())


class User(AbstractUser):
    """A person who logs in. Roles come from RoleMembership, never from Django groups."""

    full_name = models.CharField("姓名", max_length=50)
    phone = models.CharField("手机号", max_length=20, blank=True)

    REQUIRED_FIELDS = ["full_name"]
    objects = UserManager()

    class Meta:
        verbose_name = verbose_name_plural = "用户"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.get_full_name()

    @cached_property
    def roles(self) -> UserRoles:
        if not self.is_authenticated or not self.is_active:
            return NO_ROLES
        rows = list(self.memberships.values_list("role", "office_id", "street_id", "unit_id"))
        names = {r[0] for r in rows}
        if self.is_superuser:
            names.add(Role.ADMIN)
        return UserRoles(
            names=frozenset(names),
            office_ids=frozenset(r[1] for r in rows if r[1]),
            street_ids=frozenset(r[2] for r in rows if r[2]),
            unit_ids=frozenset(r[3] for r in rows if r[3]),
        )


class RoleMembership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    office = models.ForeignKey(
        Office, verbose_name="工作机构", on_delete=models.PROTECT, null=True, blank=True
    )
    street = models.ForeignKey(
        Street, verbose_name="街道", on_delete=models.PROTECT, null=True, blank=True
    )
    unit = models.ForeignKey(
        Unit, verbose_name="承办单位", on_delete=models.PROTECT, null=True, blank=True
    )

    class Meta:
        verbose_name = verbose_name_plural = "角色"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role__in=["admin", "leader", "deputy"], office=None, street=None, unit=None)
                    | Q(role="staff", office__isnull=False, street=None, unit=None)
                    | Q(role="street", street__isnull=False, office=None, unit=None)
                    | Q(role="unit", unit__isnull=False, office=None, street=None)
                ),
                name="membership_scope_matches_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(role__in=["admin", "leader", "deputy"]),
                name="membership_unique_global_role",
            ),
            models.UniqueConstraint(
                fields=["user", "office"],
                condition=Q(role="staff"),
                name="membership_unique_office",
            ),
            models.UniqueConstraint(
                fields=["user", "street"],
                condition=Q(role="street"),
                name="membership_unique_street",
            ),
            models.UniqueConstraint(
                fields=["user", "unit"], condition=Q(role="unit"), name="membership_unique_unit"
            ),
        ]

    def __str__(self) -> str:
        scope = self.office or self.street or self.unit
        return f"{self.get_role_display()}·{scope}" if scope else self.get_role_display()


class TimelineQuerySet(models.QuerySet):
    """The timeline is append-only: bulk updates and deletes are refused here and in the database."""

    def update(self, **kwargs):
        raise DomainError("timeline_append_only", "履职留痕记录只能追加，不能修改。")

    def delete(self):
        raise DomainError("timeline_append_only", "履职留痕记录只能追加，不能删除。")

    def for_object(self, obj: models.Model):
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        ).select_related("actor")


# Labels of the states apps record on the timeline, per model: {(app_label, model): {code: label}}.
# An app registers its Status choices in AppConfig.ready(); the codes stay in the table.
STATE_LABELS: dict[tuple[str, str], dict[str, str]] = {}


def register_state_labels(model: type[models.Model], choices) -> None:
    STATE_LABELS[(model._meta.app_label, model._meta.model_name)] = dict(choices)


class TimelineEvent(models.Model):
    """One thing that happened to one record: who, what, when, from which state to which."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField(validators=ID.validators)
    actor = models.ForeignKey(
        User,
        verbose_name="操作人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    verb = models.CharField("动作", max_length=50)
    summary = models.CharField("摘要", max_length=300)
    from_state = models.CharField("原状态", max_length=30, blank=True)
    to_state = models.CharField("新状态", max_length=30, blank=True)
    note = models.TextField("说明", blank=True)
    data = models.JSONField("数据", default=dict, blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now)

    objects = TimelineQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "履职留痕"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]
        constraints = [*range_checks("core_timelineevent", object_id=ID)]

    def __str__(self) -> str:
        return self.summary

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise DomainError("timeline_append_only", "履职留痕记录只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise DomainError("timeline_append_only", "履职留痕记录只能追加，不能删除。")

    def _state_label(self, code: str) -> str:
        ct = ContentType.objects.get_for_id(self.content_type_id)  # cached by Django
        return STATE_LABELS.get((ct.app_label, ct.model), {}).get(code, code)

    @property
    def from_label(self) -> str:
        return self._state_label(self.from_state) if self.from_state else ""

    @property
    def to_label(self) -> str:
        return self._state_label(self.to_state) if self.to_state else ""


class CalendarYear(models.Model):
    """A year whose official holiday schedule an admin has entered (beyond the calendar package)."""

    year = models.PositiveSmallIntegerField("年份", unique=True, validators=YEAR.validators)
    note = models.CharField(
        "依据", max_length=200, blank=True, help_text="如：国务院办公厅通知文号"
    )
    entered_at = models.DateTimeField("录入时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "节假日安排（年度）"
        ordering = ["year"]
        constraints = [*range_checks("core_calendaryear", year=YEAR)]

    def __str__(self) -> str:
        return f"{self.year} 年节假日安排"


class CalendarDay(models.Model):
    """One day that differs from the plain weekday rule: a holiday, or a make-up working day (调休)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", "放假"
        WORKDAY = "workday", "调休上班"

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    name = models.CharField("名称", max_length=30, blank=True, help_text="如：春节")

    class Meta:
        verbose_name = verbose_name_plural = "节假日与调休"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}".strip()


class LoginFailure(models.Model):
    """A failed log-in, kept for throttling: counted per account and per address."""

    username = models.CharField(max_length=150, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "登录失败记录"

    def __str__(self) -> str:
        return f"{self.username} {self.ip or ''} {self.at:%Y-%m-%d %H:%M}"


class ApiToken(models.Model):
    """A token for machine access to the API; only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField("有效期至", null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "API 令牌"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class Notification(models.Model):
    """A message to one user inside the platform (and by e-mail where configured). `key` makes a
    reminder idempotent: the same key is never sent to the same user twice."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    key = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    emailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "消息"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], condition=~Q(key=""), name="notification_once_per_key"
            )
        ]
        indexes = [
            models.Index(fields=["user", "created_at"]),
            models.Index(
                fields=["user"], condition=Q(read_at=None), name="notification_unread_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Job(models.Model):
    """A piece of long work (a big export, an import) run by the worker, with its progress and
    its result file, which only the user who started it may download."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="jobs")
    kind = models.CharField(max_length=50)
    title = models.CharField("名称", max_length=200)
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(
        "进度（%）", default=0, validators=PERCENT.validators
    )
    message = models.CharField("说明", max_length=300, blank=True)
    file = models.FileField(upload_to="jobs/%Y/%m/", blank=True)
    filename = models.CharField(max_length=200, blank=True)
    back_url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-id"]
        constraints = [*range_checks("core_job", progress=PERCENT)]

    def __str__(self) -> str:
        return self.title

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

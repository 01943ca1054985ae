"""The demo's deputies' activities of 2026, entered through the real actions as of their days
(renda.core.clock.as_of): the congress session with every district deputy (leave granted and
refused, two absent without leave), the deputies attending each standing-committee meeting, the
inspection's training and the inquiry's research (their visits and hearing enter activities of
their own, through the supervision actions), visits and research by the offices inviting street
groups together with municipal and provincial deputies (the linkage), every street group's own
activity, three trainings, one cancelled visit and four activities still ahead of the demo's
today (2026-11-20): three open for sign-up (leave requests waiting in one), one not yet open.

Each deputy keeps a habit drawn from one seed: most come to nearly everything, some are often
away on leave, and a few rarely come and are absent without leave twice or more, so that the
points' talk list (约谈) is not empty. Deputies act through their own users (the demo log-ins,
the suggestions' users, or users made here that cannot log in): they sign up, ask for leave and
check in with the activity's code on the day; staff record those who forgot."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from django.contrib.auth.hashers import make_password
from django.db.models import F

from renda.core import clock
from renda.core.errors import DomainError
from renda.core.models import Notification, Office, Role, RoleMembership, Street, User
from renda.demo.suggestions import DEPUTY_USERNAME, LAST_DAY, READ_BEFORE, SESSION_DAYS
from renda.deputies import actions_activities as actions
from renda.deputies.actions_activities import ActivityFields
from renda.deputies.models import Activity, ActivityKind, Deputy, Group, Invitation, Level
from renda.meetings.models import Meeting
from renda.plans.models import PlanItem
from renda.supervision.models import Inquiry, Inspection, TeamMember

YEAR = 2026
TODAY = LAST_DAY  # the demo is looked at on this day: later activities are still ahead
SEED = "activities-2026"
RDS, SJS, CHS, CJS, FZS = (
    "人事代表工作室",
    "社会建设工作室",
    "城建环保工作室",
    "财经工作室",
    "法制工作室",
)
STREET_USERNAME = "street-{:02d}"  # street committees without a demo log-in (cannot log in)

# Habits: who comes. RARE deputies are the talk list's; BUSY ones are often away on leave.
ACTIVE, BUSY, RARE = "active", "busy", "rare"
RARE_COUNT = 9
BUSY_SHARE = 0.08
# Of an invitation, by habit: (leave, attend, absent without leave) shares.
FATES = {ACTIVE: (0.04, 0.955, 0.005), BUSY: (0.35, 0.6, 0.05), RARE: (0.0, 0.1, 0.9)}
FORGOT_SHARE = 0.06  # of those who came, the share who forgot the code (staff record them)
REFUSED_EVERY = 7  # one leave request in seven is refused (the deputy then comes)

LEAVE_REASONS = (
    "单位有紧急生产任务，无法脱身",
    "出差在外",
    "因病住院治疗",
    "参加市人大常委会组织的集中视察",
    "家中老人住院需要陪护",
    "参加省里组织的业务培训",
)
REFUSE_REASON = "本次活动安排已报区委，请尽量调整工作安排参加"
DECLINE_REASON = "单位工作安排冲突"

GROUP_TOPICS = (
    "集中视察辖区老旧小区改造",
    "走访辖区养老服务中心",
    "调研背街小巷环境整治",
    "视察社区卫生服务中心",
    "开展“代表进社区”走访选民",
    "视察学校周边交通安全",
    "调研农贸市场食品安全",
    "视察生活垃圾分类工作",
    "调研老旧小区停车难问题",
    "走访辖区企业听取意见",
    "视察口袋公园建设",
    "调研社区嵌入式服务设施",
)
# (month, day) of each street group's activity, in the streets' order: working days.
GROUP_DAYS = (
    (3, 19), (3, 26), (4, 16), (4, 23), (5, 21), (6, 11),
    (6, 25), (7, 9), (8, 20), (9, 10), (9, 24), (10, 22),
)  # fmt: skip


def _d(month: int, day: int, year: int = YEAR) -> date:
    return date(year, month, day)


# ---------------------------------------------------------------------------------------------
# One activity's story


@dataclass
class Story:
    """What happens to one activity: created and invited on `created`, answered two days later,
    held on its day (everyone who came checks in), closed a few days after — or cancelled, or
    still ahead of TODAY."""

    values: ActivityFields
    organiser: User
    created: date
    deputies: Sequence[Deputy] = ()
    groups: Sequence[Group] = ()
    levels: Sequence[str] = ()
    opens: bool = True  # sign-up (a session has none: every deputy must come)
    closes: bool = True  # False: held but not yet archived
    cancelled_on: date | None = None
    cancel_reason: str = ""
    fates: dict[int, str] = field(default_factory=dict)  # deputy id -> forced fate
    refused: frozenset[int] = frozenset()  # deputies whose leave is refused (else every 7th)

    @property
    def day(self) -> date:
        return self.values.date

    @property
    def held_on(self) -> date:
        """The last day: a session of several days is marked held when it ends."""
        return self.day + timedelta(days=(self.values.half_days - 1) // 2)


def _fields(
    kind: str,
    title: str,
    day: date,
    place: str,
    *,
    office: Office | None = None,
    street: Street | None = None,
    starts_at: time = time(9, 0),
    ends_at: time | None = time(11, 30),
    half_days: int = 1,
    note: str = "",
    capacity: int | None = None,
    **link,
) -> ActivityFields:
    return ActivityFields(
        kind=kind,
        title=title,
        date=day,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        organiser_office=office,
        organiser_street=street,
        half_days=half_days,
        note=note,
        capacity=capacity,
        **link,
    )


class _Demo:
    """The people who act and the deputies' habits."""

    def __init__(self, accounts: dict[str, User]) -> None:
        self.accounts = accounts
        self.rng = random.Random(SEED)
        self.offices = {o.name: o for o in Office.objects.all()}
        self.streets = list(Street.objects.active().order_by("sort_order", "id"))
        self.groups = {g.street_id: g for g in Group.objects.filter(street__isnull=False)}
        self.users = _deputy_users()
        self.habits = self._habits(accounts)
        self.reasons = 0  # the next leave reason
        self.requests = 0  # leave requests so far (every REFUSED_EVERY-th is refused)

    def staff(self, office: str) -> User:
        user = (
            User.objects.filter(memberships__role=Role.STAFF, memberships__office__name=office)
            .order_by("id")
            .first()
        )
        if user is None:
            raise LookupError(f"演示数据中没有{office}的工作人员账号")
        return user

    def street_user(self, street: Street) -> User:
        user = (
            User.objects.filter(memberships__role=Role.STREET, memberships__street=street)
            .order_by("id")
            .first()
        )
        if user is None:
            user = User.objects.create(
                username=STREET_USERNAME.format(self.streets.index(street) + 1),
                full_name=f"{street.name}人大工委",
                password=make_password(None),
            )
            RoleMembership.objects.create(user=user, role=Role.STREET, street=street)
        return user

    def _habits(self, accounts: dict[str, User]) -> dict[int, str]:
        """Every current deputy's habit; the demo log-ins' deputies are active."""
        own = {u.deputy.pk for u in accounts.values() if hasattr(u, "deputy")}
        district = list(
            Deputy.objects.with_active_mandate(level=Level.DISTRICT)
            .exclude(pk__in=own)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        rare = set(self.rng.sample(district, RARE_COUNT))
        rest = [pk for pk in district if pk not in rare]
        busy = set(self.rng.sample(rest, round(len(rest) * BUSY_SHARE)))
        habits = {pk: ACTIVE for pk in Deputy.objects.values_list("pk", flat=True)}
        habits.update({pk: RARE for pk in rare} | {pk: BUSY for pk in busy})
        return habits

    def of_habit(self, habit: str) -> list[int]:
        return sorted(pk for pk, h in self.habits.items() if h == habit)

    def fate(self, deputy_id: int) -> str:
        """leave, code (came and checked in), staff (came, forgot the code) or absent."""
        leave, attend, _ = FATES[self.habits.get(deputy_id, ACTIVE)]
        draw = self.rng.random()
        if draw < leave:
            return "leave"
        if draw < leave + attend:
            return "staff" if self.rng.random() < FORGOT_SHARE else "code"
        return "absent"

    def leave_reason(self) -> str:
        self.reasons += 1
        return LEAVE_REASONS[self.reasons % len(LEAVE_REASONS)]

    # Choosing deputies ------------------------------------------------------------------------

    def district(self, street: Street, count: int, **filters) -> list[Deputy]:
        rows = list(
            Deputy.objects.with_active_mandate(level=Level.DISTRICT, street=street)
            .filter(**filters)
            .in_stroke_order()
        )
        return sorted(self.rng.sample(rows, min(count, len(rows))), key=rows.index)

    def of_level(self, level: str, count: int, *, skip: int = 0) -> list[Deputy]:
        """Deputies of a level who hold no district seat (the linkage invites them)."""
        rows = (
            Deputy.objects.with_active_mandate(level=level)
            .exclude(pk__in=Deputy.objects.with_active_mandate(level=Level.DISTRICT))
            .in_stroke_order()
        )
        return list(rows[skip : skip + count])

    def group(self, street: Street) -> Group:
        return self.groups[street.pk]


def _deputy_users() -> dict[int, User]:
    """Every current deputy acts through a user of their own: the demo log-ins and the
    suggestions' users where they exist, otherwise one made now that cannot log in (named as
    the suggestions name theirs, by the deputy's place in the roster)."""
    order = list(Deputy.objects.order_by("pk").values_list("pk", "user_id", "full_name"))
    current = set(Deputy.objects.with_active_mandate().values_list("pk", flat=True))
    missing = [
        (index, pk, name)
        for index, (pk, user_id, name) in enumerate(order)
        if user_id is None and pk in current
    ]
    password = make_password(None)
    created = User.objects.bulk_create(
        User(username=DEPUTY_USERNAME.format(index + 1), full_name=name, password=password)
        for index, _, name in missing
    )
    RoleMembership.objects.bulk_create(RoleMembership(user=u, role=Role.DEPUTY) for u in created)
    for (_, pk, _), user in zip(missing, created, strict=True):
        Deputy.objects.filter(pk=pk).update(user=user)
    return {d.pk: d.user for d in Deputy.objects.filter(pk__in=current).select_related("user")}


# ---------------------------------------------------------------------------------------------
# Telling a story through the actions


def _tell(demo: _Demo, story: Story) -> Activity:
    organiser = story.organiser
    with clock.as_of(story.created):
        activity = actions.create_activity(acting_user=organiser, values=story.values)
        actions.invite(
            acting_user=organiser,
            activity=activity,
            deputies=story.deputies,
            groups=story.groups,
            levels=story.levels,
        )
        if story.opens:
            actions.open_signup(acting_user=organiser, activity=activity)
    invitations = list(activity.invitations.order_by("deputy__name_stroke_key", "id"))
    fates = {i.pk: story.fates.get(i.deputy_id) or demo.fate(i.deputy_id) for i in invitations}
    _answer(demo, story, activity, invitations, fates)
    if story.cancelled_on is not None:
        with clock.as_of(story.cancelled_on):
            actions.cancel_activity(
                acting_user=organiser, activity=activity, reason=story.cancel_reason
            )
        return activity
    if story.day > TODAY:
        return activity
    _hold(demo, story, activity, invitations, fates)
    return activity


def _answer_day(story: Story) -> date:
    """Two days after the invitation, or sooner: leave is decided before the day."""
    return max(story.created, min(story.created + timedelta(days=2), story.day - timedelta(days=2)))


def _answer(demo: _Demo, story: Story, activity, invitations, fates) -> None:
    """Two days after the invitation: leave asked for, sign-ups and regrets; the organiser
    decides on leave the day after (a request may still wait when the day is ahead)."""
    asked_on = _answer_day(story)
    if asked_on > TODAY:
        return
    asked = []
    with clock.as_of(asked_on):
        for invitation in invitations:
            user, fate = demo.users[invitation.deputy_id], fates[invitation.pk]
            if fate == "leave":
                actions.request_leave(
                    acting_user=user, invitation=invitation, reason=demo.leave_reason()
                )
                asked.append(invitation)
            elif story.opens and fate in ("code", "staff"):
                _sign_up(user, invitation)
            elif story.opens and fate == "absent" and demo.habits[invitation.deputy_id] != RARE:
                actions.decline(acting_user=user, invitation=invitation, reason=DECLINE_REASON)
    decided_on = asked_on + timedelta(days=1)
    if not asked or decided_on > TODAY or decided_on >= (story.cancelled_on or date.max):
        return
    with clock.as_of(decided_on):
        for invitation in asked:
            demo.requests += 1
            if story.refused:
                refuse = invitation.deputy_id in story.refused
            else:
                refuse = demo.requests % REFUSED_EVERY == 0
            if refuse:
                actions.refuse_leave(
                    acting_user=story.organiser, invitation=invitation, reason=REFUSE_REASON
                )
                fates[invitation.pk] = "code"  # told to come, the deputy comes
            else:
                actions.grant_leave(acting_user=story.organiser, invitation=invitation)


def _sign_up(user: User, invitation: Invitation) -> None:
    """Sign up, unless the places are taken (the last to answer stay invited)."""
    try:
        actions.sign_up(acting_user=user, invitation=invitation)
    except DomainError as error:
        if error.code != "full":
            raise


def _hold(demo: _Demo, story: Story, activity, invitations, fates) -> None:
    """On the day: check-ins with the code, then the organiser records who forgot; held when
    it ends (everyone else absent), archived a few days later."""
    with clock.as_of(story.day):
        for invitation in invitations:
            if fates[invitation.pk] == "code":
                actions.check_in(
                    acting_user=demo.users[invitation.deputy_id],
                    activity=activity,
                    code=activity.checkin_code,
                )
        for invitation in invitations:
            if fates[invitation.pk] == "staff":
                actions.record_attendance(acting_user=story.organiser, invitation=invitation)
    held_on = story.held_on
    if held_on > TODAY:
        return
    with clock.as_of(held_on):
        actions.mark_held(acting_user=story.organiser, activity=activity)
    closed_on = held_on + timedelta(days=4)
    if story.closes and closed_on <= TODAY:
        with clock.as_of(closed_on):
            actions.close_activity(acting_user=story.organiser, activity=activity)


# ---------------------------------------------------------------------------------------------
# The year's activities


def _session(demo: _Demo) -> Story:
    """The fifth session: every district deputy; five granted leave for its eight half-days, one
    refused (who then comes), two of those who rarely come absent without leave."""
    meeting = Meeting.objects.get(kind=Meeting.Kind.CONGRESS, date__year=YEAR)
    district = set(
        Deputy.objects.with_active_mandate(level=Level.DISTRICT).values_list("pk", flat=True)
    )
    busy = [pk for pk in demo.of_habit(BUSY) if pk in district]
    rare = [pk for pk in demo.of_habit(RARE) if pk in district]
    fates = {pk: "code" for pk in district}
    fates.update({pk: "leave" for pk in busy[:6]})
    fates.update({pk: "absent" for pk in rare[:2]})
    for pk in sorted(district)[::23]:  # some forget the code at the door
        fates[pk] = "staff" if fates[pk] == "code" else fates[pk]
    return Story(
        values=_fields(
            ActivityKind.SESSION,
            "区十八届人大五次会议",
            meeting.date,
            meeting.place,
            office=demo.offices[RDS],
            starts_at=time(8, 30),
            ends_at=time(17, 30),
            half_days=SESSION_DAYS * 2,
            note=f"会期{SESSION_DAYS}天。全体区人大代表出席；因故不能出席的，须书面请假。",
            meeting=meeting,
        ),
        organiser=demo.staff(RDS),
        created=meeting.date - timedelta(days=3),
        levels=[Level.DISTRICT],
        opens=False,
        fates=fates,
        refused=frozenset(busy[5:6]),
    )


def _standing_committee(demo: _Demo) -> list[Story]:
    """Six district deputies of two streets attend each standing-committee meeting."""
    stories = []
    meetings = Meeting.objects.filter(kind=Meeting.Kind.STANDING, date__year=YEAR).order_by("date")
    for n, meeting in enumerate(meetings):
        streets = [demo.streets[(2 * n) % 12], demo.streets[(2 * n + 1) % 12]]
        stories.append(
            Story(
                values=_fields(
                    ActivityKind.STANDING_COMMITTEE,
                    f"列席{meeting}",
                    meeting.date,
                    meeting.place or "区人大常委会机关第一会议室",
                    office=demo.offices[RDS],
                    note=meeting.note,
                    meeting=meeting,
                ),
                organiser=demo.staff(RDS),
                created=meeting.date - timedelta(days=12),
                deputies=[d for s in streets for d in demo.district(s, 3)],
            )
        )
    return stories


def _inspection_training(demo: _Demo) -> Story:
    """The Work Safety Law inspection's deputies learn the law before the field work (the
    inspection's visits enter their own activities: supervision's record_visit)."""
    inspection = Inspection.objects.get(title="《中华人民共和国安全生产法》执法检查", year=YEAR)
    team = list(
        Deputy.objects.filter(
            pk__in=TeamMember.objects.filter(
                inspection=inspection, deputy__isnull=False, invitation="accepted"
            ).values("deputy_id")
        ).in_stroke_order()
    )
    return Story(
        values=_fields(
            ActivityKind.TRAINING,
            "安全生产法执法检查参检人员学习培训",
            _d(4, 9),
            "区人大常委会机关第一会议室",
            office=demo.offices[SJS],
            note="邀请区应急管理局专家解读安全生产法重点条款。",
            plan_item=PlanItem.objects.get(title="组织参检人员学习培训", plan__year=YEAR),
        ),
        organiser=demo.staff(SJS),
        created=_d(3, 30),
        deputies=team,
        fates={d.pk: "code" for d in team},
    )


def _inquiry_research(demo: _Demo) -> Story:
    """Research before the urban-management inquiry (the inquiry itself enters its askers'
    activity when it is held: supervision's hold_inquiry)."""
    inquiry = Inquiry.objects.get(topic="城市管理工作专题询问", year=YEAR)
    daming = next(s for s in demo.streets if s.name == "大明湖街道")
    return Story(
        values=_fields(
            ActivityKind.RESEARCH,
            "城市管理工作专题询问询问前专题调研",
            _d(3, 24),
            "区城市管理局、大明湖街道背街小巷",
            office=demo.offices[CHS],
            note="围绕市容环境、违法建设、停车管理等开展调研，形成询问问题清单。",
            inquiry=inquiry,
        ),
        organiser=demo.staff(CHS),
        created=_d(3, 10),
        groups=[demo.group(daming)],
        deputies=demo.of_level(Level.MUNICIPAL, 2),
    )


def _office_visits(demo: _Demo) -> list[Story]:
    """Visits and research the offices' plan items call for, inviting street groups or chosen
    deputies together with municipal and provincial deputies (the linkage)."""
    street = {s.name: s for s in demo.streets}

    def item(title: str) -> PlanItem:
        return PlanItem.objects.get(title=title, plan__year=YEAR)

    sjs, chs = demo.staff(SJS), demo.staff(CHS)
    return [
        Story(
            values=_fields(
                ActivityKind.VISIT,
                "视察义务教育学校布局、师资配置和课后服务情况",
                _d(5, 20),
                "区内6所中小学校",
                office=demo.offices[SJS],
                plan_item=item("开展义务教育优质均衡发展情况视察"),
            ),
            organiser=sjs,
            created=_d(5, 8),
            deputies=[
                *demo.district(street["文化东路街道"], 4, occupation_category="professional"),
                *demo.district(street["燕山街道"], 4, occupation_category="professional"),
                *demo.of_level(Level.MUNICIPAL, 1, skip=2),
                *demo.of_level(Level.PROVINCIAL, 1),
            ],
        ),
        Story(
            values=_fields(
                ActivityKind.RESEARCH,
                "调研城市更新和老旧小区改造项目推进情况",
                _d(6, 16),
                "趵突泉街道老旧小区改造项目现场",
                office=demo.offices[CHS],
                plan_item=item("开展城市更新和老旧小区改造工作监督"),
            ),
            organiser=chs,
            created=_d(6, 3),
            groups=[demo.group(street["趵突泉街道"])],
            deputies=[
                *demo.of_level(Level.MUNICIPAL, 2, skip=3),
                *demo.of_level(Level.PROVINCIAL, 1, skip=1),
            ],
        ),
        Story(
            values=_fields(
                ActivityKind.VISIT,
                "组织代表旁听行政案件庭审",
                _d(6, 19),
                "区人民法院第一审判庭",
                office=demo.offices[FZS],
                plan_item=item("听取审议区人民法院关于行政审判工作情况的报告"),
            ),
            organiser=demo.staff(FZS),
            created=_d(6, 8),
            deputies=[
                *demo.district(street["甸柳街道"], 4, occupation_category="professional"),
                *demo.district(street["解放路街道"], 4),
            ],
        ),
        Story(
            values=_fields(
                ActivityKind.VISIT,
                "省市区三级人大代表联动视察重点项目建设",
                _d(7, 15),
                "区重点项目建设现场",
                office=demo.offices[RDS],
                note="邀请驻区省人大代表、市人大代表和泉城路街道代表小组共同视察。",
            ),
            organiser=demo.staff(RDS),
            created=_d(7, 2),
            levels=[Level.PROVINCIAL],
            groups=[demo.group(street["泉城路街道"])],
            deputies=demo.of_level(Level.MUNICIPAL, 6, skip=5),
        ),
        Story(
            values=_fields(
                ActivityKind.VISIT,
                "视察社区居家养老服务设施建设和运营情况",
                _d(9, 9),
                "千佛山街道、文化东路街道养老服务设施8处",
                office=demo.offices[SJS],
                plan_item=item("开展养老服务体系建设情况视察"),
            ),
            organiser=sjs,
            created=_d(8, 27),
            deputies=[
                *demo.district(street["千佛山街道"], 5),
                *demo.district(street["文化东路街道"], 5),
                *demo.of_level(Level.MUNICIPAL, 2, skip=8),
            ],
        ),
        Story(
            values=_fields(
                ActivityKind.VISIT,
                "察看小清河、大明湖周边水环境治理情况",
                _d(9, 18),
                "小清河泉城段、大明湖周边",
                office=demo.offices[CHS],
                plan_item=item("听取审议区政府关于生态环境状况和环境保护目标完成情况的报告"),
            ),
            organiser=chs,
            created=_d(9, 7),
            groups=[demo.group(street["大明湖街道"])],
            deputies=demo.of_level(Level.MUNICIPAL, 2, skip=10),
        ),
        Story(
            values=_fields(
                ActivityKind.RESEARCH,
                "2027年区级预算编制情况调研",
                _d(11, 10),
                "区财政局",
                office=demo.offices[CJS],
                note="听取区财政局关于2027年预算编制情况的汇报，提出意见建议。",
            ),
            organiser=demo.staff(CJS),
            created=_d(10, 29),
            deputies=[
                *demo.district(street["智远街道"], 4, occupation_category="business"),
                *demo.district(street["舜华路街道"], 4, occupation_category="business"),
                *demo.of_level(Level.MUNICIPAL, 2, skip=12),
            ],
            closes=False,  # held last week; the office has not archived it yet
        ),
    ]


def _groups(demo: _Demo) -> list[Story]:
    """Each street's deputy group meets once, organised by the street's work committee."""
    stories = []
    for n, street in enumerate(demo.streets):
        month, day = GROUP_DAYS[n]
        group = demo.group(street)
        stories.append(
            Story(
                values=_fields(
                    ActivityKind.GROUP,
                    f"{group.name}{GROUP_TOPICS[n]}",
                    _d(month, day),
                    f"{street.name}辖区",
                    street=street,
                ),
                organiser=demo.street_user(street),
                created=_d(month, day) - timedelta(days=9),
                groups=[group],
            )
        )
    return stories


def _trainings(demo: _Demo) -> list[Story]:
    street = {s.name: s for s in demo.streets}
    four = ("智远街道", "舜华路街道", "姚家街道", "甸柳街道")
    return [
        Story(
            values=_fields(
                ActivityKind.TRAINING,
                "2026年区人大代表履职能力培训班",
                _d(3, 12),
                "区委党校",
                office=demo.offices[RDS],
                ends_at=time(17, 0),
                half_days=2,
                note="学习宪法、代表法和监督法，交流代表履职经验。",
            ),
            organiser=demo.staff(RDS),
            created=_d(2, 27),
            levels=[Level.DISTRICT],
        ),
        Story(
            values=_fields(
                ActivityKind.TRAINING,
                "代表建议撰写和办理知识专题培训",
                _d(5, 28),
                "区人大常委会机关第一会议室",
                office=demo.offices[RDS],
            ),
            organiser=demo.staff(RDS),
            created=_d(5, 15),
            groups=[demo.group(street[name]) for name in four],
        ),
    ]


def _cancelled(demo: _Demo) -> Story:
    street = next(s for s in demo.streets if s.name == "燕山街道")
    return Story(
        values=_fields(
            ActivityKind.VISIT,
            "视察汛期城市排涝设施运行情况",
            _d(7, 22),
            "燕山街道易涝点、排涝泵站",
            office=demo.offices[CHS],
        ),
        organiser=demo.staff(CHS),
        created=_d(7, 8),
        groups=[demo.group(street)],
        deputies=demo.of_level(Level.MUNICIPAL, 1, skip=14),
        cancelled_on=_d(7, 21),
        cancel_reason="受强降雨红色预警影响，为确保代表安全取消本次视察，择期另行安排。",
    )


def _ahead(demo: _Demo) -> list[Story]:
    """After TODAY: a visit and a training open for sign-up (a leave request waiting), and a
    group activity not yet open. (The last standing-committee meeting is ahead too.)"""
    street = {s.name: s for s in demo.streets}
    quancheng = street["泉城路街道"]
    return [
        Story(
            values=_fields(
                ActivityKind.VISIT,
                "视察冬季供暖保障工作",
                _d(12, 1),
                "舜华路街道供热站、居民小区",
                office=demo.offices[CHS],
                capacity=25,
            ),
            organiser=demo.staff(CHS),
            created=_d(11, 16),
            groups=[demo.group(street["舜华路街道"])],
            deputies=demo.of_level(Level.MUNICIPAL, 2, skip=15),
        ),
        Story(
            values=_fields(
                ActivityKind.TRAINING,
                "学习贯彻新修改的代表法专题培训",
                _d(12, 3),
                "区委党校",
                office=demo.offices[RDS],
            ),
            organiser=demo.staff(RDS),
            created=_d(11, 18),  # answered on TODAY: one leave request still waits
            groups=[demo.group(quancheng), demo.group(street["大明湖街道"])],
        ),
        Story(
            values=_fields(
                ActivityKind.GROUP,
                "泉城路街道代表小组年终述职评议活动",
                _d(12, 10),
                "泉城路街道代表联络站",
                street=quancheng,
            ),
            organiser=demo.street_user(quancheng),
            created=_d(11, 19),
            groups=[demo.group(quancheng)],
            opens=False,
        ),
    ]


def plan_stories(demo: _Demo) -> list[Story]:
    stories = [
        _session(demo),
        *_trainings(demo),
        *_standing_committee(demo),
        _inquiry_research(demo),
        _inspection_training(demo),
        *_office_visits(demo),
        *_groups(demo),
        _cancelled(demo),
        *_ahead(demo),
    ]
    # In the order they were created, as the year went.
    return sorted(stories, key=lambda s: (s.created, s.day))


def save_activities(*, accounts: dict[str, User]) -> dict[str, int]:
    """Build the year's activities; returns counts for the demo's summary."""
    demo = _Demo(accounts)
    for story in plan_stories(demo):
        _tell(demo, story)
    # People read their messages: only the last month's stay unread (as in the suggestions).
    Notification.objects.filter(created_at__lt=READ_BEFORE, read_at=None).update(
        read_at=F("created_at")
    )
    return _counts()


def _counts() -> dict[str, int]:
    statuses = Counter(Activity.objects.values_list("status", flat=True))
    invitations = Invitation.objects.all()
    return {
        "activities": sum(statuses.values()),
        **{f"activities_{status}": count for status, count in sorted(statuses.items())},
        "invitations": invitations.count(),
        "attended": invitations.filter(attendance=Invitation.Attendance.ATTENDED).count(),
        "absent": invitations.filter(attendance=Invitation.Attendance.ABSENT).count(),
        "leave_granted": invitations.filter(leave=Invitation.Leave.GRANTED).count(),
    }

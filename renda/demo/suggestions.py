"""The demo session's deputies' suggestions (区十八届人大五次会议): about 250 suggestions written
from the corpus, each taken through the real actions as of the day each move happened, so states,
numbers, deadlines and timelines are exactly what the workflow itself produces.

`plan_suggestions` is a pure function of its random generator and the demo's other plans (no
clock, no database): every suggestion with the dated moves of its history (`Step`s).
`save_suggestions` creates the acting users and replays all the moves in date order through
renda.suggestions.actions, each inside `actions.as_of(day)`."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db.models import F
from django.utils.timezone import make_aware

from renda.core.calendar import WorkCalendar, add_months
from renda.core.models import Notification, Office, Role, RoleMembership, Unit, User
from renda.demo import suggestion_texts as texts
from renda.demo.accounts import DEMO_ACCOUNTS, RESERVED_NAMES
from renda.demo.meetings import DIRECTOR_AGENDA, MeetingSpec
from renda.demo.organisation import STREETS, UNITS
from renda.demo.people import DeputySpec
from renda.deputies.models import Deputy, Level
from renda.meetings.models import Meeting
from renda.suggestions import actions
from renda.suggestions.actions import AnswerDraft, AssignmentPlan
from renda.suggestions.defaults import ensure_default_taxonomies
from renda.suggestions.models import (
    Answer,
    AnswerCategory,
    Assignment,
    Category,
    Extension,
    Satisfaction,
    Status,
    Suggestion,
)

# Nothing happens after this day; the demo is looked at a week later (2026-11-27), when the
# suggestions assigned in the summer and still unanswered are overdue.
LAST_DAY = date(2026, 11, 20)
# Messages older than this are marked read when the demo is built.
READ_BEFORE = make_aware(datetime(2026, 11, 1))
SESSION_DAYS = 4  # the session sits four days from its opening
ASSIGNMENT_MEETING_AFTER = timedelta(days=19)  # the 交办会, two to three weeks after the session
# The office publishes answered suggestions in batches (SD 27).
PUBLISH_DAYS = (date(2026, 6, 15), date(2026, 9, 15), date(2026, 11, 16))

OFFICE_ACCOUNT = "daibiaoshi"
LEADER_ACCOUNTS = ("zhuren", "mishuzhang")
# Users the demo creates for the deputies and units that have no demo log-in (not loginable).
DEPUTY_USER_PREFIX, UNIT_USER_PREFIX = "deputy-", "unit-"
DEPUTY_USERNAME = DEPUTY_USER_PREFIX + "{:03d}"
UNIT_USERNAME = UNIT_USER_PREFIX + "{:02d}"

DURING = Suggestion.Timing.DURING_SESSION.value
BETWEEN = Suggestion.Timing.BETWEEN_SESSIONS.value
LEAD_MODE = Suggestion.Mode.LEAD.value
SEPARATE_MODE = Suggestion.Mode.SEPARATE.value
ZHUJIAN = "区住房和城乡建设局"
CHENGGUAN = "区城市管理局"
TRANSPORT = "区交通运输局"
EDUCATION = "区教育和体育局"
POLICE = "公安泉城分局"

SATISFIED = Satisfaction.SATISFIED.value
BASICALLY = Satisfaction.BASICALLY.value
NOT_SATISFIED = Satisfaction.NOT_SATISFIED.value

# The office's own notes (the corpus holds the deputies' and the units' texts).
CONVERT_NOTE = (
    "经审查，该议案所提事项属于区人民政府职责范围内的具体工作，不具备议案的法定要件，"
    "经与领衔代表沟通同意，转为建议办理。"
)
CONFIDENTIAL_REASON = "建议内容涉及未成年人个人信息，依照有关规定不予公开。"
RETURN_REASON = "答复未针对建议中提出的具体问题，且答复前未与代表沟通，请与代表面商后重新办理答复。"
CORRECT_NOTE = "答复所述工程尚未全部完工，按实际办理情况应标为B类，列入跟踪落实。"
INSIST_NOTE = (
    "该建议主要涉及学校接送时段的组织管理和校门周边空间利用，属教育和体育部门职责，"
    "公安泉城分局作为协办单位配合办理，请按期签收办理。"
)
REASSIGN_NOTE = "经核实，该路段的管理养护属区城市管理局职责，同意调整，改由区城市管理局主办。"
EXTENSION_APPROVED_NOTE = "同意延期，请抓紧办理，并及时向代表通报办理进展。"
EXTENSION_REFUSED_NOTE = (
    "该建议所涉事项已明确责任单位和实施方案，不属于涉及面广、处理难度大的情形，请在原期限内答复。"
)
CLOSE_AFTER_FOLLOW_UP = "承办单位已报告落实情况，建议所提问题已经解决，予以办结。"
CLOSE_UNRATED = "代表逾期未反馈评价意见，经电话联系确认无异议，予以办结。"
KEY_NOTE = "经主任会议研究，列为本次会议重点督办建议。"
KEY_OFFICES = {
    "城乡建设": "城建环保工作室",
    "交通": "城建环保工作室",
    "生态环境": "城建环保工作室",
    "教育": "社会建设工作室",
    "医疗卫生": "社会建设工作室",
    "社会保障": "社会建设工作室",
    "经济发展": "财经工作室",
    "政法": "法制工作室",
    "其他": "人事代表工作室",
}

# Names for the units' signing heads and contact people.
_SURNAMES = "王张李刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
_GIVEN = (
    "伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "明", "刚", "辉", "鹏", "华", "峰", "建国",
    "建华", "志强", "志刚", "海涛", "晓东", "红梅", "丽娟", "玉兰", "静", "敏", "燕", "娟", "霞",
    "立新", "卫东", "文博", "世杰", "振华", "庆国", "德利", "秀芳", "春生", "永刚",
)  # fmt: skip
# A title gets "进一步" in a second deputy's version, unless it would read badly.
_NO_FURTHER = ("进一步", "持续", "深入", "在", "新建", "打通", "根治")


@dataclass(frozen=True)
class Step:
    """One move in a suggestion's history, on the day it happened. `move` names the action;
    `args` are its particulars (unit, text, answer category…) as (name, value) pairs."""

    day: date
    move: str
    args: tuple[tuple[str, Any], ...] = ()

    def arg(self, name: str, default: Any = None) -> Any:
        return dict(self.args).get(name, default)


@dataclass(frozen=True)
class SuggestionSpec:
    key: int  # position in the plan
    story: str  # the path it takes (see STORIES)
    title: str
    content: str
    category: str
    kind: str
    timing: str
    deputy: int  # index into the deputies plan
    cosigners: tuple[int, ...]
    wants_face_to_face: bool
    by_office: bool  # entered by the office on the deputy's behalf
    mode: str
    lead_unit: str
    co_units: tuple[str, ...]
    separate_units: tuple[str, ...]
    difficult: bool
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class UnitContact:
    unit: str
    signer: str
    contact_person: str
    contact_phone: str


@dataclass(frozen=True)
class SuggestionsPlan:
    suggestions: tuple[SuggestionSpec, ...]
    units: tuple[UnitContact, ...]
    session_day: date
    assignment_meeting: date
    key_day: date


# Each path: when it was submitted, how many take it, and the state it ends in. The counts add up
# to the session's 250 suggestions.
STORIES: dict[str, tuple[str, int, str]] = {
    # submitted during the session, assigned at the 交办会
    "closed": (DURING, 99, Status.CLOSED),
    "closed_after_follow_up": (DURING, 10, Status.CLOSED),
    "closed_by_office": (DURING, 6, Status.CLOSED),
    "closed_after_not_satisfied": (DURING, 6, Status.CLOSED),
    "follow_up_after_not_satisfied": (DURING, 2, Status.FOLLOW_UP),
    "follow_up": (DURING, 26, Status.FOLLOW_UP),
    "answered_follow_up": (DURING, 4, Status.ANSWERED),
    "rehandling": (DURING, 3, Status.HANDLING),
    "rehandled_answered": (DURING, 2, Status.ANSWERED),
    "escalated": (DURING, 2, Status.HANDLING),
    "escalated_answered": (DURING, 1, Status.ANSWERED),
    "session_overdue": (DURING, 4, Status.HANDLING),
    "declined": (DURING, 3, Status.DECLINED),
    "merged": (DURING, 4, Status.MERGED),
    "motion_converted": (DURING, 1, Status.FOLLOW_UP),
    "returned": (DURING, 1, Status.CLOSED),
    "corrected": (DURING, 1, Status.FOLLOW_UP),
    # submitted between sessions, assigned one by one
    "between_closed": (BETWEEN, 12, Status.CLOSED),
    "between_follow_up": (BETWEEN, 4, Status.FOLLOW_UP),
    "overdue": (BETWEEN, 7, Status.HANDLING),
    "handling": (BETWEEN, 14, Status.HANDLING),
    "extension_approved": (BETWEEN, 2, Status.HANDLING),
    "extension_refused": (BETWEEN, 1, Status.HANDLING),
    "extension_pending": (BETWEEN, 1, Status.HANDLING),
    "answered": (BETWEEN, 8, Status.ANSWERED),
    "assigned": (BETWEEN, 5, Status.ASSIGNED),
    "adjust_pending": (BETWEEN, 1, Status.ASSIGNED),
    "insisted": (BETWEEN, 1, Status.ASSIGNED),
    "reassigned": (BETWEEN, 1, Status.ASSIGNED),
    "accepted": (BETWEEN, 5, Status.ACCEPTED),
    "submitted": (BETWEEN, 6, Status.SUBMITTED),
    "motion_submitted": (BETWEEN, 1, Status.SUBMITTED),
    "between_declined": (BETWEEN, 1, Status.DECLINED),
    "draft": (BETWEEN, 5, Status.DRAFT),
}
# Paths whose dates assume the ordinary 3-month deadline.
_NOT_DIFFICULT = {
    "overdue",
    "extension_approved",
    "extension_refused",
    "extension_pending",
    "returned",
    "corrected",
}
# How many of each path the leaders flag as key suggestions (重点督办): ten in all.
KEY_PICKS = {
    "session_overdue": 2,
    "escalated": 1,
    "motion_converted": 1,
    "follow_up": 2,
    "closed": 2,
    "answered_follow_up": 1,
    "closed_after_follow_up": 1,
}


@dataclass(frozen=True)
class _Want:
    """What one planned suggestion must be: its path and any fixed particulars."""

    story: str
    title: str = ""  # a phrase of the corpus title to use
    lead: str = ""  # the lead unit the corpus gives
    account: str = ""  # the demo log-in that is the lead deputy
    separate: bool = False
    confidential: bool = False
    invite: str = ""  # a demo log-in invited to co-sign, not yet replied
    pending_cosign: bool = False
    by_office: bool = False
    copies: int = 1


# Particular suggestions, so that every demo log-in has work on its home page.
SPECIFIC: tuple[_Want, ...] = (
    # 刘雪梅 (daibiao): an answer to rate, a co-sign invitation, drafts, several states.
    _Want("answered_follow_up", title="泉城路街道老旧小区改造", account="daibiao"),
    _Want("closed", title="老旧小区停车难", account="daibiao"),
    _Want("handling", title="盘活闲置国有资产", account="daibiao"),
    _Want("draft", title="餐饮油烟", account="daibiao"),
    _Want("draft", title="快递驿站", account="daibiao"),
    _Want("submitted", invite="daibiao"),
    # 孙立新 (duozhi), staff and deputy.
    _Want("answered", account="duozhi"),
    _Want("closed", account="duozhi"),
    # The two units with log-ins: items to sign, to answer, overdue.
    _Want("assigned", lead=ZHUJIAN, copies=2),
    _Want("assigned", lead=CHENGGUAN),
    _Want("assigned", lead=CHENGGUAN, separate=True),
    _Want("assigned", separate=True),
    _Want("overdue", lead=ZHUJIAN, copies=2),
    _Want("overdue", lead=CHENGGUAN, copies=2),
    _Want("handling", lead=ZHUJIAN, copies=2),
    _Want("handling", lead=CHENGGUAN, copies=2),
    _Want("answered", lead=ZHUJIAN),
    _Want("answered", lead=CHENGGUAN),
    # The office's decisions on adjustments; motions.
    _Want("adjust_pending", title="修复龙洞街道辖区破损道路"),
    _Want("reassigned", title="背街小巷道路破损"),
    _Want("insisted", title="家长接送临时停车区"),
    _Want("motion_converted", title="雨污分流"),
    _Want("motion_submitted", title="九年一贯制学校"),
    # Variety: separate handling, confidential, entered on the deputy's behalf.
    _Want("closed", separate=True, copies=3),
    _Want("closed", title="困境儿童", confidential=True),
    _Want("closed", title="未成年人司法保护", confidential=True),
    _Want("submitted", pending_cosign=True, copies=2),
    _Want("submitted", by_office=True),
    _Want("draft", by_office=True),
)


# ---------------------------------------------------------------------------------------------
# Planning (pure)


@dataclass
class _Context:
    rng: random.Random
    calendar: WorkCalendar
    session: date
    assignment_meeting: date
    key_day: date
    # The holiday package is slow per call; the plan asks about the same days thousands of times.
    _workdays: dict[date, bool] = field(default_factory=dict)

    def is_workday(self, day: date) -> bool:
        known = self._workdays.get(day)
        if known is None:
            known = self._workdays[day] = self.calendar.is_workday(day)
        return known

    def workday(self, day: date) -> date:
        while not self.is_workday(day):
            day += timedelta(days=1)
        return day

    def after(self, day: date, low: int, high: int) -> date:
        """A working day some `low`..`high` days after `day`."""
        return self.workday(day + timedelta(days=self.rng.randint(low, high)))

    def workdays(self, first: date, last: date) -> list[date]:
        days = (first + timedelta(days=i) for i in range((last - first).days + 1))
        return [d for d in days if self.is_workday(d)]

    def between(self, first: date, last: date) -> date:
        """A random working day in [first, last] (the first working day from `first` if none)."""
        usable = self.workdays(first, last)
        return self.rng.choice(usable) if usable else self.workday(first)


@dataclass
class _Draft:
    """A suggestion while being planned (mutable)."""

    want: _Want
    nth: int  # position among the plan's suggestions of the same path
    template: texts.SuggestionText
    title: str
    content: str
    deputy: int
    street: str
    cosigners: tuple[int, ...] = ()
    wants_face_to_face: bool = False
    key: bool = False
    steps: list[Step] = field(default_factory=list)


class _Story:
    """Writes the dated moves of one suggestion; the path functions below drive it."""

    def __init__(self, ctx: _Context, draft: _Draft) -> None:
        self.ctx, self.rng, self.draft = ctx, ctx.rng, draft
        t = draft.template
        self.difficult = t.difficult and draft.want.story not in _NOT_DIFFICULT
        self.mode = SEPARATE_MODE if draft.want.separate else LEAD_MODE
        self.lead = t.lead_unit
        self.co_units = t.co_units
        self.separate_units: tuple[str, ...] = ()
        if draft.want.separate:
            self.separate_units = (t.lead_unit, t.co_units[0])
            self.lead, self.co_units = "", ()
        self.signed: dict[str, date] = {}
        self.contact_unit = ""
        self.assigned_on: date | None = None
        self.accepted_on: date | None = None

    def add(self, day: date, move: str, **args: Any) -> date:
        self.draft.steps.append(Step(day=day, move=move, args=tuple(args.items())))
        return day

    # -- who --------------------------------------------------------------------------------

    def units(self) -> tuple[str, ...]:
        return self.separate_units or (self.lead, *self.co_units)

    def answering(self) -> tuple[str, ...]:
        return self.separate_units or (self.lead,)

    # -- submission and review --------------------------------------------------------------

    def submit(self, submitted: date, *, pending: Sequence[int] = ()) -> date:
        """Draft, submit and the co-signers' replies; returns the day the last one replied."""
        drafted = submitted - timedelta(days=self.rng.randint(0, 6))
        self.add(drafted, "draft")
        self.add(submitted, "submit")
        last = submitted
        for deputy in self.draft.cosigners:
            if deputy in pending:
                continue
            day = min(submitted + timedelta(days=self.rng.randint(0, 2)), max(submitted, LAST_DAY))
            self.add(day, "cosign", deputy=deputy, confirm=self.rng.random() < 0.9)
            last = max(last, day)
        return last

    def accept(self, day: date) -> date:
        self.accepted_on = self.add(day, "accept")
        if self.draft.want.confidential:
            self.add(self.ctx.after(day, 1, 2), "confidential", reason=CONFIDENTIAL_REASON)
        return day

    def session_accepted(self) -> date:
        ctx = self.ctx
        submitted = ctx.session + timedelta(days=self.rng.randint(0, SESSION_DAYS - 1))
        last = self.submit(submitted)
        first = max(last + timedelta(days=1), ctx.session + timedelta(days=4))
        return self.accept(ctx.between(first, ctx.session + timedelta(days=12)))

    def between_accepted(self, accepted: date) -> date:
        """Submitted some days before `accepted` (a working day), then accepted on it."""
        submitted = accepted - timedelta(days=self.rng.randint(3, 8))
        self.submit(submitted)
        return self.accept(accepted)

    # -- assignment and signing -------------------------------------------------------------

    def assign(self, day: date, *, batch: bool = False) -> date:
        self.assigned_on = self.add(day, "assign", batch=batch)
        return day

    def sign(self, units: Sequence[str]) -> None:
        assert self.assigned_on is not None
        for unit in units:
            self.signed[unit] = self.add(self.ctx.after(self.assigned_on, 1, 4), "sign", unit=unit)

    def sign_all(self) -> date:
        """Every unit signs within a few days; returns the day handling starts."""
        self.sign(self.units())
        start = min(self.signed[u] for u in self.answering())
        self.contact_unit = next(u for u in self.answering() if self.signed[u] == start)
        return start

    def session_start(self) -> date:
        """Submitted in the session, accepted, assigned at the 交办会, signed for."""
        self.session_accepted()
        self.assign(self.ctx.assignment_meeting, batch=True)
        return self.sign_all()

    def between_start(self, assigned: date) -> date:
        accepted = self.ctx.workday(assigned - timedelta(days=self.rng.randint(4, 12)))
        self.between_accepted(accepted)
        self.assign(assigned)
        return self.sign_all()

    # -- handling ---------------------------------------------------------------------------

    def contact(self, day: date, stage: str) -> date:
        note = self.rng.choice(texts.CONTACT_NOTES[stage])
        return self.add(day, "contact", unit=self.contact_unit, stage=stage,
                        method=_contact_method(note), summary=note)  # fmt: skip

    def handle(self, start: date, until: date, *, missing_opinions: int = 0) -> None:
        """Contacts with the deputy and the co-units' opinions, after `start`, before `until`."""
        ctx, last = self.ctx, until - timedelta(days=1)
        early = ctx.workdays(start + timedelta(days=1), min(last, start + timedelta(days=20)))
        if early and self.rng.random() < 0.6:
            self.contact(self.rng.choice(early), "before")
        giving = self.co_units[: len(self.co_units) - missing_opinions]
        for unit in giving:
            first = max(start, self.signed[unit]) + timedelta(days=1)
            day = ctx.between(first, min(last, first + timedelta(days=28)))
            text = texts.format_answer(self.rng.choice(texts.CO_UNIT_OPINIONS), title=self.title)
            self.add(day, "opinion", unit=unit, text=text)
        later = ctx.workdays(start + timedelta(days=21), last)
        if later and self.rng.random() < 0.4:
            self.contact(self.rng.choice(later), "during")

    @property
    def title(self) -> str:
        return self.draft.title

    # -- answers and ratings ----------------------------------------------------------------

    def answer(self, day: date, code: str, *, face: bool = False, report: bool = False) -> date:
        """The answering unit(s) answer; returns the day the last one did."""
        last = day
        for i, unit in enumerate(self.answering()):
            on = day if i == 0 else self.ctx.after(day, 0, 3)
            pool = texts.FOLLOW_UP_REPORTS if report else texts.ANSWER_TEXTS[code]
            text = texts.format_answer(self.rng.choice(pool), title=self.title)
            self.add(on, "answer", unit=unit, code=code, text=text, face=face)
            last = max(last, on)
        return last

    def rate(self, day: date, code: str, *, satisfied: bool = True) -> date:
        if satisfied:
            attitude = SATISFIED if self.rng.random() < 0.85 else BASICALLY
            share = {"A": 0.75, "B": 0.55, "C": 0.35, "D": 0.3}[code]
            result = SATISFIED if self.rng.random() < share else BASICALLY
            comment = ""
        else:
            attitude = NOT_SATISFIED if self.rng.random() < 0.35 else BASICALLY
            result = NOT_SATISFIED
            comment = self.rng.choice(texts.NOT_SATISFIED_COMMENTS)
        return self.add(day, "rate", attitude=attitude, result=result, comment=comment)

    def answered(self, day: date, code: str, *, rate: bool = True, satisfied: bool = True) -> date:
        """Answer (face to face where the deputy asked), perhaps a contact after, the rating."""
        face = self.draft.wants_face_to_face and not self.separate_units
        day = self.answer(day, code, face=face)
        if face:
            day = self.add(self.ctx.after(day, 1, 5), "confirm")
        if self.rng.random() < 0.3:
            day = self.contact(self.ctx.after(day, 1, 5), "after")
        if rate:
            day = self.rate(self.ctx.after(day, 3, 18), code, satisfied=satisfied)
        return day

    def report(self, first: date, last: date) -> date:
        """A follow-up item is actually solved: the unit answers again (A)."""
        return self.answer(self.ctx.between(first, last), "A", report=True)

    def session_answer_day(self) -> date:
        ctx, start = self.ctx, self.ctx.assignment_meeting
        if self.difficult:
            return ctx.between(start + timedelta(days=95), start + timedelta(days=170))
        if self.rng.random() < 0.08:  # a few late answers: 按期答复率 below 100%
            return ctx.between(start + timedelta(days=92), start + timedelta(days=115))
        return ctx.between(start + timedelta(days=35), start + timedelta(days=86))

    def first_code(self, *, solved: bool) -> str:
        if solved:
            return "A" if self.rng.random() < 0.8 else "D"
        return "B" if self.rng.random() < 0.7 else "C"


def _contact_method(note: str) -> str:
    """How the contact the corpus note describes was made."""
    for word, method in (("电话", "phone"), ("现场", "site"), ("微信", "other")):
        if word in note:
            return method
    return "face"


def _d(month: int, day: int) -> date:
    return date(2026, month, day)


# -- paths of suggestions submitted during the session --------------------------------------


def _closed(s: _Story) -> None:
    start = s.session_start()
    answered = s.session_answer_day()
    s.handle(start, answered)
    s.answered(answered, s.first_code(solved=True))


def _follow_up(s: _Story) -> None:
    start = s.session_start()
    answered = s.session_answer_day()
    s.handle(start, answered)
    s.answered(answered, s.first_code(solved=False))


def _closed_after_follow_up(s: _Story) -> None:
    _follow_up(s)
    day = s.report(_d(8, 20), _d(10, 30))
    s.rate(s.ctx.after(day, 5, 18), "A")


def _closed_by_office(s: _Story) -> None:
    if s.draft.nth < 4:
        _follow_up(s)
        day = s.report(_d(8, 20), _d(10, 30))
        s.add(s.ctx.after(day, 5, 15), "close", note=CLOSE_AFTER_FOLLOW_UP)
        return
    start = s.session_start()
    answered = s.session_answer_day()
    s.handle(start, answered)
    day = s.answered(answered, "A", rate=False)
    s.add(s.ctx.after(day, 35, 50), "close", note=CLOSE_UNRATED)


def _rehandle(s: _Story, rated: date, *, last: date = LAST_DAY) -> date:
    """After 不满意: the unit hears the deputy again and answers within the month."""
    contact = s.contact(s.ctx.after(rated, 1, 5), "during")
    return s.ctx.between(contact + timedelta(days=3), min(last, rated + timedelta(days=28)))


def _after_not_satisfied(s: _Story, code: str) -> None:
    """Rated 不满意, handled again, answered again and rated (A: closed, B: follow-up)."""
    start = s.session_start()
    answered = s.session_answer_day()
    s.handle(start, answered)
    rated = s.answered(answered, s.rng.choice("ABC"), satisfied=False)
    s.answered(_rehandle(s, rated), code)


def _closed_after_not_satisfied(s: _Story) -> None:
    _after_not_satisfied(s, "A")


def _follow_up_after_not_satisfied(s: _Story) -> None:
    _after_not_satisfied(s, "B")


def _answered_follow_up(s: _Story) -> None:
    _follow_up(s)
    s.report(_d(11, 2), _d(11, 18))


def _rehandling(s: _Story) -> None:
    start = s.session_start()
    answered = s.ctx.between(_d(9, 21), _d(10, 16))
    s.handle(start, answered)
    s.answer(answered, "B")
    s.rate(s.ctx.between(_d(10, 26), _d(11, 13)), "B", satisfied=False)


def _rehandled_answered(s: _Story) -> None:
    start = s.session_start()
    answered = s.ctx.between(_d(8, 24), _d(9, 18))
    s.handle(start, answered)
    s.answer(answered, "C")
    rated = s.rate(s.ctx.between(_d(10, 8), _d(10, 20)), "C", satisfied=False)
    s.answer(_rehandle(s, rated, last=_d(11, 18)), "B")


def _two_not_satisfied(s: _Story, answered: date, second: tuple[date, date] | None) -> date:
    """Rated 不满意, answered again, rated 不满意 again (within `second` when given)."""
    rated = s.answered(answered, "C", satisfied=False)
    again = _rehandle(s, rated, last=second[1] - timedelta(days=5) if second else LAST_DAY)
    s.answer(again, "C")
    if second is None:
        return s.rate(s.ctx.after(again, 7, 15), "C", satisfied=False)
    first = max(second[0], again + timedelta(days=3))
    return s.rate(s.ctx.between(first, second[1]), "C", satisfied=False)


def _escalated(s: _Story) -> None:
    """Two 不满意 in a row: reported to the leaders, handled again (the first overdue)."""
    start = s.session_start()
    if s.draft.nth == 0:
        answered = s.ctx.between(_d(3, 16), _d(4, 20))
        s.handle(start, answered)
        _two_not_satisfied(s, answered, None)
    else:
        # Late in the year, so that handling it again is not yet overdue.
        answered = s.ctx.between(_d(9, 14), _d(9, 24))
        s.handle(start, answered)
        _two_not_satisfied(s, answered, (_d(10, 28), _d(11, 18)))


def _escalated_answered(s: _Story) -> None:
    start = s.session_start()
    answered = s.ctx.between(_d(3, 16), _d(4, 20))
    s.handle(start, answered)
    rated = _two_not_satisfied(s, answered, None)
    s.contact(s.ctx.after(rated, 2, 10), "during")
    s.answer(s.ctx.between(_d(11, 2), _d(11, 18)), "B")


def _session_overdue(s: _Story) -> None:
    """Still unanswered in November: past the 3 (or 6) months, some with an extension."""
    start = s.session_start()
    s.handle(start, LAST_DAY, missing_opinions=1 if s.draft.nth % 2 == 0 else 0)
    if not s.difficult:
        requested = s.ctx.between(_d(4, 8), _d(4, 20))
        s.add(requested, "request_extension", unit=s.answering()[0],
              new_due=add_months(s.ctx.assignment_meeting, 5),
              reason=s.rng.choice(texts.EXTENSION_REASONS))  # fmt: skip
        s.add(s.ctx.after(requested, 1, 3), "decide_extension", approve=True,
              note=EXTENSION_APPROVED_NOTE)  # fmt: skip
    s.contact(s.ctx.between(_d(10, 12), _d(11, 13)), "during")


def _declined(s: _Story) -> None:
    ctx = s.ctx
    submitted = ctx.session + timedelta(days=s.rng.randint(0, SESSION_DAYS - 1))
    last = s.submit(submitted)
    day = ctx.between(max(last + timedelta(days=1), ctx.session + timedelta(5)),
                      ctx.session + timedelta(12))  # fmt: skip
    s.add(day, "decline", reason=s.rng.choice(texts.DECLINE_REASONS))


def _motion_converted(s: _Story) -> None:
    ctx = s.ctx
    submitted = ctx.session + timedelta(days=s.rng.randint(0, 1))
    last = s.submit(submitted)
    converted = ctx.between(max(last + timedelta(days=1), ctx.session + timedelta(4)),
                            ctx.session + timedelta(8))  # fmt: skip
    s.add(converted, "convert", note=CONVERT_NOTE)
    s.accept(ctx.after(converted, 1, 2))
    s.assign(ctx.assignment_meeting, batch=True)
    start = s.sign_all()
    answered = s.session_answer_day()
    s.handle(start, answered)
    s.answered(answered, "B")


def _returned(s: _Story) -> None:
    """The office sends an answer back for redrafting; the unit hears the deputy, answers again."""
    start = s.session_start()
    answered = s.ctx.between(s.ctx.assignment_meeting + timedelta(35), _d(3, 31))
    s.handle(start, answered)
    day = s.answer(answered, "A")
    day = s.add(s.ctx.after(day, 3, 8), "return", reason=RETURN_REASON)
    day = s.contact(s.ctx.after(day, 2, 6), "during")
    s.answered(s.ctx.after(day, 5, 12), "A")


def _corrected(s: _Story) -> None:
    """The unit marks A, the office corrects it to B: the item goes under follow-up."""
    start = s.session_start()
    answered = s.ctx.between(s.ctx.assignment_meeting + timedelta(35), _d(4, 15))
    s.handle(start, answered)
    day = s.answer(answered, "A")
    day = s.add(s.ctx.after(day, 2, 6), "correct", code="B", note=CORRECT_NOTE)
    s.rate(s.ctx.after(day, 5, 15), "B")


# -- paths of suggestions submitted between sessions ----------------------------------------


def _between_closed(s: _Story) -> None:
    start = s.between_start(s.ctx.between(_d(3, 2), _d(5, 29)))
    answered = s.ctx.after(start, 30, 75)
    s.handle(start, answered)
    s.answered(answered, s.first_code(solved=True))


def _between_follow_up(s: _Story) -> None:
    start = s.between_start(s.ctx.between(_d(3, 2), _d(5, 15)))
    answered = s.ctx.after(start, 30, 75)
    s.handle(start, answered)
    s.answered(answered, s.first_code(solved=False))


def _overdue(s: _Story) -> None:
    """Assigned in the summer, due in September or October, still unanswered."""
    start = s.between_start(s.ctx.between(_d(6, 1), _d(7, 20)))
    s.handle(start, LAST_DAY, missing_opinions=s.draft.nth % 2)
    s.contact(s.ctx.between(_d(10, 20), _d(11, 18)), "during")


def _handling(s: _Story) -> None:
    start = s.between_start(s.ctx.between(_d(9, 1), _d(10, 30)))
    s.handle(start, LAST_DAY, missing_opinions=1 if s.draft.nth % 3 == 0 else 0)


def _extension(s: _Story, assigned: tuple[date, date], requested: tuple[date, date]) -> date:
    start = s.between_start(s.ctx.between(*assigned))
    s.handle(start, requested[0])
    day = s.ctx.between(*requested)
    assert s.assigned_on is not None
    s.add(day, "request_extension", unit=s.answering()[0], new_due=add_months(s.assigned_on, 5),
          reason=s.rng.choice(texts.EXTENSION_REASONS))  # fmt: skip
    return day


def _extension_approved(s: _Story) -> None:
    day = _extension(s, (_d(8, 3), _d(8, 20)), (_d(10, 15), _d(10, 30)))
    s.add(s.ctx.after(day, 1, 3), "decide_extension", approve=True, note=EXTENSION_APPROVED_NOTE)


def _extension_refused(s: _Story) -> None:
    day = _extension(s, (_d(8, 10), _d(8, 24)), (_d(10, 26), _d(11, 5)))
    s.add(s.ctx.after(day, 1, 3), "decide_extension", approve=False, note=EXTENSION_REFUSED_NOTE)


def _extension_pending(s: _Story) -> None:
    _extension(s, (_d(9, 1), _d(9, 18)), (_d(11, 16), _d(11, 19)))


def _answered(s: _Story) -> None:
    """Answered in the last weeks; the deputy has not rated yet (one face-to-face answer still
    waits for the deputy's confirmation)."""
    start = s.between_start(s.ctx.between(_d(7, 1), _d(9, 10)))
    answered = s.ctx.between(_d(10, 20), _d(11, 18))
    s.handle(start, answered)
    s.answer(answered, s.rng.choice("AABC"), face=s.draft.nth == 0 and not s.separate_units)


def _assigned(s: _Story) -> None:
    assigned = s.ctx.between(_d(11, 13), _d(11, 20))
    accepted = s.ctx.workday(assigned - timedelta(days=s.rng.randint(4, 9)))
    s.between_accepted(accepted)
    s.assign(assigned)
    if s.co_units and assigned <= _d(11, 16) and s.rng.random() < 0.5:
        s.sign(s.co_units[:1])  # a co-unit signs first; the lead has not yet


def _adjustment(s: _Story, *, assigned: tuple[date, date]) -> tuple[date, str]:
    day = s.ctx.between(*assigned)
    accepted = s.ctx.workday(day - timedelta(days=s.rng.randint(4, 9)))
    s.between_accepted(accepted)
    s.assign(day)
    return s.ctx.after(day, 1, 3), s.lead


def _adjust_pending(s: _Story) -> None:
    s.lead, s.co_units = TRANSPORT, ()  # the office's first choice; the roads are 城管's
    day, unit = _adjustment(s, assigned=(_d(11, 12), _d(11, 16)))
    s.add(day, "adjust", unit=unit, reason=texts.ADJUST_REASONS[0])


def _reassigned(s: _Story) -> None:
    s.lead, s.co_units = TRANSPORT, ()
    day, unit = _adjustment(s, assigned=(_d(11, 5), _d(11, 10)))
    s.add(day, "adjust", unit=unit, reason=texts.ADJUST_REASONS[0])
    s.add(s.ctx.after(day, 1, 3), "reassign", unit=unit, target=CHENGGUAN, note=REASSIGN_NOTE)


def _insisted(s: _Story) -> None:
    s.lead, s.co_units = EDUCATION, (POLICE,)
    day, unit = _adjustment(s, assigned=(_d(11, 5), _d(11, 10)))
    s.add(day, "adjust", unit=unit, reason=texts.ADJUST_REASONS[3])
    s.add(s.ctx.after(day, 1, 3), "insist", unit=unit, note=INSIST_NOTE)


def _accepted(s: _Story) -> None:
    s.between_accepted(s.ctx.between(_d(11, 10), _d(11, 20)))


def _submitted(s: _Story) -> None:
    pending = s.draft.cosigners if s.draft.want.pending_cosign else ()
    if s.draft.want.invite:
        pending = s.draft.cosigners[:1]  # the invited demo deputy has not replied yet
    s.submit(s.ctx.between(_d(11, 12), _d(11, 20)), pending=pending)


def _motion_submitted(s: _Story) -> None:
    s.submit(s.ctx.between(_d(11, 16), _d(11, 20)))


def _between_declined(s: _Story) -> None:
    last = s.submit(s.ctx.between(_d(6, 1), _d(6, 19)))
    s.add(s.ctx.after(last, 3, 8), "decline", reason=s.rng.choice(texts.DECLINE_REASONS))


def _draft(s: _Story) -> None:
    s.add(s.ctx.between(_d(11, 2), _d(11, 20)), "draft")


PATHS = {
    "closed": _closed,
    "closed_after_follow_up": _closed_after_follow_up,
    "closed_by_office": _closed_by_office,
    "closed_after_not_satisfied": _closed_after_not_satisfied,
    "follow_up_after_not_satisfied": _follow_up_after_not_satisfied,
    "follow_up": _follow_up,
    "answered_follow_up": _answered_follow_up,
    "rehandling": _rehandling,
    "rehandled_answered": _rehandled_answered,
    "escalated": _escalated,
    "escalated_answered": _escalated_answered,
    "session_overdue": _session_overdue,
    "declined": _declined,
    "motion_converted": _motion_converted,
    "returned": _returned,
    "corrected": _corrected,
    "between_closed": _between_closed,
    "between_follow_up": _between_follow_up,
    "overdue": _overdue,
    "handling": _handling,
    "extension_approved": _extension_approved,
    "extension_refused": _extension_refused,
    "extension_pending": _extension_pending,
    "answered": _answered,
    "assigned": _assigned,
    "adjust_pending": _adjust_pending,
    "insisted": _insisted,
    "reassigned": _reassigned,
    "accepted": _accepted,
    "submitted": _submitted,
    "motion_submitted": _motion_submitted,
    "between_declined": _between_declined,
    "draft": _draft,
}


# -- choosing texts and deputies ------------------------------------------------------------


def _streets_in(template: texts.SuggestionText) -> list[str]:
    return [s for s in STREETS if s in template.title or s in template.content]


def _further(title: str) -> str:
    rest = title.removeprefix("关于")
    if rest == title or rest.startswith(_NO_FURTHER):
        return title
    return "关于进一步" + rest


def _text(template: texts.SuggestionText, *, second: bool, street: str) -> tuple[str, str]:
    """The corpus text; a second deputy's version moves it to their street or says 进一步."""
    title, content = template.title, template.content
    if not second:
        return title, content
    mentioned = _streets_in(template)
    if len(mentioned) == 1 and street != mentioned[0]:
        title = title.replace(mentioned[0], street)
        content = content.replace(mentioned[0], street)
    if title == template.title:
        title = _further(title)
    return title, content


class _Allocator:
    """Hands out corpus templates (each at most twice) and lead deputies."""

    def __init__(self, rng: random.Random, deputies: Sequence[DeputySpec]) -> None:
        self.rng = rng
        self.uses = {i: 0 for i, t in enumerate(texts.SUGGESTION_TEMPLATES)}
        self.accounts = {d.account: i for i, d in enumerate(deputies) if d.account}
        self.streets: dict[str, str] = {}  # account -> street
        pools: dict[str, list[int]] = defaultdict(list)
        for i, d in enumerate(deputies):
            seat = next(
                (m for m in d.mandates if m.level == Level.DISTRICT and m.ended_on is None), None
            )
            if seat is None:
                continue
            if d.account:
                self.streets[d.account] = seat.street
            else:
                pools[seat.street].append(i)
        self.pools = {}
        for street in STREETS:
            pool = list(pools[street])
            rng.shuffle(pool)
            self.pools[street] = pool  # the first few are the street's most active deputies

    def template(self, want: _Want, *, motion: bool, difficult_ok: bool) -> int:
        def fits(i: int) -> bool:
            t = texts.SUGGESTION_TEMPLATES[i]
            if self.uses[i] >= (1 if motion else 2) or t.motion != motion:
                return False
            if want.title:
                return want.title in t.title
            if want.lead and t.lead_unit != want.lead:
                return False
            if want.separate and not t.co_units:
                return False
            return difficult_ok or not t.difficult

        candidates = [i for i in self.uses if fits(i)]
        if not candidates:
            raise ValueError(f"演示语料中没有符合要求的建议：{want}")
        fewest = min(self.uses[i] for i in candidates)  # spread first uses over the corpus
        index = self.rng.choice([i for i in candidates if self.uses[i] == fewest])
        self.uses[index] += 1
        return index

    def deputy(self, street: str, *, exclude: Sequence[int] = ()) -> int:
        pool = [i for i in self.pools[street] if i not in exclude]
        weights = [4 if n < 5 else 1 for n in range(len(pool))]
        return self.rng.choices(pool, weights=weights)[0]

    def cosigners(self, street: str, lead: int) -> tuple[int, ...]:
        if self.rng.random() >= 0.3:
            return ()
        pool = [i for i in self.pools[street] if i != lead]
        return tuple(self.rng.sample(pool, self.rng.choice((1, 1, 1, 2, 2, 3))))

    def draft(self, want: _Want, nth: int) -> _Draft:
        motion = want.story.startswith("motion")
        index = self.template(want, motion=motion, difficult_ok=want.story not in _NOT_DIFFICULT)
        template = texts.SUGGESTION_TEMPLATES[index]
        second = self.uses[index] == 2
        mentioned = _streets_in(template)
        if want.account or want.invite:
            street = self.streets[want.account or want.invite]
        elif second and len(mentioned) == 1:
            street = self.rng.choice([s for s in STREETS if s != mentioned[0]])
        elif mentioned:
            street = self.rng.choice(mentioned)
        else:
            street = self.rng.choice(STREETS)
        title, content = _text(template, second=second, street=street)
        deputy = self.accounts[want.account] if want.account else self.deputy(street)
        cosigners = self.cosigners(street, deputy)
        if want.invite:
            others = [i for i in self.pools[street] if i != deputy]
            cosigners = (self.accounts[want.invite], self.rng.choice(others))
        elif want.pending_cosign and not cosigners:
            cosigners = (self.rng.choice([i for i in self.pools[street] if i != deputy]),)
        return _Draft(
            want=want,
            nth=nth,
            template=template,
            title=title,
            content=content,
            deputy=deputy,
            street=street,
            cosigners=cosigners,
            wants_face_to_face=self.rng.random() < 0.25,
        )


def _wants() -> list[_Want]:
    """The specific suggestions, then plain ones up to each path's count."""
    wants = [replace(w, copies=1) for w in SPECIFIC for _ in range(w.copies)]
    specific = Counter(w.story for w in wants)
    for story, (_, count, _) in STORIES.items():
        if story == "merged":
            continue
        if specific[story] > count:
            raise ValueError(f"{story}：特定建议多于计划数")
        wants += [_Want(story)] * (count - specific[story])
    return wants


def _session_days(meetings: Sequence[MeetingSpec]) -> tuple[date, date]:
    session = max(
        (m for m in meetings if m.kind == Meeting.Kind.CONGRESS), key=lambda m: m.number
    ).date
    key_day = next(
        m.date
        for m in meetings
        if m.kind == Meeting.Kind.DIRECTOR and m.note == DIRECTOR_AGENDA[(2, 1)]
    )
    return session, key_day


def plan_suggestions(
    *, rng: random.Random, deputies: Sequence[DeputySpec], meetings: Sequence[MeetingSpec]
) -> SuggestionsPlan:
    """The session's suggestions and their histories; a pure function of the generator."""
    calendar = WorkCalendar()  # the holiday package only: planning must not read the database
    session, key_day = _session_days(meetings)
    ctx = _Context(
        rng=rng,
        calendar=calendar,
        session=session,
        assignment_meeting=_first_workday(calendar, session + ASSIGNMENT_MEETING_AFTER),
        key_day=key_day,
    )
    units = _unit_contacts(rng)
    allocator = _Allocator(rng, deputies)
    seen: Counter[str] = Counter()
    drafts: list[_Draft] = []
    stories: list[_Story] = []
    for want in _wants():
        draft = allocator.draft(want, seen[want.story])
        seen[want.story] += 1
        story = _Story(ctx, draft)
        PATHS[want.story](story)
        drafts.append(draft)
        stories.append(story)
    _flag_key(ctx, drafts)
    merged = _merged(ctx, allocator, drafts, stories)
    specs = [
        _spec(key, draft, story)
        for key, (draft, story) in enumerate(zip(drafts, stories, strict=True))
    ] + merged
    specs = _publish(ctx, specs)
    return SuggestionsPlan(
        suggestions=tuple(_number_documents(specs)),
        units=units,
        session_day=session,
        assignment_meeting=ctx.assignment_meeting,
        key_day=key_day,
    )


def _first_workday(calendar: WorkCalendar, day: date) -> date:
    while not calendar.is_workday(day):
        day += timedelta(days=1)
    return day


def _unit_contacts(rng: random.Random) -> tuple[UnitContact, ...]:
    def name() -> str:
        while True:
            candidate = rng.choice(_SURNAMES) + rng.choice(_GIVEN)
            if candidate not in RESERVED_NAMES:
                return candidate

    return tuple(
        UnitContact(
            unit=u.name,
            signer=name(),
            contact_person=name(),
            contact_phone=f"0531-8{rng.randint(0, 9999999):07d}",
        )
        for u in UNITS
    )


def _flag_key(ctx: _Context, drafts: list[_Draft]) -> None:
    """The director meeting that approves the assignment plan selects the key suggestions."""
    left = dict(KEY_PICKS)
    picked = 0
    for draft in drafts:
        if left.get(draft.want.story, 0) and not draft.want.account:
            left[draft.want.story] -= 1
            leader = LEADER_ACCOUNTS[picked % 2]
            office = KEY_OFFICES[draft.template.category]
            draft.steps.append(Step(ctx.key_day, "key", (("leader", leader), ("office", office))))
            draft.key = True
            picked += 1


def _merged(
    ctx: _Context, allocator: _Allocator, drafts: list[_Draft], stories: list[_Story]
) -> list[SuggestionSpec]:
    """Identical suggestions of other deputies, handled with an accepted one (并案)."""
    count = STORIES["merged"][1]
    mains = [
        (key, d, s)
        for key, (d, s) in enumerate(zip(drafts, stories, strict=True))
        if d.want.story in ("closed", "follow_up") and not d.want.account and not d.key
    ]
    specs = []
    for main_key, main, main_story in ctx.rng.sample(mains, count):
        draft = _Draft(
            want=_Want("merged"),
            nth=len(specs),
            template=main.template,
            title=main.title,
            content=main.content,
            deputy=allocator.deputy(main.street, exclude=(main.deputy,)),
            street=main.street,
        )
        story = _Story(ctx, draft)
        submitted = ctx.session + timedelta(days=ctx.rng.randint(0, SESSION_DAYS - 1))
        last = story.submit(submitted)
        assert main_story.accepted_on is not None
        first = max(last, main_story.accepted_on) + timedelta(days=1)
        story.add(
            ctx.between(first, ctx.assignment_meeting - timedelta(days=2)), "merge", into=main_key
        )
        specs.append(_spec(len(drafts) + len(specs), draft, story))
    return specs


def _spec(key: int, draft: _Draft, story: _Story) -> SuggestionSpec:
    want, template = draft.want, draft.template
    late = [step for step in draft.steps if step.day > LAST_DAY]
    if late:  # a path whose windows do not fit: a bug in this module, not bad luck
        raise ValueError(f"{want.story}：{late[0].move} 晚于 {LAST_DAY}")
    assigned = any(step.move == "assign" for step in draft.steps)
    return SuggestionSpec(
        key=key,
        story=want.story,
        title=draft.title,
        content=draft.content,
        category=template.category,
        kind=(
            Suggestion.Kind.MOTION.value
            if want.story.startswith("motion")
            else Suggestion.Kind.SUGGESTION.value
        ),  # fmt: skip
        timing=STORIES[want.story][0],
        deputy=draft.deputy,
        cosigners=draft.cosigners,
        wants_face_to_face=draft.wants_face_to_face,
        by_office=want.by_office,
        mode=story.mode if assigned else "",
        lead_unit=story.lead if assigned else "",
        co_units=story.co_units if assigned else (),
        separate_units=story.separate_units if assigned else (),
        difficult=story.difficult if assigned else False,
        # Stable: moves of one day keep the order in which the path wrote them.
        steps=tuple(sorted(draft.steps, key=lambda step: step.day)),
    )


def _publish(ctx: _Context, specs: list[SuggestionSpec]) -> list[SuggestionSpec]:
    """The office publishes most answered suggestions at its next publishing day."""
    done = []
    for spec in specs:
        answered = [s.day for s in spec.steps if s.move == "answer"]
        secret = any(s.move == "confidential" for s in spec.steps)
        day = next((d for d in PUBLISH_DAYS if answered and d > answered[0]), None)
        if day is None or secret or ctx.rng.random() >= 0.9:
            done.append(spec)
            continue
        steps = sorted((*spec.steps, Step(day, "publish")), key=lambda step: step.day)
        done.append(replace(spec, steps=tuple(steps)))
    return done


def _document_prefix(short_name: str) -> str:
    if short_name.startswith("区"):
        return "泉" + short_name.removeprefix("区").removesuffix("局") + "函"
    return short_name + "函"


def _number_documents(specs: list[SuggestionSpec]) -> list[SuggestionSpec]:
    """Each unit's answer letters are numbered in date order (文号)."""
    short = {u.name: u.short_name for u in UNITS}
    answers = sorted(
        (step.day, spec.key, i)
        for spec in specs
        for i, step in enumerate(spec.steps)
        if step.move == "answer"
    )
    counters: Counter[str] = Counter()
    numbered: dict[tuple[int, int], str] = {}
    for _, key, i in answers:
        unit = specs[key].steps[i].arg("unit")
        counters[unit] += 1
        numbered[(key, i)] = f"{_document_prefix(short[unit])}〔2026〕{counters[unit]}号"
    return [
        replace(
            spec,
            steps=tuple(
                replace(step, args=(*step.args, ("document", numbered[(spec.key, i)])))
                if (spec.key, i) in numbered
                else step
                for i, step in enumerate(spec.steps)
            ),
        )
        for spec in specs
    ]


def ordered_steps(plan: SuggestionsPlan) -> list[tuple[SuggestionSpec, Step]]:
    """All moves in the order they are replayed: by day; the 交办会's batch first on its day;
    then by suggestion, each suggestion's moves in their own order."""
    rows = [
        (step.day, 0 if step.arg("batch") else 1, spec.key, i, spec, step)
        for spec in plan.suggestions
        for i, step in enumerate(spec.steps)
    ]
    rows.sort(key=lambda row: row[:4])
    return [(row[4], row[5]) for row in rows]


# ---------------------------------------------------------------------------------------------
# Saving: replay every move through the actions


def save_suggestions(
    *,
    plan: SuggestionsPlan,
    deputies: Sequence[Deputy],
    accounts: Sequence[User],
    units: dict[str, Unit],
    offices: dict[str, Office],
) -> dict[str, int]:
    """Create the acting users, then run every planned move as of its day. Returns the number
    of suggestions by status."""
    ensure_default_taxonomies()  # `renda flush` empties the seeded taxonomies too
    users = {u.username: u for u in accounts}
    replay = _Replay(
        plan=plan,
        deputies=deputies,
        deputy_users=_deputy_users(plan, deputies, accounts),
        unit_users=_unit_users(plan, units, users),
        office=users[OFFICE_ACCOUNT],
        users=users,
        units=units,
        offices=offices,
    )
    rows = ordered_steps(plan)
    i = 0
    while i < len(rows):
        spec, step = rows[i]
        if step.move == "assign" and step.arg("batch"):
            batch = [rows[i]]
            while (
                i + 1 < len(rows) and rows[i + 1][1].arg("batch") and rows[i + 1][1].day == step.day
            ):
                i += 1
                batch.append(rows[i])
            replay.assign_batch(step.day, [s for s, _ in batch])
        else:
            replay.run(spec, step)
        i += 1
    # People read their messages: only the last month's stay unread in the demo.
    Notification.objects.filter(created_at__lt=READ_BEFORE).update(read_at=F("created_at"))
    counts = Counter(
        Suggestion.objects.filter(pk__in=replay.ids.values()).values_list("status", flat=True)
    )
    return {status: counts[status] for status in Status.values}


def _unusable_password() -> str:
    return make_password(None)


def _deputy_users(
    plan: SuggestionsPlan, deputies: Sequence[Deputy], accounts: Sequence[User]
) -> dict[int, User]:
    """The lead deputies and co-signers act through their own users: the demo log-ins where
    they have one, otherwise a user that cannot log in."""
    by_pk = {u.pk: u for u in accounts}
    used = sorted({s.deputy for s in plan.suggestions} | {c for s in plan.suggestions
                                                           for c in s.cosigners})  # fmt: skip
    result = {i: by_pk[deputies[i].user_id] for i in used if deputies[i].user_id}
    missing = [i for i in used if not deputies[i].user_id]
    password = _unusable_password()
    created = User.objects.bulk_create(
        User(
            username=DEPUTY_USERNAME.format(i + 1),
            full_name=deputies[i].full_name,
            password=password,
        )
        for i in missing
    )
    RoleMembership.objects.bulk_create(RoleMembership(user=u, role=Role.DEPUTY) for u in created)
    changed = []
    for i, user in zip(missing, created, strict=True):
        deputies[i].user = user
        changed.append(deputies[i])
        result[i] = user
    Deputy.objects.bulk_update(changed, ["user"])
    return result


def _unit_users(
    plan: SuggestionsPlan, units: dict[str, Unit], users: dict[str, User]
) -> dict[str, User]:
    """One liaison user per unit that handles something; the demo log-ins for their units."""
    result = {}
    for account in DEMO_ACCOUNTS:
        for membership in account.memberships:
            if membership.role == Role.UNIT and membership.unit:
                result[membership.unit] = users[account.username]
    used = set()
    for spec in plan.suggestions:
        used |= {spec.lead_unit, *spec.co_units, *spec.separate_units}
        used |= {step.arg("target") for step in spec.steps if step.move == "reassign"}
    missing = [(i, u) for i, u in enumerate(UNITS) if u.name in used and u.name not in result]
    password = _unusable_password()
    created = User.objects.bulk_create(
        User(
            username=UNIT_USERNAME.format(i + 1),
            full_name=f"{u.short_name}联络员",
            password=password,
        )  # fmt: skip
        for i, u in missing
    )
    RoleMembership.objects.bulk_create(
        RoleMembership(user=user, role=Role.UNIT, unit=units[u.name])
        for (_, u), user in zip(missing, created, strict=True)
    )
    result.update({u.name: user for (_, u), user in zip(missing, created, strict=True)})
    return result


class _Replay:
    """Runs planned moves through the actions, remembering what later moves refer to."""

    def __init__(
        self,
        *,
        plan: SuggestionsPlan,
        deputies: Sequence[Deputy],
        deputy_users: dict[int, User],
        unit_users: dict[str, User],
        office: User,
        users: dict[str, User],
        units: dict[str, Unit],
        offices: dict[str, Office],
    ) -> None:
        self.deputies = deputies
        self.deputy_users = deputy_users
        self.unit_users = unit_users
        self.office = office
        self.users = users
        self.units = units
        self.offices = offices
        self.contacts = {u.unit: u for u in plan.units}
        self.categories = {c.name: c for c in Category.objects.all()}
        self.answer_categories = {c.code: c for c in AnswerCategory.objects.all()}
        self.ids: dict[int, int] = {}  # plan key -> suggestion id
        self.assignments: dict[tuple[int, str], int] = {}  # (key, unit) -> live assignment id
        self.last_answer: dict[int, int] = {}
        self.extensions: dict[int, int] = {}
        self.confirmed: set[int] = set()  # keys with a co-signer who confirmed

    def suggestion(self, spec: SuggestionSpec) -> Suggestion:
        return Suggestion(pk=self.ids[spec.key])

    def assignment(self, spec: SuggestionSpec, unit: str) -> Assignment:
        return Assignment(pk=self.assignments[(spec.key, unit)])

    def drafter(self, spec: SuggestionSpec) -> User:
        return self.office if spec.by_office else self.deputy_users[spec.deputy]

    def run(self, spec: SuggestionSpec, step: Step) -> None:
        with actions.as_of(step.day):
            getattr(self, "_" + step.move)(spec, step)

    # -- moves ------------------------------------------------------------------------------

    def _draft(self, spec: SuggestionSpec, step: Step) -> None:
        suggestion = actions.save_draft(
            acting_user=self.drafter(spec),
            deputy=self.deputies[spec.deputy],
            title=spec.title,
            content=spec.content,
            category=self.categories[spec.category],
            timing=spec.timing,
            kind=spec.kind,
            wants_face_to_face=spec.wants_face_to_face,
            cosigners=[self.deputies[i] for i in spec.cosigners],
        )
        self.ids[spec.key] = suggestion.pk

    def _submit(self, spec: SuggestionSpec, step: Step) -> None:
        actions.submit(acting_user=self.drafter(spec), suggestion=self.suggestion(spec))

    def _cosign(self, spec: SuggestionSpec, step: Step) -> None:
        confirm = step.arg("confirm")
        actions.reply_cosign(
            acting_user=self.deputy_users[step.arg("deputy")],
            suggestion=self.suggestion(spec),
            confirm=confirm,
        )
        if confirm:
            self.confirmed.add(spec.key)

    def _convert(self, spec: SuggestionSpec, step: Step) -> None:
        actions.convert_motion(
            acting_user=self.office, suggestion=self.suggestion(spec), note=step.arg("note")
        )

    def _accept(self, spec: SuggestionSpec, step: Step) -> None:
        actions.accept(acting_user=self.office, suggestion=self.suggestion(spec))

    def _decline(self, spec: SuggestionSpec, step: Step) -> None:
        actions.decline(
            acting_user=self.office, suggestion=self.suggestion(spec), reason=step.arg("reason")
        )

    def _merge(self, spec: SuggestionSpec, step: Step) -> None:
        actions.merge(
            acting_user=self.office,
            suggestion=self.suggestion(spec),
            into=Suggestion(pk=self.ids[step.arg("into")]),
        )

    def _confidential(self, spec: SuggestionSpec, step: Step) -> None:
        actions.set_confidential(
            acting_user=self.office,
            suggestion=self.suggestion(spec),
            confidential=True,
            reason=step.arg("reason"),
        )

    def _plan(self, spec: SuggestionSpec) -> AssignmentPlan:
        return AssignmentPlan(
            mode=spec.mode,
            lead_unit=self.units[spec.lead_unit] if spec.lead_unit else None,
            co_units=tuple(self.units[u] for u in spec.co_units),
            separate_units=tuple(self.units[u] for u in spec.separate_units),
            is_difficult=spec.difficult,
        )

    def _remember_assignments(self, specs: Sequence[SuggestionSpec]) -> None:
        keys = {self.ids[s.key]: s.key for s in specs}
        rows = Assignment.objects.filter(suggestion_id__in=list(keys)).values_list(
            "pk", "suggestion_id", "unit__name"
        )
        for pk, suggestion_id, unit in rows:
            self.assignments[(keys[suggestion_id], unit)] = pk

    def _assign(self, spec: SuggestionSpec, step: Step) -> None:
        actions.assign(
            acting_user=self.office, suggestion=self.suggestion(spec), plan=self._plan(spec)
        )
        self._remember_assignments([spec])

    def assign_batch(self, day: date, specs: Sequence[SuggestionSpec]) -> None:
        """The 交办会: the session's suggestions assigned in one batch."""
        with actions.as_of(day):
            actions.assign_many(
                acting_user=self.office,
                plans=[(self.suggestion(s), self._plan(s)) for s in specs],
            )
        self._remember_assignments(specs)

    def _sign(self, spec: SuggestionSpec, step: Step) -> None:
        unit = step.arg("unit")
        actions.sign_for(acting_user=self.unit_users[unit], assignment=self.assignment(spec, unit))

    def _adjust(self, spec: SuggestionSpec, step: Step) -> None:
        unit = step.arg("unit")
        actions.request_adjustment(
            acting_user=self.unit_users[unit],
            assignment=self.assignment(spec, unit),
            reason=step.arg("reason"),
        )

    def _insist(self, spec: SuggestionSpec, step: Step) -> None:
        actions.decide_adjustment(
            acting_user=self.office,
            assignment=self.assignment(spec, step.arg("unit")),
            reassign_to=None,
            note=step.arg("note"),
        )

    def _reassign(self, spec: SuggestionSpec, step: Step) -> None:
        target = step.arg("target")
        new = actions.decide_adjustment(
            acting_user=self.office,
            assignment=self.assignment(spec, step.arg("unit")),
            reassign_to=self.units[target],
            note=step.arg("note"),
        )
        self.assignments[(spec.key, target)] = new.pk

    def _contact(self, spec: SuggestionSpec, step: Step) -> None:
        actions.record_contact(
            acting_user=self.unit_users[step.arg("unit")],
            suggestion=self.suggestion(spec),
            stage=step.arg("stage"),
            method=step.arg("method"),
            contacted_on=step.day,
            summary=step.arg("summary"),
        )

    def _opinion(self, spec: SuggestionSpec, step: Step) -> None:
        unit = step.arg("unit")
        actions.submit_opinion(
            acting_user=self.unit_users[unit],
            assignment=self.assignment(spec, unit),
            opinion=step.arg("text"),
        )

    def _answer(self, spec: SuggestionSpec, step: Step) -> None:
        unit = step.arg("unit")
        contact = self.contacts[unit]
        record = actions.answer(
            acting_user=self.unit_users[unit],
            suggestion=self.suggestion(spec),
            draft=AnswerDraft(
                category=self.answer_categories[step.arg("code")],
                text=step.arg("text"),
                signer=contact.signer,
                contact_person=contact.contact_person,
                contact_phone=contact.contact_phone,
                document_number=step.arg("document"),
                is_face_to_face=step.arg("face"),
            ),
        )
        self.last_answer[spec.key] = record.pk

    def _confirm(self, spec: SuggestionSpec, step: Step) -> None:
        actions.confirm_face_to_face(
            acting_user=self.deputy_users[spec.deputy], answer=Answer(pk=self.last_answer[spec.key])
        )

    def _return(self, spec: SuggestionSpec, step: Step) -> None:
        actions.return_answer(
            acting_user=self.office, suggestion=self.suggestion(spec), reason=step.arg("reason")
        )

    def _correct(self, spec: SuggestionSpec, step: Step) -> None:
        actions.correct_category(
            acting_user=self.office,
            answer=Answer(pk=self.last_answer[spec.key]),
            category=self.answer_categories[step.arg("code")],
            note=step.arg("note"),
        )

    def _rate(self, spec: SuggestionSpec, step: Step) -> None:
        actions.rate(
            acting_user=self.deputy_users[spec.deputy],
            suggestion=self.suggestion(spec),
            attitude=step.arg("attitude"),
            result=step.arg("result"),
            comment=step.arg("comment"),
            cosigners_consulted=spec.key in self.confirmed,
        )

    def _request_extension(self, spec: SuggestionSpec, step: Step) -> None:
        extension = actions.request_extension(
            acting_user=self.unit_users[step.arg("unit")],
            suggestion=self.suggestion(spec),
            new_due=step.arg("new_due"),
            reason=step.arg("reason"),
        )
        self.extensions[spec.key] = extension.pk

    def _decide_extension(self, spec: SuggestionSpec, step: Step) -> None:
        actions.decide_extension(
            acting_user=self.office,
            extension=Extension(pk=self.extensions[spec.key]),
            approve=step.arg("approve"),
            note=step.arg("note"),
        )

    def _key(self, spec: SuggestionSpec, step: Step) -> None:
        actions.flag_key(
            acting_user=self.users[LEADER_ACCOUNTS[0]],
            suggestion=self.suggestion(spec),
            leader=self.users[step.arg("leader")],
            office=self.offices[step.arg("office")],
            note=KEY_NOTE,
        )

    def _publish(self, spec: SuggestionSpec, step: Step) -> None:
        actions.publish(acting_user=self.office, suggestion=self.suggestion(spec))

    def _close(self, spec: SuggestionSpec, step: Step) -> None:
        actions.close(
            acting_user=self.office, suggestion=self.suggestion(spec), note=step.arg("note")
        )

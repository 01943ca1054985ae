"""The demo meetings register: the five sessions of the 18th district congress, and the standing
committee's and the director meeting's meetings of 2026 (numbered on from the earlier years)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from renda.core.calendar import WorkCalendar
from renda.demo.people import DISTRICT_TERM, DISTRICT_TERM_START
from renda.meetings.models import Meeting

DEMO_YEAR = 2026
LAST_MONTH = 11  # the register runs to November 2026

CONGRESS_PLACE = "泉城区会议中心"
STANDING_PLACE = "区人大常委会机关第一会议室"
DIRECTOR_PLACE = "区人大常委会机关第二会议室"

# One session a year, in early January; the first opened the term (DISTRICT_TERM_START).
CONGRESS_SESSIONS: tuple[tuple[date, str], ...] = (
    (
        DISTRICT_TERM_START,
        "选举产生区第十八届人大常委会组成人员，区人民政府、区监察委员会、区人民法院、"
        "区人民检察院领导人员，选举出席济南市第十八届人民代表大会代表。",
    ),
    (date(2023, 1, 6), "审议政府工作报告、计划报告、预算报告和常委会、法院、检察院工作报告。"),
    (date(2024, 1, 9), "审议政府工作报告、计划报告、预算报告和常委会、法院、检察院工作报告。"),
    (date(2025, 1, 7), "审议政府工作报告、计划报告、预算报告和常委会、法院、检察院工作报告；票决民生实事项目。"),
    (date(2026, 1, 8), "审议政府工作报告、计划报告、预算报告和常委会、法院、检察院工作报告；票决民生实事项目。"),
)  # fmt: skip

# The term's earlier years held 26 standing-committee meetings (at least one every two months,
# more around the sessions) and 88 director meetings, so 2026 goes on from 第27次 and 第89次.
FIRST_STANDING_NUMBER_2026 = 27
FIRST_DIRECTOR_NUMBER_2026 = 89

# (month, agenda) of the standing committee's meetings in 2026.
STANDING_AGENDA: tuple[tuple[int, str], ...] = (
    (2, "听取和审议区人民政府关于2025年度国有资产管理情况的综合报告；审议人事任免事项。"),
    (4, "听取和审议区人民政府关于城市管理工作情况的报告，并开展专题询问；审议人事任免事项。"),
    (6, "审查和批准2025年区级决算；听取和审议2025年度区级预算执行和其他财政收支的审计工作报告。"),
    (8, "听取和审议区人民政府关于2026年上半年国民经济和社会发展计划执行情况的报告；"
        "听取和审议《中华人民共和国安全生产法》执法检查报告。"),
    (10, "听取和审议区人民政府关于区十八届人大五次会议代表建议办理情况的报告；"
         "听取和审议专题询问整改落实情况的报告。"),
    (11, "听取和审议区人民政府关于审计查出问题整改情况的报告；审议人事任免事项。"),
)  # fmt: skip

# Agendas of particular director meetings, by month (first or second of the month); the others
# prepare the next standing-committee meeting or review recent work.
DIRECTOR_AGENDA = {
    (1, 0): "研究区十八届人大五次会议筹备工作。",
    (1, 1): "研究通过常委会2026年工作要点、监督工作计划、代表工作计划。",
    (2, 1): "研究区十八届人大五次会议代表建议交办方案，确定重点督办建议。",
    (3, 0): "研究《中华人民共和国安全生产法》执法检查实施方案。",
    (3, 1): "研究城市管理工作专题询问实施方案。",
    (7, 0): "听取代表建议办理工作中期情况汇报。",
    (9, 0): "研究代表建议办理情况满意度测评工作。",
}


@dataclass(frozen=True)
class MeetingSpec:
    kind: str
    term_number: int
    number: int
    date: date
    place: str
    note: str


def _workday_between(rng: random.Random, calendar: WorkCalendar, first: date, last: date) -> date:
    """A random Monday-to-Friday working day in [first, last] (meetings are not held on the
    Saturdays worked to make up for holidays). When a holiday covers the whole window (the Spring
    Festival), the window stretches to the first working day after it."""
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    usable = [d for d in days if d.weekday() < 5 and calendar.is_workday(d)]
    while not usable:
        last += timedelta(days=1)
        if last.weekday() < 5 and calendar.is_workday(last):
            usable.append(last)
    return rng.choice(usable)


def plan_meetings(*, rng: random.Random) -> list[MeetingSpec]:
    """The meetings register of the demo; a pure function of the generator."""
    calendar = WorkCalendar()  # the holiday package only: planning must not read the database
    specs = [
        MeetingSpec(Meeting.Kind.CONGRESS, DISTRICT_TERM, number, day, CONGRESS_PLACE, note)
        for number, (day, note) in enumerate(CONGRESS_SESSIONS, start=1)
    ]
    standing_numbers = {
        month: FIRST_STANDING_NUMBER_2026 + i for i, (month, _) in enumerate(STANDING_AGENDA)
    }
    director_number = FIRST_DIRECTOR_NUMBER_2026
    last_director: dict[int, date] = {}
    for month in range(1, LAST_MONTH + 1):
        for half, (first, last) in enumerate(((4, 13), (14, 21))):
            day = _workday_between(
                rng, calendar, date(DEMO_YEAR, month, first), date(DEMO_YEAR, month, last)
            )
            last_director[month] = day
            if (month, half) in DIRECTOR_AGENDA:
                note = DIRECTOR_AGENDA[(month, half)]
            elif half == 1 and month in standing_numbers:
                note = f"研究常委会第{standing_numbers[month]}次会议议程（草案）和有关事项。"
            else:
                note = "听取各工作机构近期工作情况汇报，研究部署下步工作。"
            specs.append(
                MeetingSpec(
                    Meeting.Kind.DIRECTOR, DISTRICT_TERM, director_number, day, DIRECTOR_PLACE, note
                )
            )
            director_number += 1
    for month, agenda in STANDING_AGENDA:
        # Late in the month, after the director meeting that prepared it.
        first = max(date(DEMO_YEAR, month, 22), last_director[month] + timedelta(days=1))
        day = _workday_between(rng, calendar, first, date(DEMO_YEAR, month, 28))
        specs.append(
            MeetingSpec(
                Meeting.Kind.STANDING,
                DISTRICT_TERM,
                standing_numbers[month],
                day,
                STANDING_PLACE,
                agenda,
            )
        )
    return specs


def latest_session_number(specs: list[MeetingSpec]) -> int:
    return max(s.number for s in specs if s.kind == Meeting.Kind.CONGRESS)


def save_meetings(*, specs: list[MeetingSpec]) -> list[Meeting]:
    return Meeting.objects.bulk_create(
        Meeting(
            kind=s.kind,
            term_number=s.term_number,
            number=s.number,
            date=s.date,
            place=s.place,
            note=s.note,
        )
        for s in specs
    )

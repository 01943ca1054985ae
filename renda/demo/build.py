"""Build the whole demo congress in one transaction, from one seed."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import TextIO

from django.db import IntegrityError, transaction

from renda.core.errors import DomainError
from renda.core.models import Congress, Office, Street, Unit, User
from renda.demo.accounts import DEMO_ACCOUNTS, create_accounts
from renda.demo.activities import save_activities
from renda.demo.meetings import MeetingSpec, latest_session_number, plan_meetings, save_meetings
from renda.demo.organisation import build_organisation
from renda.demo.people import DeputySpec, build_groups, plan_deputies, save_deputies
from renda.demo.plans import PlansPlan, plan_plans, save_plans
from renda.demo.points import save_points
from renda.demo.stations import save_stations
from renda.demo.suggestions import LAST_DAY, SuggestionsPlan, plan_suggestions, save_suggestions
from renda.demo.supervision import save_supervision
from renda.deputies.models import Deputy, Group
from renda.meetings.models import Meeting
from renda.plans.models import ItemStatus, PlanStatus
from renda.suggestions.models import Status

DEFAULT_SEED = 2026


@dataclass(frozen=True)
class DemoPlan:
    """Everything random about the demo, decided before anything is saved."""

    seed: int
    deputies: tuple[DeputySpec, ...]
    meetings: tuple[MeetingSpec, ...]
    suggestions: SuggestionsPlan
    plans: PlansPlan


@dataclass(frozen=True)
class DemoSummary:
    seed: int
    offices: int
    streets: int
    units: int
    groups: int
    deputies: int
    mandates: int
    active_mandates: int
    meetings: int
    accounts: int
    suggestions: dict[str, int]  # by status
    plans: dict[str, int]  # by status
    plan_items: dict[str, int]  # by status
    supervision: dict[str, int]  # counts of inspections, inquiries, opinions, rectifications…
    deputies_work: dict[str, int]  # activities, invitations, stations, opinions, bulletins…
    seconds: float

    def lines(self) -> list[str]:
        states = "、".join(
            f"{Status(status).label} {count}" for status, count in self.suggestions.items() if count
        )
        return [
            f"随机种子：{self.seed}",
            f"工作机构 {self.offices} 个，街道人大工委 {self.streets} 个，承办单位 {self.units} 个，"
            f"代表小组 {self.groups} 个",
            f"代表 {self.deputies} 名，代表资格 {self.mandates} 条（现任 {self.active_mandates} 条）",
            f"会议 {self.meetings} 次，演示账号 {self.accounts} 个",
            f"代表建议 {sum(self.suggestions.values())} 件（{states}）",
            self._plans_line(),
            self._supervision_line(),
            self._deputies_work_line(),
            f"用时 {self.seconds:.1f} 秒",
        ]

    def _supervision_line(self) -> str:
        s = self.supervision
        return (
            f"执法检查 {s['inspections']} 项，专题询问 {s['inquiries']} 次（询问 {s['questions']} 个），"
            f"专项工作报告 {s['work_reports']} 件，审议意见 {s['opinions']} 件，"
            f"整改事项 {s['rectifications']} 项（已销号 {s['verified']} 项）"
        )

    def _deputies_work_line(self) -> str:
        w = self.deputies_work
        return (
            f"履职活动 {w['activities']} 项（邀请 {w['invitations']} 人次，出席 {w['attended']}，"
            f"缺席 {w['absent']}，准假 {w['leave_granted']}），联络站 {w['stations']} 个"
            f"（接待 {w['receptions']} 次，今后 {w['receptions_ahead']} 次），选民意见 {w['opinions']} 件，"
            f"积分通报 {w['point_bulletins']} 期"
        )

    def _plans_line(self) -> str:
        plans = "、".join(
            f"{PlanStatus(status).label} {count}" for status, count in self.plans.items() if count
        )
        items = "、".join(
            f"{ItemStatus(status).label} {count}"
            for status, count in self.plan_items.items()
            if count
        )
        return (
            f"工作计划 {sum(self.plans.values())} 个（{plans}），"
            f"计划事项 {sum(self.plan_items.values())} 项（{items}）"
        )


def plan_demo(*, seed: int = DEFAULT_SEED) -> DemoPlan:
    """The random part of the demo: a pure function of the seed (no clock, no database)."""
    rng = random.Random(seed)
    deputies = tuple(plan_deputies(rng=rng))
    meetings = tuple(plan_meetings(rng=rng))
    suggestions = plan_suggestions(rng=rng, deputies=deputies, meetings=meetings)
    # A generator of its own, so that the plans never shift what the seed gives the rest.
    plans = plan_plans(rng=random.Random(f"plans-{seed}"), meetings=meetings)
    return DemoPlan(
        seed=seed, deputies=deputies, meetings=meetings, suggestions=suggestions, plans=plans
    )


def database_is_empty() -> bool:
    """True when nothing the demo would create exists yet: no congress row, and no offices,
    streets, units, groups, deputies or meetings entered by hand either."""
    return not any(
        model.objects.exists() for model in (Congress, Office, Street, Unit, Group, Deputy, Meeting)
    )


def build_demo(*, seed: int = DEFAULT_SEED, stdout: TextIO | None = None) -> DemoSummary:
    """Create the demo congress in an empty database; refuses (DomainError) otherwise."""
    started = time.perf_counter()

    def say(message: str) -> None:
        if stdout is not None:
            stdout.write(message + "\n")

    plan = plan_demo(seed=seed)
    try:
        with transaction.atomic():
            _refuse_unless_empty()
            say("正在生成人大常委会、工作机构、街道和承办单位……")
            organisation = build_organisation(session_number=latest_session_number(plan.meetings))
            groups = build_groups(streets=organisation.streets)
            say(f"正在生成 {len(plan.deputies)} 名代表及其代表资格……")
            deputies = save_deputies(
                specs=plan.deputies, streets=organisation.streets, groups=groups
            )
            say(f"正在生成 {len(plan.meetings)} 次会议……")
            save_meetings(specs=plan.meetings)
            say("正在生成演示账号……")
            linked = {
                spec.account: deputy
                for spec, deputy in zip(plan.deputies, deputies, strict=True)
                if spec.account
            }
            accounts = create_accounts(
                offices=organisation.offices,
                streets={s.name: s for s in organisation.streets},
                units=organisation.units,
                deputies_by_username=linked,
            )
            say(f"正在生成 {len(plan.suggestions.suggestions)} 件代表建议及其办理过程……")
            suggestions = save_suggestions(
                plan=plan.suggestions,
                deputies=deputies,
                accounts=accounts,
                units=organisation.units,
                offices=organisation.offices,
            )
            say(f"正在生成 {len(plan.plans.plans)} 个工作计划及其落实过程……")
            plans = save_plans(plan=plan.plans, accounts=accounts, offices=organisation.offices)
            say("正在生成执法检查、专题询问、专项工作报告、审议意见和整改事项……")
            by_username = {u.username: u for u in accounts}
            supervision = save_supervision(accounts=by_username, units=organisation.units)
            say("正在生成代表履职活动、联络站接待和选民意见、季度积分通报……")
            deputies_work = {
                **save_activities(accounts=by_username),
                # The demo is looked at a week after its last working day: receptions ahead.
                **save_stations(accounts=by_username, today=LAST_DAY + timedelta(days=7)),
                **save_points(accounts=by_username),
            }
    except IntegrityError as exc:
        # Another process built (or is building) the demo at the same moment.
        raise DomainError(
            "demo_conflict",
            "演示数据与数据库中已有的数据冲突（可能另一进程正在生成），未作任何修改。",
        ) from exc
    mandates = [m for d in plan.deputies for m in d.mandates]
    return DemoSummary(
        seed=seed,
        offices=len(organisation.offices),
        streets=len(organisation.streets),
        units=len(organisation.units),
        groups=len(groups),
        deputies=len(plan.deputies),
        mandates=len(mandates),
        active_mandates=sum(1 for m in mandates if m.ended_on is None),
        meetings=len(plan.meetings),
        accounts=len(DEMO_ACCOUNTS),
        suggestions=suggestions,
        plans=plans["plans"],
        plan_items=plans["items"],
        supervision=supervision,
        deputies_work=deputies_work,
        seconds=time.perf_counter() - started,
    )


def _refuse_unless_empty() -> None:
    if not database_is_empty():
        raise DomainError(
            "demo_not_empty", "数据库中已有数据，演示数据只能在空数据库中生成，未作任何修改。"
        )
    taken = list(
        User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS])
        .order_by("username")
        .values_list("username", flat=True)
    )
    if taken:
        raise DomainError(
            "demo_username_taken",
            f"用户名 {'、'.join(taken)} 已被占用，不能生成演示账号，未作任何修改。",
        )

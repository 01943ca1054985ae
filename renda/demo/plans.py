"""The demo year's work plans (计划与落实): the 2026 annual work points, supervision plan,
deputy-work plan, study-and-inspection plan and each office's own plan, plus next year's drafts —
each taken through the real actions as of the day each move happened.

`plan_plans` is a pure function of its random generator and the demo's meetings (no clock, no
database): every plan with its items and the dated moves of its history (`PlanStep`s).
`save_plans` creates the acting users the offices lack and replays all the moves in date order
through renda.plans.actions, each inside `actions.as_of(day)`.

Looked at on 2026-11-27 (a week after the last move) the year shows every state the attention
lists know: completed items with result and evidence, items on track, items with no report for
months ("planned but not implemented"), overdue items and milestones, items near their end date
with activity but no result ("busy with nothing to show"), an approved postponement, a refused
adjustment, a cancellation, a pending request, self-assessments and grades."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F

from renda.core.calendar import WorkCalendar
from renda.core.models import Notification, Office, Role, RoleMembership, User
from renda.demo.accounts import DEMO_ACCOUNTS
from renda.demo.meetings import (
    DEMO_YEAR,
    FIRST_DIRECTOR_NUMBER_2026,
    FIRST_STANDING_NUMBER_2026,
    STANDING_AGENDA,
    MeetingSpec,
)
from renda.demo.organisation import OFFICES
from renda.demo.suggestions import LAST_DAY, READ_BEFORE
from renda.meetings.models import Meeting
from renda.plans import actions
from renda.plans.actions import ItemFields
from renda.plans.models import (
    ChangeRequest,
    ItemStatus,
    Milestone,
    Plan,
    PlanItem,
    PlanKind,
    PlanStatus,
)
from renda.suggestions.models import Suggestion

# Offices without a demo log-in act through a user that cannot log in.
OFFICE_USER_PREFIX = "office-"
OFFICE_USERNAME = OFFICE_USER_PREFIX + "{:02d}"
OFFICE_STAFF_NAMES = {
    "研究室": "冯思远",
    "法制工作室": "郑立平",
    "财经工作室": "何雅琴",
    "城建环保工作室": "韩振东",
}
ZHUREN, MISHUZHANG = "zhuren", "mishuzhang"
# The day the demo is looked at, a week after the last move (see suggestions.LAST_DAY).
LOOKED_AT = date(2026, 11, 27)

BGS, YJS, RDS = "办公室", "研究室", "人事代表工作室"
FZS, CJS, SJS, CHS = "法制工作室", "财经工作室", "社会建设工作室", "城建环保工作室"

WORKS, SUPERVISION, DEPUTY = PlanKind.WORK_POINTS, PlanKind.SUPERVISION, PlanKind.DEPUTY_WORK
STUDY, OWN = PlanKind.STUDY, PlanKind.OFFICE

# Story kinds of a leaf item: what happens to it during the year.
DONE = "done"  # reported on, milestones met, completed with result and evidence
ON_TRACK = "on_track"  # reported on recently, far enough from its end date
STALE = "stale"  # no progress report since `on` (or none at all)
LATE = "late"  # its end date has passed, still open
LATE_MILESTONE = "late_milestone"  # reported on, but its last past milestone was missed
BUSY = "busy"  # reported on, ends within a month, no result yet
PLANNED = "planned"  # starts in December
POSTPONED = "postponed"  # postponement to `on` approved
REFUSED = "refused"  # adjustment refused, work goes on
PENDING = "pending"  # postponement to `on` requested, not yet decided
CANCELLED = "cancelled"  # cancellation approved on `on`

RETURN_REASON = (
    "监督议题偏多，请按照“少而精、可操作、重实效”的要求压缩到8项以内，"
    "并逐项写明拟邀请代表人数和成果衡量方式后再提交。"
)
REFUSE_NOTE = "视察成果应当以问题清单和整改销号衡量，不同意降低预期成果，请按原计划落实。"
POSTPONE_NOTE = "同意延期，请按调整后的期限抓好落实，延期不减标准。"
CANCEL_NOTE = "同意取消，配合做好市人大常委会执法检查的有关工作。"

GENERIC_REPORTS = (
    "召开工作推进会，细化任务分工和时间节点，责任落实到人。",
    "赴有关部门和街道实地调研，收集问题线索，形成工作台账。",
    "邀请部分区人大代表参加座谈，听取意见建议。",
    "与区政府有关部门沟通对接，跟踪重点问题办理进展。",
    "整理阶段性工作材料，向分管领导专题汇报。",
    "对照工作方案开展中期检查，查找差距，明确下步措施。",
)


def _d(month: int, day: int, year: int = DEMO_YEAR) -> date:
    return date(year, month, day)


@dataclass(frozen=True)
class Story:
    kind: str
    on: date | None = None
    grade: str = ""  # "" none; "self" self-assessed only; excellent/good/fair/poor: also graded
    result: str = ""
    evidence: str = ""
    assessment: str = ""


@dataclass(frozen=True)
class ItemSpec:
    title: str
    owner: str
    leader: str
    objective: str
    expected: str
    measure: str
    starts_on: date
    ends_on: date
    story: Story = Story(ON_TRACK)
    milestones: tuple[tuple[str, date], ...] = ()
    children: tuple[ItemSpec, ...] = ()
    invited: int = 0
    weight: int = 1
    reports: tuple[str, ...] = ()
    links: tuple[tuple[str, int, int], ...] = ()  # (meeting kind, month, half) / key suggestions


@dataclass(frozen=True)
class PlanSpec:
    kind: str
    year: int
    office: str
    title: str
    note: str
    items: tuple[ItemSpec, ...]
    # Director meeting (month, half) that approves it; None leaves it a draft or submitted.
    approved_at: tuple[int, int] | None = None
    submit: bool = False
    publish: bool = False
    returned: bool = False


@dataclass(frozen=True)
class PlanStep:
    day: date
    plan: int
    move: str
    item: tuple[int, ...] = ()
    args: tuple[tuple[str, Any], ...] = ()

    def arg(self, name: str, default: Any = None) -> Any:
        return dict(self.args).get(name, default)


@dataclass(frozen=True)
class PlansPlan:
    plans: tuple[PlanSpec, ...]
    steps: tuple[PlanStep, ...]


def _it(  # a short constructor keeps the plan texts readable
    title: str,
    owner: str,
    leader: str,
    objective: str,
    expected: str,
    measure: str,
    span: tuple[date, date],
    story: Story = Story(ON_TRACK),
    **kw: Any,
) -> ItemSpec:
    return ItemSpec(
        title, owner, leader, objective, expected, measure, span[0], span[1], story, **kw
    )


YEAR = (_d(1, 26), _d(12, 31))


# ---------------------------------------------------------------------------------------------
# The plans' texts


def _work_points() -> PlanSpec:
    items = (
        _it("依法讨论决定本区重大事项", FZS, ZHUREN,
          "围绕区委中心工作，对城市更新、重大项目建设等重大事项依法作出决议决定。",
          "全年依法作出决议、决定不少于4项，决议决定执行情况有跟踪、有报告。",
          "常委会会议通过的决议决定件数；执行情况报告经常委会审议。",
          YEAR, Story(ON_TRACK),
          milestones=(("上半年决议决定执行情况梳理", _d(7, 15)),),
          links=(("standing", 2, 0),)),
        _it("加强预算决算审查监督和国有资产管理情况监督", CJS, MISHUZHANG,
          "审查批准2025年区级决算，听取审议国有资产管理情况综合报告。",
          "决算审查报告和国有资产管理情况审议意见按期形成并交办。",
          "决算经常委会批准；审议意见交办率100%，研究处理情况按期报告。",
          (_d(1, 26), _d(6, 30)),
          Story(DONE, _d(6, 29), grade="excellent",
                result="常委会第29次会议批准2025年区级决算，国有资产管理情况审议意见已交办区政府。",
                evidence="2025年区级决算审查报告.pdf",
                assessment="决算审查和国资监督按期完成，审议意见全部交办，研究处理情况已报告。"),
          milestones=(("国有资产管理情况综合报告审议", _d(2, 27)), ("决算初步审查", _d(6, 12))),
          links=(("standing", 2, 0), ("standing", 6, 0))),
        _it("依法做好人事任免工作", RDS, ZHUREN,
          "坚持党管干部原则和人大依法任免相统一，完善任前法律知识考试、供职发言和宪法宣誓制度。",
          "任免事项全部依法依规办理，任前考试、供职发言、宪法宣誓全覆盖。",
          "任免议案办理件数；任前程序执行记录完整率100%。",
          YEAR, Story(ON_TRACK)),
        _it("推进代表之家、代表联络站标准化建设", RDS, MISHUZHANG,
          "按照“六有”标准提升12个街道代表联络站，建成机关“代表之家”。",
          "12个代表联络站全部达到标准化要求，代表之家投入使用。",
          "联络站验收合格数；代表之家启用并开展活动次数。",
          (_d(2, 24), _d(12, 18)), Story(BUSY),
          milestones=(("联络站标准化建设方案印发", _d(4, 30)),),
          reports=("印发标准化建设方案，明确“六有”标准和验收办法。",
                   "已完成8个联络站改造提升，代表之家装修完成。",
                   "组织对联络站逐一验收，3个联络站整改后复验。")),
        _it("开展重点课题调研", YJS, MISHUZHANG,
          "围绕“人大监督刚性和实效”开展课题调研，为常委会决策提供参考。",
          "形成1篇高质量调研报告，报常委会主任会议。",
          "调研报告经主任会议研究；被区委、区政府领导批示或采纳。",
          YEAR, Story(STALE, _d(8, 19))),
        _it("加强机关作风建设和考勤管理", BGS, MISHUZHANG,
          "严格落实机关考勤制度和请销假制度，整治“忙而无果”的形式主义问题。",
          "考勤制度执行到位，每月通报一次，全年无违反工作纪律问题。",
          "月度考勤通报12期；作风建设问题整改销号率。",
          YEAR, Story(ON_TRACK),
          milestones=(("修订机关考勤管理办法", _d(3, 31)), ("半年考勤情况通报", _d(7, 10))),
          reports=("修订机关考勤管理办法并经主任会议通过。", "每月通报考勤情况，约谈迟到早退人员2人次。")),
        _it("开展城市更新和老旧小区改造工作监督", CHS, ZHUREN,
          "跟踪监督2026年老旧小区改造和城市更新项目推进情况。",
          "形成监督报告，推动年度改造任务按期完成。",
          "改造项目完工率；监督报告经主任会议研究。",
          (_d(3, 2), _d(10, 30)), Story(LATE, _d(9, 24))),
        _it("开展养老服务体系建设情况视察", SJS, MISHUZHANG,
          "视察社区居家养老服务设施建设和运营情况。",
          "形成视察报告，提出改进养老服务的意见建议。",
          "视察报告交区政府研究处理，研究处理情况按期反馈。",
          (_d(3, 2), _d(9, 30)),
          Story(DONE, _d(9, 18), grade="good",
                result="组织12名代表视察8处养老服务设施，视察报告提出4条建议，已交区民政局研究处理。",
                evidence="养老服务体系建设视察报告.pdf",
                assessment="视察按计划完成，建议已交办，部分建议已落实。"),
          invited=12),
    )  # fmt: skip
    return PlanSpec(
        WORKS, DEMO_YEAR, BGS, "泉城区人大常委会2026年工作要点",
        "经区委常委会会议和主任会议审定，各工作机构按照分工抓好落实。",
        items, approved_at=(1, 1), publish=True,
    )  # fmt: skip


def _inspection() -> ItemSpec:
    """The Work Safety Law inspection, made concrete as the organ asked: which articles it checks,
    how many deputies it invites, how it is organised and when, and how problems get solved."""
    step = lambda title, weight, span, story, **kw: _it(  # noqa: E731
        title, SJS, ZHUREN, kw.pop("objective"), kw.pop("expected"), kw.pop("measure"),
        span, story, weight=weight, **kw,
    )  # fmt: skip
    children = (
        step("制定执法检查实施方案", 10, (_d(2, 24), _d(3, 20)),
             Story(DONE, _d(3, 13), result="实施方案经主任会议研究通过，明确检查6个条款、邀请5名代表。",
                   evidence="安全生产法执法检查实施方案.pdf"),
             objective="明确检查的条款、重点、方式和时间安排。",
             expected="实施方案经主任会议研究通过。",
             measure="主任会议纪要；方案列明检查条款、邀请代表人数和日程。",
             links=(("director", 3, 0),)),
        step("组织参检人员学习培训", 10, (_d(3, 16), _d(4, 17)),
             Story(DONE, _d(4, 10), result="邀请区应急管理局专家授课，参检组成人员和代表共23人参加培训。",
                   evidence="执法检查培训签到表.pdf"),
             objective="组织检查组成员和受邀代表学习安全生产法重点条款。",
             expected="参检人员全部参加培训。",
             measure="培训签到表；参训率100%。"),
        step("开展实地检查和暗访", 30, (_d(4, 13), _d(6, 30)),
             Story(DONE, _d(6, 24), result="实地检查企业18家、街道6个，随机暗访3处，发现问题隐患26条。",
                   evidence="执法检查问题清单.pdf"),
             objective="分3个组深入企业、街道和部门实地检查，随机暗访。",
             expected="检查企业不少于15家，形成问题清单。",
             measure="检查记录和问题清单；每个问题明确责任单位。",
             milestones=(("第一轮检查（危化品和建筑施工）", _d(5, 15)),
                         ("第二轮检查（人员密集场所）", _d(6, 12))),
             invited=5),
        step("起草执法检查报告", 20, (_d(6, 25), _d(8, 7)),
             Story(DONE, _d(7, 31), result="执法检查报告经主任会议研究，提请常委会审议。",
                   evidence="安全生产法执法检查报告.pdf"),
             objective="梳理检查发现的问题，起草执法检查报告。",
             expected="报告写明法律实施成效、问题和建议。",
             measure="报告经主任会议研究后提请常委会审议。"),
        step("提请常委会会议审议", 10, (_d(8, 3), _d(8, 31)),
             Story(DONE, _d(8, 28), result="常委会第30次会议听取审议执法检查报告，形成审议意见。",
                   evidence="常委会审议意见.pdf"),
             objective="常委会会议听取审议执法检查报告。",
             expected="形成审议意见交区政府研究处理。",
             measure="会议记录；审议意见交办文件。",
             links=(("standing", 8, 0),)),
        step("跟踪督办审议意见整改落实", 20, (_d(9, 1), _d(12, 31)), Story(LATE_MILESTONE),
             objective="对26条问题隐患逐条跟踪，推动整改到位。",
             expected="问题隐患整改销号率不低于90%，区政府书面报告研究处理情况。",
             measure="整改台账销号情况；区政府研究处理情况报告。",
             milestones=(("审议意见交办区政府", _d(9, 11)),
                         ("区政府书面报告研究处理情况", _d(11, 13))),
             reports=("审议意见已交办区政府，建立26条问题整改台账。",
                      "会同区应急管理局对整改情况开展回头看，已销号17条。",
                      "催报研究处理情况报告，区政府答复11月底前报送。")),
    )  # fmt: skip
    return _it(
        "开展《中华人民共和国安全生产法》执法检查", SJS, ZHUREN,
        "重点检查第四条（全员安全生产责任制）、第八条（安全生产规划）、第二十一条（主要负责人"
        "职责）、第二十八条（安全生产教育和培训）、第四十一条（风险分级管控和隐患排查治理）、"
        "第八十一条（生产安全事故应急救援预案）6个条款的实施情况。",
        "查清法律实施中的突出问题，形成执法检查报告和审议意见，推动问题隐患整改销号。",
        "执法检查报告经常委会审议；审议意见交办；问题隐患整改销号率不低于90%。",
        (_d(2, 24), _d(12, 31)), Story(ON_TRACK), children=children, invited=5,
    )  # fmt: skip


def _inquiry() -> ItemSpec:
    step = lambda title, weight, span, story, **kw: _it(  # noqa: E731
        title, CHS, ZHUREN, kw.pop("objective"), kw.pop("expected"), kw.pop("measure"),
        span, story, weight=weight, **kw,
    )  # fmt: skip
    children = (
        step("开展询问前专题调研", 30, (_d(2, 24), _d(4, 10)),
             Story(DONE, _d(4, 3), result="走访城管执法中队4个、街道5个，梳理群众反映集中问题32个。",
                   evidence="城市管理专题调研报告.pdf"),
             objective="围绕市容环境、违法建设、停车管理等开展调研。",
             expected="形成调研报告和询问问题清单。",
             measure="调研报告；询问问题不少于10个。", invited=8),
        step("召开专题询问会议", 40, (_d(4, 6), _d(4, 30)),
             Story(DONE, _d(4, 28), result="常委会组成人员和代表提出询问12个，区政府及7个部门负责人到会应询。",
                   evidence="专题询问会议纪要.pdf"),
             objective="常委会会议听取城市管理工作情况报告并开展专题询问。",
             expected="区政府分管负责同志和有关部门主要负责人到会应询。",
             measure="询问会议纪要；应询部门整改承诺清单。",
             links=(("standing", 4, 0),)),
        step("听取审议询问整改落实情况报告", 30, (_d(5, 4), _d(10, 31)),
             Story(DONE, _d(10, 27), result="常委会第31次会议听取审议整改落实情况报告，12项承诺已兑现10项。",
                   evidence="专题询问整改落实情况报告.pdf"),
             objective="跟踪应询部门整改承诺落实情况。",
             expected="整改落实情况报告经常委会审议。",
             measure="常委会审议记录；承诺兑现率。",
             milestones=(("整改承诺清单交办", _d(5, 15)),),
             links=(("standing", 10, 0),)),
    )  # fmt: skip
    return _it(
        "开展城市管理工作专题询问", CHS, ZHUREN,
        "聚焦市容环境、违法建设治理和停车管理，对区政府城市管理工作开展专题询问。",
        "问出压力、问出实效，应询部门作出整改承诺并按期兑现。",
        "询问会议按期召开；整改承诺兑现率不低于80%；整改落实情况报告经常委会审议。",
        (_d(2, 24), _d(11, 30)),
        Story(DONE, _d(10, 30), grade="excellent",
              result="专题询问按期召开，12项整改承诺已兑现10项，其余2项列入2027年城市更新计划。",
              evidence="城市管理专题询问工作总结.pdf",
              assessment="询问准备充分、问答聚焦，整改承诺兑现率83%，超过预期目标。"),
        children=children, invited=8,
    )  # fmt: skip


def _supervision() -> PlanSpec:
    items = (
        _inspection(),
        _inquiry(),
        _it("听取审议2025年度区级预算执行和其他财政收支的审计工作报告", CJS, MISHUZHANG,
          "听取审议审计工作报告，推动审计查出问题整改。",
          "形成审议意见并交办区政府。",
          "常委会审议记录；审议意见交办文件。",
          (_d(3, 2), _d(6, 30)),
          Story(DONE, _d(6, 26), grade="self", result="常委会第29次会议听取审议审计工作报告，审议意见已交办。",
                evidence="审计工作报告审议意见.pdf",
                assessment="按期完成审议，审议意见针对性强，已交办区政府。"),
          links=(("standing", 6, 0),)),
        _it("听取审议区政府关于生态环境状况和环境保护目标完成情况的报告", CHS, ZHUREN,
          "听取审议年度环境状况和环境保护目标完成情况报告。",
          "形成审议意见，推动空气质量和河道水质持续改善。",
          "常委会审议记录；环境保护目标完成情况数据。",
          (_d(5, 6), _d(10, 30)), Story(POSTPONED, _d(12, 31)),
          milestones=(("赴河长制责任河段实地察看", _d(9, 18)),),
          reports=("组织代表察看小清河、大明湖周边水环境治理情况。",
                   "收集区生态环境分局年度目标完成数据，起草调研报告。")),
        _it("听取审议区政府关于审计查出问题整改情况的报告", CJS, MISHUZHANG,
          "跟踪审计查出问题整改，听取审议整改情况报告。",
          "审计查出问题整改率不低于90%，整改情况报告经常委会审议。",
          "整改情况报告及整改问题清单；常委会审议记录。",
          (_d(7, 1), _d(11, 30)), Story(BUSY),
          reports=("会同区审计局梳理审计查出问题整改台账。",
                   "赴区财政局、区住建局了解整改进展。",
                   "整改情况报告初稿已收到，正在征求常委会组成人员意见。")),
        _it("听取审议区人民法院关于行政审判工作情况的报告", FZS, ZHUREN,
          "听取审议区法院行政审判工作情况报告，促进依法行政。",
          "形成审议意见，推动行政机关负责人出庭应诉率提高。",
          "常委会审议记录；行政机关负责人出庭应诉率。",
          (_d(3, 2), _d(12, 31)), Story(STALE, _d(7, 21)),
          milestones=(("旁听行政案件庭审", _d(6, 19)),)),
        _it("开展义务教育优质均衡发展情况视察", SJS, MISHUZHANG,
          "视察义务教育学校布局、师资配置和课后服务情况。",
          "形成视察报告，提出问题清单并跟踪整改销号。",
          "视察报告；问题清单整改销号率。",
          (_d(4, 1), _d(12, 31)), Story(REFUSED, _d(9, 8)),
          invited=10,
          reports=("组织10名代表视察6所中小学校。", "梳理形成问题清单9项，交区教育和体育局。")),
        _it("开展《中华人民共和国食品安全法》执法检查", SJS, ZHUREN,
          "检查食品安全法在本区的实施情况。",
          "形成执法检查报告，提出审议意见。",
          "执法检查报告经常委会审议。",
          (_d(5, 6), _d(10, 30)), Story(CANCELLED, _d(6, 8)), invited=5),
    )  # fmt: skip
    return PlanSpec(
        SUPERVISION, DEMO_YEAR, SJS, "泉城区人大常委会2026年度监督工作计划",
        "依据监督法第六十三条制定，经区委常委会会议和主任会议审定后向社会公布。",
        items, approved_at=(1, 1), publish=True,
    )  # fmt: skip


STREET_VISITS = (
    # street, month of the visit, story
    ("泉城路街道", 3, DONE), ("大明湖街道", 4, DONE), ("趵突泉街道", 4, DONE),
    ("千佛山街道", 5, DONE), ("文化东路街道", 5, DONE), ("燕山街道", 6, DONE),
    ("龙洞街道", 6, DONE), ("智远街道", 9, DONE), ("舜华路街道", 9, DONE),
    ("姚家街道", 10, LATE), ("甸柳街道", 11, ON_TRACK), ("解放路街道", 12, STALE),
)  # fmt: skip


def _street_visit(street: str, month: int, story: str) -> ItemSpec:
    ends = _d(month, 28)
    starts = _d(month, 2) if story != STALE else _d(4, 1)
    result = f"走访{street}人大工委，召开代表座谈会，收集意见建议并交有关部门办理。"
    stories = {
        DONE: Story(DONE, _d(month, 20), result=result, evidence=f"{street}调研纪要.pdf"),
        LATE: Story(LATE, _d(10, 9)),
        ON_TRACK: Story(ON_TRACK),
        STALE: Story(STALE),
    }
    return _it(
        f"走访{street}人大工委", RDS, MISHUZHANG,
        f"了解{street}人大工委工作和代表小组活动情况，听取基层意见。",
        "形成走访纪要，收集的意见建议交有关部门办理。",
        "走访纪要；意见建议交办件数。",
        (starts, ends), stories[story],
    )  # fmt: skip


def _deputy_work() -> PlanSpec:
    items = (
        _it("组织代表履职学习培训", RDS, MISHUZHANG,
          "分两期举办代表履职能力提升培训班，覆盖全体区人大代表。",
          "区人大代表参训率不低于90%，培训满意度测评优良。",
          "培训签到表和参训率；培训满意度测评结果。",
          (_d(2, 24), _d(7, 31)),
          Story(DONE, _d(6, 19), grade="good", result="举办培训2期，代表参训231人次，参训率93%，满意度96%。",
                evidence="代表履职培训总结.pdf",
                assessment="两期培训按期举办，参训率和满意度均达到预期。"),
          milestones=(("第一期培训班", _d(4, 24)), ("第二期培训班", _d(6, 12)))),
        _it("开展代表联络站“主题活动月”活动", RDS, MISHUZHANG,
          "每季度在12个代表联络站开展一次主题接待选民活动。",
          "全年各联络站开展活动不少于4次，选民意见建议及时转交办理。",
          "活动记录和参加代表人次；意见建议转办率和反馈率。",
          YEAR, Story(ON_TRACK),
          milestones=(("一季度主题活动", _d(3, 31)), ("二季度主题活动", _d(6, 30)),
                      ("三季度主题活动", _d(9, 30)), ("四季度主题活动", _d(12, 18))),
          reports=("一季度各联络站开展接待活动36场次，收集意见建议58条。",
                   "二季度围绕“城市更新”主题开展活动，代表参加312人次。",
                   "三季度活动已完成，意见建议转办率100%。")),
        _it("督办代表建议办理", RDS, ZHUREN,
          "对区十八届人大五次会议代表建议开展跟踪督办，重点督办建议由主任会议成员领衔督办。",
          "建议按期答复率100%，代表满意和基本满意率不低于95%。",
          "按期答复率、满意率统计；重点督办建议办理报告。",
          (_d(2, 24), _d(12, 31)), Story(ON_TRACK),
          milestones=(("建议交办会", _d(2, 27)), ("办理工作中期汇报", _d(7, 10)),
                      ("满意度测评", _d(10, 30))),
          links=(("key", 0, 0), ("standing", 10, 0)),
          reports=("召开建议交办会，确定重点督办建议。", "听取办理工作中期情况汇报。",
                   "组织代表对答复开展满意度测评。")),
        _it("走访12个街道人大工委开展调研", RDS, MISHUZHANG,
          "分管领导带队走访全部12个街道人大工委，推动街道人大工作规范化。",
          "12个街道全部走访，形成街道人大工作调研报告。",
          "走访纪要12份；调研报告经主任会议研究。",
          (_d(3, 2), _d(12, 31)), Story(ON_TRACK),
          children=tuple(_street_visit(*row) for row in STREET_VISITS)),
        _it("组织代表向原选区选民述职", RDS, MISHUZHANG,
          "组织部分区人大代表在联络站向原选区选民述职并接受评议。",
          "不少于40名代表述职，选民评议满意率不低于90%。",
          "述职代表人数；选民评议结果。",
          (_d(12, 1), _d(12, 31)), Story(PLANNED)),
        _it("邀请代表列席常委会会议", RDS, ZHUREN,
          "每次常委会会议邀请5至8名代表列席，扩大代表对常委会工作的参与。",
          "全年邀请代表列席不少于40人次。",
          "列席代表人次统计。",
          YEAR, Story(ON_TRACK), invited=40,
          reports=("上半年常委会会议邀请代表列席24人次。", "三季度邀请代表列席8人次。")),
    )  # fmt: skip
    return PlanSpec(
        DEPUTY, DEMO_YEAR, RDS, "泉城区人大常委会2026年代表工作计划",
        "依据代表法第四十三条制定，经区委常委会会议和主任会议审定后向社会公布。",
        items, approved_at=(1, 1), publish=True,
    )  # fmt: skip


def _study() -> PlanSpec:
    items = (
        _it("习近平法治思想和人民代表大会制度专题学习", YJS, ZHUREN,
          "常委会党组理论学习中心组每季度开展一次专题学习。",
          "全年专题学习不少于4次，形成学习体会文章。",
          "学习记录；体会文章篇数。",
          YEAR, Story(ON_TRACK),
          milestones=(("一季度专题学习", _d(3, 27)), ("二季度专题学习", _d(6, 26)),
                      ("三季度专题学习", _d(9, 25)))),
        _it("赴浙江省学习考察基层立法联系点建设", YJS, MISHUZHANG,
          "学习浙江省基层立法联系点建设和全过程人民民主实践经验。",
          "形成考察报告，提出本区联系点建设意见。",
          "考察报告经主任会议研究；采纳的建议条数。",
          (_d(4, 1), _d(9, 30)),
          Story(DONE, _d(9, 24), grade="self", result="考察团一行8人赴杭州、义乌考察，考察报告提出5条建议。",
                evidence="赴浙江学习考察报告.pdf",
                assessment="考察按计划完成，报告已报主任会议，2条建议已采纳。"),
          invited=2),
        _it("赴上海市学习考察人大街道工作", YJS, MISHUZHANG,
          "学习上海市街道人大工委和代表联络站建设经验。",
          "形成考察报告，提出街道人大工作规范化意见。",
          "考察报告经主任会议研究。",
          (_d(6, 1), _d(11, 30)), Story(PENDING, _d(12, 31)),
          reports=("与上海市有关区人大常委会沟通考察日程。",)),
        _it("“增强人大监督刚性”专题调研", YJS, ZHUREN,
          "调研审议意见落实、跟踪监督的机制，提出增强监督刚性的措施。",
          "形成调研报告并提出制度建议。",
          "调研报告经主任会议研究。",
          YEAR, Story(STALE, _d(9, 4))),
    )  # fmt: skip
    return PlanSpec(
        STUDY, DEMO_YEAR, YJS, "泉城区人大常委会2026年学习考察计划",
        "学习考察坚持务实节俭，考察报告报主任会议。", items, approved_at=(2, 0),
    )  # fmt: skip


def _office_plans() -> list[PlanSpec]:
    office = {
        BGS: (
            _it("机关信息化平台建设", BGS, MISHUZHANG,
              "建设覆盖计划落实、代表建议、考勤等业务的机关工作平台。",
              "平台上线运行，机关各工作机构全部使用。",
              "平台上线验收；使用机构数。",
              (_d(3, 2), _d(12, 15)), Story(BUSY),
              milestones=(("需求调研完成", _d(4, 30)), ("系统试运行", _d(9, 30))),
              reports=("完成需求调研，确定建设方案。", "系统进入试运行，组织培训2场。",
                       "修改完善试运行中发现的问题，准备验收。")),
            _it("会务保障和公文处理", BGS, MISHUZHANG,
              "做好常委会会议、主任会议会务保障和公文运转。",
              "会议保障零差错，公文办理按期率100%。",
              "会务差错次数；公文按期办结率。",
              YEAR, Story(ON_TRACK)),
            _it("机关档案数字化", BGS, MISHUZHANG,
              "完成2016年以来机关文书档案数字化。",
              "档案数字化率100%，通过档案部门验收。",
              "数字化卷数；验收意见。",
              (_d(3, 2), _d(8, 31)),
              Story(DONE, _d(8, 21), grade="good", result="完成1.2万件文书档案数字化，通过区档案馆验收。",
                    evidence="档案数字化验收意见.pdf",
                    assessment="按期完成数字化并通过验收。")),
        ),
        YJS: (
            _it("编印《人大工作研究》", YJS, MISHUZHANG,
              "每季度编印一期《人大工作研究》。",
              "全年编印4期，每期刊发文章不少于10篇。",
              "编印期数和刊发文章数。",
              YEAR, Story(ON_TRACK),
              milestones=(("第一期", _d(3, 31)), ("第二期", _d(6, 30)), ("第三期", _d(9, 30)))),
            _it("起草常委会年度工作报告", YJS, ZHUREN,
              "起草提请区人大会议审议的常委会工作报告。",
              "报告初稿经主任会议讨论。",
              "主任会议讨论记录。",
              (_d(12, 1), _d(12, 31)), Story(PLANNED)),
            _it("撰写街道人大工作调研报告", YJS, MISHUZHANG,
              "结合走访街道人大工委，撰写街道人大工作调研报告。",
              "调研报告报主任会议。",
              "调研报告经主任会议研究。",
              (_d(5, 6), _d(10, 30)), Story(LATE, _d(9, 16))),
        ),
        RDS: (
            _it("完善代表履职档案", RDS, MISHUZHANG,
              "建立全体区人大代表电子履职档案，按季度更新。",
              "421名代表履职档案全部建立并按季度更新。",
              "档案建立率；更新记录。",
              YEAR, Story(ON_TRACK)),
            _it("组织任前法律知识考试", RDS, ZHUREN,
              "对拟任命人员组织任前法律知识考试。",
              "拟任命人员考试全覆盖。",
              "考试记录和成绩单。",
              (_d(1, 26), _d(6, 30)),
              Story(DONE, _d(4, 22), result="组织任前法律知识考试3场，参考人员17人全部合格。",
                    evidence="任前法律知识考试成绩单.pdf")),
        ),
        FZS: (
            _it("规范性文件备案审查", FZS, ZHUREN,
              "对区政府报备的规范性文件逐件审查。",
              "报备文件审查率100%，发现问题的督促纠正。",
              "审查件数；纠正件数。",
              YEAR, Story(ON_TRACK),
              milestones=(("年度备案审查工作情况报告起草", _d(10, 30)),)),
            _it("开展宪法宣传周活动", FZS, ZHUREN,
              "组织国家宪法日和宪法宣传周活动。",
              "举办宣传活动不少于5场。",
              "活动记录和参加人数。",
              (_d(3, 2), _d(12, 31)), Story(STALE, _d(5, 29))),
        ),
        CJS: (
            _it("推进预算联网监督系统建设", CJS, MISHUZHANG,
              "完成预算联网监督系统二期建设，接入社保和国资数据。",
              "系统二期上线，接入数据单位不少于5个。",
              "上线验收记录；接入单位数。",
              YEAR, Story(LATE_MILESTONE),
              milestones=(("完成招标", _d(4, 30)), ("二期系统上线试运行", _d(10, 16)))),
            _it("国有资产管理情况调研", CJS, MISHUZHANG,
              "调研行政事业性国有资产管理情况。",
              "形成调研报告，为常委会审议提供参考。",
              "调研报告报主任会议。",
              (_d(1, 26), _d(3, 31)),
              Story(DONE, _d(3, 20), result="调研区属单位12家，调研报告报主任会议。",
                    evidence="国有资产管理情况调研报告.pdf")),
        ),
        SJS: (
            _it("民生实事项目票决制跟踪监督", SJS, MISHUZHANG,
              "跟踪监督区十八届人大五次会议票决的10件民生实事项目。",
              "10件民生实事项目年底前全部完成。",
              "项目完成数；代表评议满意率。",
              (_d(2, 2), _d(12, 20)), Story(BUSY),
              reports=("制定民生实事项目监督方案，分组联系项目。", "组织代表视察项目进展。",
                       "10件项目已完工7件，其余3件正在加快推进。")),
            _it("医疗卫生服务体系建设调研", SJS, MISHUZHANG,
              "调研社区卫生服务中心建设运行情况。",
              "形成调研报告。",
              "调研报告报主任会议。",
              YEAR, Story(ON_TRACK)),
        ),
        CHS: (
            _it("《中华人民共和国黄河保护法》宣传和实施情况调研", CHS, ZHUREN,
              "开展黄河保护法宣传，调研本区实施情况。",
              "形成调研报告。",
              "调研报告报主任会议。",
              (_d(3, 2), _d(7, 31)),
              Story(DONE, _d(7, 17), grade="fair", result="开展宣传活动3场，调研报告报主任会议。",
                    evidence="黄河保护法调研报告.pdf",
                    assessment="宣传和调研完成，调研报告的对策建议还不够具体。")),
            _it("城市停车设施建设专题调研", CHS, ZHUREN,
              "调研老城区停车难问题和停车设施建设情况。",
              "形成调研报告，提出停车设施建设建议。",
              "调研报告报主任会议；建议采纳情况。",
              YEAR, Story(STALE)),
        ),
    }  # fmt: skip
    return [
        PlanSpec(
            OWN,
            DEMO_YEAR,
            name,
            f"{name}2026年工作计划",
            "经主任会议审定。",
            items,
            approved_at=(2, 0),
            publish=name == CHS,
        )
        for name, items in office.items()
    ]


def _next_year() -> list[PlanSpec]:
    nxt = DEMO_YEAR + 1
    year = (date(nxt, 1, 25), date(nxt, 12, 31))
    works = (
        _it("依法讨论决定本区重大事项", FZS, ZHUREN,
          "围绕区委2027年中心工作依法作出决议决定。",
          "全年依法作出决议、决定不少于4项。",
          "",  # the measure is still missing: the draft cannot be submitted yet
          year),
        _it("听取审议区政府专项工作报告", CJS, MISHUZHANG,
          "听取审议计划执行、预算执行、国有资产管理等专项工作报告。",
          "按期听取审议，审议意见全部交办。",
          "常委会审议记录；审议意见交办率。",
          year),
    )  # fmt: skip
    supervision = (
        _it("开展《中华人民共和国消防法》执法检查", SJS, ZHUREN,
          "检查消防法在本区的实施情况，重点检查高层建筑和人员密集场所消防安全。",
          "形成执法检查报告和审议意见，推动隐患整改。",
          "报告经常委会审议；隐患整改销号率不低于90%。",
          (date(nxt, 3, 1), date(nxt, 10, 31)), invited=6),
        _it("开展物业管理工作专题询问", CHS, ZHUREN,
          "对区政府物业管理工作开展专题询问。",
          "应询部门作出整改承诺并按期兑现。",
          "承诺兑现率不低于80%。",
          (date(nxt, 3, 1), date(nxt, 11, 30)), invited=8),
    )  # fmt: skip
    return [
        PlanSpec(
            WORKS,
            nxt,
            BGS,
            f"泉城区人大常委会{nxt}年工作要点（征求意见稿）",
            "正在征求各工作机构意见。",
            works,
        ),
        PlanSpec(
            SUPERVISION,
            nxt,
            SJS,
            f"泉城区人大常委会{nxt}年度监督工作计划（送审稿）",
            "拟提请12月主任会议审定。",
            supervision,
            submit=True,
            returned=True,
        ),
    ]


def plan_specs() -> list[PlanSpec]:
    return [_work_points(), _supervision(), _deputy_work(), _study(), *_office_plans(),
            *_next_year()]  # fmt: skip


# ---------------------------------------------------------------------------------------------
# The dated moves


@dataclass
class _Dates:
    """Working days of the demo year, and its meetings, for placing moves."""

    rng: random.Random
    meetings: dict[tuple[str, int], date]
    calendar: WorkCalendar = field(default_factory=WorkCalendar)

    def workday(self, day: date) -> date:
        """The working day on or after `day`; the one before when that passes the last day."""
        moved = self.calendar.next_workday(day)
        if moved <= LAST_DAY:
            return moved
        day = min(day, LAST_DAY)
        while not self.calendar.is_workday(day):
            day -= timedelta(days=1)
        return day

    def between(self, first: date, last: date) -> date:
        span = max(0, (last - first).days)
        return self.workday(first + timedelta(days=self.rng.randint(0, span)))

    def director(self, month: int, half: int) -> tuple[int, date]:
        number = FIRST_DIRECTOR_NUMBER_2026 + (month - 1) * 2 + half
        return number, self.meetings[(Meeting.Kind.DIRECTOR, number)]

    def standing(self, month: int) -> tuple[int, date]:
        index = [m for m, _ in STANDING_AGENDA].index(month)
        number = FIRST_STANDING_NUMBER_2026 + index
        return number, self.meetings[(Meeting.Kind.STANDING, number)]


class _Planner:
    def __init__(self, rng: random.Random, meetings: Sequence[MeetingSpec]) -> None:
        self.dates = _Dates(
            rng=rng,
            meetings={(m.kind, m.number): m.date for m in meetings if m.date.year == DEMO_YEAR},
        )
        self.rng = rng
        self.steps: list[PlanStep] = []
        self.plan = 0

    def add(self, day: date, move: str, item: tuple[int, ...] = (), **args: Any) -> None:
        self.steps.append(PlanStep(day, self.plan, move, item, tuple(sorted(args.items()))))

    # -- a plan ---------------------------------------------------------------------------------

    def plan_steps(self, index: int, spec: PlanSpec) -> None:
        self.plan = index
        d = self.dates
        if spec.approved_at is not None:
            _, approve_day = d.director(*spec.approved_at)
            drafted = d.workday(approve_day - timedelta(days=12))
            submitted = d.workday(approve_day - timedelta(days=self.rng.randint(3, 6)))
        else:
            drafted = d.between(_d(10, 26), _d(11, 3))
            submitted = d.workday(_d(11, 9))
        self.add(drafted, "create")
        for path, item in _walk(spec.items):
            self.add(drafted, "add_item", path)
            for n, _milestone in enumerate(item.milestones):
                self.add(drafted, "add_milestone", path, n=n)
            for kind, month, half in item.links:
                self.add(drafted if kind != "key" else _d(3, 20), "link", path, kind=kind,
                         month=month, half=half)  # fmt: skip
        if spec.returned:
            self.add(submitted, "submit")
            self.add(d.workday(submitted + timedelta(days=2)), "return", reason=RETURN_REASON)
            submitted = d.workday(_d(11, 18))
        if spec.submit or spec.approved_at is not None:
            self.add(submitted, "submit")
        if spec.approved_at is None:
            return
        number, approve_day = d.director(*spec.approved_at)
        party = None
        if spec.kind in (WORKS, SUPERVISION, DEPUTY):
            party = d.workday(approve_day - timedelta(days=7))
        self.add(approve_day, "approve", number=number, party=party)
        if spec.publish:
            self.add(d.workday(approve_day + timedelta(days=3)), "publish")
        for path, item in _walk(spec.items):
            if not item.children:
                self.leaf_steps(path, item, approve_day)
            elif item.story.kind == DONE:
                self.completion(path, item)

    # -- a leaf item ----------------------------------------------------------------------------

    def leaf_steps(self, path: tuple[int, ...], item: ItemSpec, approved: date) -> None:
        d, story = self.dates, item.story
        begin = d.workday(max(item.starts_on, approved + timedelta(days=1)))
        if story.kind == PLANNED:
            return
        until = {
            DONE: story.on,
            STALE: story.on,
            LATE: story.on,
            CANCELLED: story.on,
        }.get(story.kind) or d.between(_d(11, 9), LAST_DAY)
        if story.kind == STALE and story.on is None:
            until = None  # never reported on
        if story.kind == REFUSED:
            asked = story.on
            self.add(asked, "request", path, kind=ChangeRequest.Kind.ADJUST,
                     reason="受学校布局调整影响，建议将预期成果调整为形成视察报告，不再跟踪问题销号。",
                     new_expected="形成视察报告。", new_measure="视察报告报主任会议。")  # fmt: skip
            self.add(d.workday(asked + timedelta(days=4)), "decide", path, approve=False,
                     note=REFUSE_NOTE)  # fmt: skip
        if until is not None:
            self.milestones(path, item, begin, until)
            self.reports(path, item, begin, until)
        if story.kind == DONE:
            self.completion(path, item)
        elif story.kind == POSTPONED:
            asked = d.workday(item.ends_on - timedelta(days=16))
            self.add(asked, "request", path, kind=ChangeRequest.Kind.POSTPONE, new_ends_on=story.on,
                     reason="区生态环境分局年度环境质量数据12月上旬才能发布，"
                            "为保证报告数据完整，申请延至12月常委会会议听取审议。")  # fmt: skip
            self.add(d.workday(asked + timedelta(days=3)), "decide", path, approve=True,
                     note=POSTPONE_NOTE)  # fmt: skip
        elif story.kind == PENDING:
            self.add(d.between(_d(11, 16), LAST_DAY), "request", path,
                     kind=ChangeRequest.Kind.POSTPONE, new_ends_on=story.on,
                     reason="接待方年底会议集中，考察日程无法在11月安排，申请延至12月。")  # fmt: skip
        elif story.kind == CANCELLED:
            asked = d.workday(story.on + timedelta(days=1))
            self.add(asked, "request", path, kind=ChangeRequest.Kind.CANCEL,
                     reason="市人大常委会统一部署开展食品安全法执法检查，区人大常委会配合市级检查，"
                            "不再单独开展。")  # fmt: skip
            self.add(d.workday(asked + timedelta(days=3)), "decide", path, approve=True,
                     note=CANCEL_NOTE)  # fmt: skip

    def milestones(self, path: tuple[int, ...], item: ItemSpec, begin: date, until: date) -> None:
        due = [(n, m_due) for n, (_, m_due) in enumerate(item.milestones) if m_due <= until]
        if item.story.kind == LATE_MILESTONE:
            # Every milestone due before the demo is looked at is met, except the last one.
            due = [(n, m_due) for n, (_, m_due) in enumerate(item.milestones) if m_due < LOOKED_AT]
            due = due[:-1]
        for n, m_due in due:
            done = self.dates.workday(max(begin, m_due - timedelta(days=self.rng.randint(1, 5))))
            self.add(min(done, until), "milestone", path, n=n)

    def reports(self, path: tuple[int, ...], item: ItemSpec, begin: date, until: date) -> None:
        story = item.story
        texts = list(item.reports) or self.rng.sample(GENERIC_REPORTS, 2)
        if story.kind == DONE:
            texts = texts[:2]
        days = sorted({min(self.dates.between(begin, until), until) for _ in texts[:-1]} | {until})
        if story.kind == DONE and len(days) > 1:
            days = days[:-1]  # the completion itself is the last word
        top = {
            DONE: 80,
            BUSY: 90,
            STALE: 30,
            LATE: 70,
            CANCELLED: 10,
        }.get(story.kind)
        if top is None:
            elapsed = (until - item.starts_on).days / max(1, (item.ends_on - item.starts_on).days)
            top = max(20, min(90, round(elapsed * 100)))
        for n, day in enumerate(days):
            percent = max(5, round(top * (n + 1) / len(days)) - self.rng.randint(0, 4))
            self.add(day, "report", path, text=texts[min(n, len(texts) - 1)], percent=percent,
                     evidence=n == len(days) - 1 and story.kind in (ON_TRACK, BUSY))  # fmt: skip

    def completion(self, path: tuple[int, ...], item: ItemSpec) -> None:
        story = item.story
        self.add(story.on, "complete", path, result=story.result, evidence=story.evidence)
        if story.grade:
            assessed = self.dates.between(_d(11, 9), _d(11, 13))
            self.add(assessed, "assess", path, text=story.assessment or story.result)
        if story.grade not in ("", "self"):
            self.add(self.dates.between(_d(11, 16), LAST_DAY), "grade", path, grade=story.grade)


def _walk(items: Sequence[ItemSpec], prefix: tuple[int, ...] = ()):
    """Items depth-first, parents before their children, with their paths."""
    for n, item in enumerate(items):
        path = (*prefix, n)
        yield path, item
        yield from _walk(item.children, path)


def plan_plans(*, rng: random.Random, meetings: Sequence[MeetingSpec]) -> PlansPlan:
    """The demo's plans with every dated move; a pure function of the generator and meetings."""
    specs = plan_specs()
    planner = _Planner(rng, meetings)
    for index, spec in enumerate(specs):
        planner.plan_steps(index, spec)
    order = sorted(range(len(planner.steps)), key=lambda i: (planner.steps[i].day, i))
    steps = tuple(planner.steps[i] for i in order)
    assert all(step.day <= LAST_DAY for step in steps), "the demo's moves end on LAST_DAY"
    return PlansPlan(plans=tuple(specs), steps=steps)


# ---------------------------------------------------------------------------------------------
# Saving: replay every move through the actions


def save_plans(
    *, plan: PlansPlan, accounts: Sequence[User], offices: dict[str, Office]
) -> dict[str, dict[str, int]]:
    """Create the offices' acting users, then run every planned move as of its day. Returns the
    number of plans by status and of items by status."""
    replay = _Replay(plan=plan, accounts=accounts, offices=offices)
    for step in plan.steps:
        with actions.as_of(step.day):
            getattr(replay, "_" + step.move)(step)
    # People read their messages: only the last month's stay unread in the demo.
    Notification.objects.filter(created_at__lt=READ_BEFORE, read_at=None).update(
        read_at=F("created_at")
    )
    plans = Counter(Plan.objects.values_list("status", flat=True))
    items = Counter(PlanItem.objects.values_list("status", flat=True))
    return {
        "plans": {s: plans[s] for s in PlanStatus.values},
        "items": {s: items[s] for s in ItemStatus.values},
    }


def office_users(accounts: Sequence[User], offices: dict[str, Office]) -> dict[str, User]:
    """One staff user per office: the demo log-in where there is one, else one that cannot
    log in."""
    users = {u.username: u for u in accounts}
    result: dict[str, User] = {}
    for account in DEMO_ACCOUNTS:
        for m in account.memberships:
            if m.role == Role.STAFF and m.office and m.office not in result:
                result[m.office] = users[account.username]
    missing = [(i, o.name) for i, o in enumerate(OFFICES) if o.name not in result]
    created = User.objects.bulk_create(
        User(
            username=OFFICE_USERNAME.format(i + 1),
            full_name=OFFICE_STAFF_NAMES.get(name, f"{name}工作人员"),
            password=make_password(None),
        )
        for i, name in missing
    )
    RoleMembership.objects.bulk_create(
        RoleMembership(user=user, role=Role.STAFF, office=offices[name])
        for (_, name), user in zip(missing, created, strict=True)
    )
    result.update({name: user for (_, name), user in zip(missing, created, strict=True)})
    return result


def _pdf(name: str) -> SimpleUploadedFile:
    """A small real PDF: one page saying what it proves."""
    body = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return SimpleUploadedFile(name, body, "application/pdf")


class _Replay:
    """Runs planned moves through the actions, remembering the rows later moves refer to."""

    def __init__(
        self, *, plan: PlansPlan, accounts: Sequence[User], offices: dict[str, Office]
    ) -> None:
        self.specs = plan.plans
        self.offices = offices
        self.office_users = office_users(accounts, offices)
        users = {u.username: u for u in accounts}
        self.leaders = {name: users[name] for name in (ZHUREN, MISHUZHANG)}
        self.meetings = {
            (m.kind, m.number): m for m in Meeting.objects.filter(date__year=DEMO_YEAR)
        }
        self.plans: dict[int, Plan] = {}
        self.items: dict[tuple[int, tuple[int, ...]], PlanItem] = {}
        self.milestone_ids: dict[tuple[int, tuple[int, ...]], list[int]] = {}
        self.changes: dict[tuple[int, tuple[int, ...]], ChangeRequest] = {}

    def spec(self, step: PlanStep) -> ItemSpec:
        items, spec = self.specs[step.plan].items, None
        for n in step.item:
            spec = items[n]
            items = spec.children
        return spec

    def drafter(self, step: PlanStep) -> User:
        return self.office_users[self.specs[step.plan].office]

    def owner(self, step: PlanStep) -> User:
        return self.office_users[self.spec(step).owner]

    def item(self, step: PlanStep) -> PlanItem:
        return self.items[(step.plan, step.item)]

    # -- plans ----------------------------------------------------------------------------------

    def _create(self, step: PlanStep) -> None:
        spec = self.specs[step.plan]
        self.plans[step.plan] = actions.create_plan(
            acting_user=self.drafter(step), kind=spec.kind, year=spec.year, title=spec.title,
            office=self.offices[spec.office], note=spec.note,
        )  # fmt: skip

    def _add_item(self, step: PlanStep) -> None:
        spec = self.spec(step)
        parent = self.items[(step.plan, step.item[:-1])] if len(step.item) > 1 else None
        self.items[(step.plan, step.item)] = actions.add_item(
            acting_user=self.drafter(step),
            plan=self.plans[step.plan],
            parent=parent,
            values=ItemFields(
                title=spec.title, owner_office=self.offices[spec.owner],
                leader=self.leaders[spec.leader], objective=spec.objective,
                expected_result=spec.expected, measure=spec.measure, starts_on=spec.starts_on,
                ends_on=spec.ends_on, invited_deputies=spec.invited, weight=spec.weight,
            ),
        )  # fmt: skip

    def _add_milestone(self, step: PlanStep) -> None:
        title, due = self.spec(step).milestones[step.arg("n")]
        milestone = actions.add_milestone(
            acting_user=self.drafter(step), item=self.item(step), title=title, due_on=due
        )
        self.milestone_ids.setdefault((step.plan, step.item), []).append(milestone.pk)

    def _link(self, step: PlanStep) -> None:
        kind = step.arg("kind")
        if kind == "key":  # the key suggestions the item follows
            targets = list(Suggestion.objects.filter(is_key=True).order_by("pk")[:3])
        elif kind == "standing":
            index = [m for m, _ in STANDING_AGENDA].index(step.arg("month"))
            number = FIRST_STANDING_NUMBER_2026 + index
            targets = [self.meetings[(Meeting.Kind.STANDING, number)]]
        else:
            number = FIRST_DIRECTOR_NUMBER_2026 + (step.arg("month") - 1) * 2 + step.arg("half")
            targets = [self.meetings[(Meeting.Kind.DIRECTOR, number)]]
        for target in targets:
            actions.link_item(acting_user=self.drafter(step), item=self.item(step), target=target)

    def _submit(self, step: PlanStep) -> None:
        actions.submit_plan(acting_user=self.drafter(step), plan=self.plans[step.plan])

    def _return(self, step: PlanStep) -> None:
        actions.return_plan(
            acting_user=self.leaders[MISHUZHANG],
            plan=self.plans[step.plan],
            reason=step.arg("reason"),
        )

    def _approve(self, step: PlanStep) -> None:
        party = step.arg("party")
        actions.approve_plan(
            acting_user=self.leaders[ZHUREN],
            plan=self.plans[step.plan],
            meeting=self.meetings[(Meeting.Kind.DIRECTOR, step.arg("number"))],
            party_committee_date=party,
            party_committee_note="经区委常委会会议研究同意" if party else "",
        )

    def _publish(self, step: PlanStep) -> None:
        actions.publish_plan(acting_user=self.drafter(step), plan=self.plans[step.plan])

    # -- items ----------------------------------------------------------------------------------

    def _milestone(self, step: PlanStep) -> None:
        pk = self.milestone_ids[(step.plan, step.item)][step.arg("n")]
        actions.complete_milestone(
            acting_user=self.owner(step), milestone=Milestone.objects.get(pk=pk)
        )

    def _report(self, step: PlanStep) -> None:
        files = [_pdf("工作推进照片及会议记录.pdf")] if step.arg("evidence") else []
        actions.report_progress(
            acting_user=self.owner(step), item=self.item(step), text=step.arg("text"),
            percent=step.arg("percent"), evidence=files,
        )  # fmt: skip

    def _complete(self, step: PlanStep) -> None:
        actions.complete_item(
            acting_user=self.owner(step), item=self.item(step),
            result_statement=step.arg("result"), evidence=[_pdf(step.arg("evidence"))],
        )  # fmt: skip

    def _request(self, step: PlanStep) -> None:
        self.changes[(step.plan, step.item)] = actions.request_change(
            acting_user=self.owner(step), item=self.item(step), kind=step.arg("kind"),
            reason=step.arg("reason"), new_ends_on=step.arg("new_ends_on"),
            new_expected_result=step.arg("new_expected", ""), new_measure=step.arg("new_measure", ""),
        )  # fmt: skip

    def _decide(self, step: PlanStep) -> None:
        actions.decide_change(
            acting_user=self.leaders[self.spec(step).leader],
            change=self.changes[(step.plan, step.item)],
            approve=step.arg("approve"),
            note=step.arg("note"),
        )

    def _assess(self, step: PlanStep) -> None:
        actions.self_assess(
            acting_user=self.owner(step), item=self.item(step), text=step.arg("text")
        )

    def _grade(self, step: PlanStep) -> None:
        actions.grade_item(
            acting_user=self.leaders[self.spec(step).leader],
            item=self.item(step),
            grade=step.arg("grade"),
            note="经主任会议成员评议。",
        )

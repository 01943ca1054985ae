"""The demo's supervision year, entered through the real actions as of their days: the Work
Safety Law inspection the organ asked to make concrete (six articles, seven deputies invited and
two declining, three visits, a questionnaire, six problems, the report, review opinions to four
bodies and their rectification items in every state), the urban-management special inquiry
(seven bodies, twelve questions with their votes, twelve commitments), and three work reports on
the statutory timeline (one with review opinions).

Looked at on 2026-11-27 it shows overdue rectification items and an overdue handling report,
items waiting for verification, a rejected-and-redone item, and a work report whose meeting is
still ahead."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile

from renda.core.models import Office, Role, RoleMembership, Unit, User
from renda.demo.suggestions import LAST_DAY
from renda.deputies.models import Deputy, Level
from renda.meetings.models import Meeting
from renda.plans import actions as plan_actions
from renda.plans.models import PlanItem
from renda.supervision.actions import common, laws
from renda.supervision.actions import inquiries as inq
from renda.supervision.actions import inspections as insp
from renda.supervision.actions import opinions as ops
from renda.supervision.actions import rectification as rect
from renda.supervision.actions import work_reports as wr
from renda.supervision.models import (
    Inquiry,
    InquiryQuestion,
    Inspection,
    InspectionMethod,
    LawProvision,
    ProvisionKind,
    Rectification,
    ReviewOpinion,
    TeamRole,
    WorkReport,
)

YEAR = 2026
SJS, CHS, RDS, CJS = "社会建设工作室", "城建环保工作室", "人事代表工作室", "财经工作室"
SUPERVISION_UNIT_PREFIX = "unit-s"  # liaison users of units the suggestions do not reach


def _d(month: int, day: int, year: int = YEAR) -> date:
    return date(year, month, day)


@contextmanager
def _on(day: date) -> Iterator[None]:
    """Both the supervision and the plans actions run as of `day` (closing an inspection
    completes its plan item)."""
    with common.as_of(day), plan_actions.as_of(day):
        yield


def _pdf(name: str) -> SimpleUploadedFile:
    body = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return SimpleUploadedFile(name, body, "application/pdf")


class _People:
    """Who acts: office staff, leaders, unit liaisons (created for units without one)."""

    def __init__(self, accounts: dict[str, User], units: dict[str, Unit]) -> None:
        self.accounts = accounts
        self.units = units
        self._unit_users: dict[str, User] = {}

    def office(self, name: str) -> Office:
        return Office.objects.get(name=name)

    def staff(self, office: str) -> User:
        return (
            User.objects.filter(memberships__role=Role.STAFF, memberships__office__name=office)
            .order_by("id")
            .first()
        )

    def unit_user(self, unit: str) -> User:
        if unit not in self._unit_users:
            user = (
                User.objects.filter(memberships__role=Role.UNIT, memberships__unit__name=unit)
                .order_by("id")
                .first()
            )
            if user is None:
                number = len([u for u in self._unit_users.values() if u.username.startswith(
                    SUPERVISION_UNIT_PREFIX)]) + 1  # fmt: skip
                user = User.objects.create(
                    username=f"{SUPERVISION_UNIT_PREFIX}{number:02d}",
                    full_name=f"{self.units[unit].short_name}联络员",
                    password=make_password(None),
                )
                RoleMembership.objects.create(user=user, role=Role.UNIT, unit=self.units[unit])
            self._unit_users[unit] = user
        return self._unit_users[unit]


def _meeting(kind: str, month: int, *, first: bool = True) -> Meeting:
    rows = Meeting.objects.filter(kind=kind, date__year=YEAR, date__month=month).order_by("date")
    return rows.first() if first else rows.last()


def _provision(version, label: str) -> LawProvision:
    return version.provisions.get(kind=ProvisionKind.ARTICLE, label=label)


# ---------------------------------------------------------------------------------------------
# The Work Safety Law inspection

CLAUSES = (
    ("第四条", "duty", "生产经营单位建立健全全员安全生产责任制和安全生产规章制度", ("区应急管理局", "区住房和城乡建设局")),
    ("第八条", "duty", "区人民政府根据国民经济和社会发展规划制定安全生产规划", ("区应急管理局",)),
    ("第二十一条", "duty", "生产经营单位主要负责人履行七项安全生产职责", ("区应急管理局", "区市场监督管理局")),
    ("第二十八条", "duty", "对从业人员进行安全生产教育和培训，未经培训合格不得上岗", ("区应急管理局",)),
    ("第四十一条", "duty", "建立安全风险分级管控和隐患排查治理双重预防机制", ("区住房和城乡建设局", "区应急管理局")),
    ("第八十一条", "duty", "制定生产安全事故应急救援预案并定期组织演练", ("区消防救援大队", "区应急管理局")),
)  # fmt: skip

FINDINGS = {
    "第四条": ("partly", "规模以上企业责任制基本健全，部分在建工地责任制未落实到班组和岗位。"),
    "第八条": ("implemented", "区“十四五”安全生产规划已制定并按年度分解落实。"),
    "第二十一条": ("partly", "小微企业主要负责人履职不到位，隐患排查流于形式。"),
    "第二十八条": ("partly", "外来务工人员安全培训覆盖率偏低，培训针对性不强。"),
    "第四十一条": ("not_implemented", "建筑施工领域双重预防机制运行不规范，隐患台账不闭环。"),
    "第八十一条": ("partly", "部分人员密集场所应急预案未演练或演练流于形式。"),
}

PROBLEMS = (
    ("第四条", "区住房和城乡建设局", "部分在建工地全员安全生产责任制未落实到班组和岗位，"
     "分包单位责任不清。", "督促施工总承包单位将责任制细化到班组、岗位，年底前完成全覆盖检查。"),
    ("第四十一条", "区住房和城乡建设局", "建筑施工领域双重预防机制运行不规范，抽查的12个工地中"
     "5个隐患台账未闭环。", "开展建筑施工隐患排查治理专项行动，建立隐患整改闭环台账。"),
    ("第二十一条", "区应急管理局", "小微企业主要负责人安全生产职责履行不到位，隐患自查流于形式。",
     "分行业制定主要负责人履职清单，开展履职情况专项检查。"),
    ("第二十八条", "区应急管理局", "外来务工人员安全生产教育培训覆盖率偏低，培训针对性不强。",
     "组织开展重点行业从业人员全员培训，建立培训档案。"),
    ("第二十一条", "区市场监督管理局", "部分特种设备使用单位主要负责人未按规定组织隐患排查。",
     "对特种设备使用单位开展专项检查，督促落实主要负责人责任。"),
    ("第八十一条", "区消防救援大队", "部分商场、宾馆等人员密集场所应急预案未演练或演练流于形式。",
     "督促人员密集场所每半年至少组织一次应急演练，开展抽查评估。"),
)  # fmt: skip


def _inspection_deputies(accounts: dict[str, User]) -> list[Deputy]:
    """Seven deputies: the demo deputy 刘雪梅, four other district deputies in business or a
    profession, two municipal deputies."""
    own = accounts["daibiao"].deputy
    district = list(
        Deputy.objects.with_active_mandate(level=Level.DISTRICT)
        .filter(occupation_category__in=("business", "professional"))
        .exclude(pk=own.pk)
        .in_stroke_order()[:4]
    )
    municipal = list(
        Deputy.objects.with_active_mandate(level=Level.MUNICIPAL)
        .exclude(pk__in=[own.pk, *[d.pk for d in district]])
        .in_stroke_order()[:2]
    )
    return [own, *district, *municipal]


def _build_inspection(people: _People, version) -> Inspection:
    staff, zhuren = people.staff(SJS), people.accounts["zhuren"]
    item = PlanItem.objects.get(title="开展《中华人民共和国安全生产法》执法检查", plan__year=YEAR)
    with _on(_d(2, 25)):
        inspection = insp.create_inspection(
            acting_user=staff,
            title="《中华人民共和国安全生产法》执法检查",
            year=YEAR,
            office=people.office(SJS),
            plan_item=item,
            law_version=version,
        )
        insp.update_inspection_plan(
            acting_user=staff,
            inspection=inspection,
            leader=zhuren,
            content="检查安全生产法在本区的实施情况，重点是生产经营单位安全生产主体责任、"
            "政府及部门监管责任的落实。",
            objects_checked="区应急管理局、区住房和城乡建设局、区市场监督管理局、区消防救援大队，"
            "以及建筑施工、危险化学品、人员密集场所等重点行业领域的生产经营单位。",
            scope="全区12个街道，抽查企业不少于15家。",
            focus="第四条、第八条、第二十一条、第二十八条、第四十一条、第八十一条的实施情况。",
            methods=[
                InspectionMethod.SYMPOSIUM,
                InspectionMethod.SITE_VISIT,
                InspectionMethod.QUESTIONNAIRE,
                InspectionMethod.SPOT_CHECK,
            ],
            organisation="成立由常委会主任任组长的执法检查组，分3个小组开展检查；"
            "邀请区人大代表和市人大代表参加。",
            deputies_to_invite=5,
            starts_on=_d(3, 2),
            ends_on=_d(12, 31),
        )
        for title, first, last in (
            ("制定实施方案、动员部署", _d(3, 2), _d(3, 20)),
            ("组织参检人员学习培训", _d(4, 7), _d(4, 10)),
            ("实地检查和随机暗访", _d(4, 13), _d(6, 24)),
            ("起草执法检查报告", _d(6, 25), _d(7, 31)),
            ("提请常委会会议审议", _d(8, 3), _d(8, 31)),
            ("跟踪督办审议意见整改落实", _d(9, 1), _d(12, 31)),
        ):
            insp.add_step(
                acting_user=staff, inspection=inspection, title=title, starts_on=first, ends_on=last
            )
        insp.choose_clauses(
            acting_user=staff,
            inspection=inspection,
            entries=[
                (_provision(version, label), kind, duty, [people.units[u] for u in bodies])
                for label, kind, duty, bodies in CLAUSES
            ],
        )
    director = Meeting.objects.filter(
        kind=Meeting.Kind.DIRECTOR, date__gte=_d(3, 5), date__lte=_d(3, 20)
    ).order_by("date").first()  # fmt: skip
    with _on(_d(3, 4)):
        insp.submit_inspection_plan(acting_user=staff, inspection=inspection)
    with _on(director.date):
        insp.approve_inspection_plan(acting_user=zhuren, inspection=inspection, meeting=director)
    with _on(_d(3, 16)):
        insp.start_inspection(acting_user=staff, inspection=inspection)
        insp.appoint_team_member(
            acting_user=staff, inspection=inspection, role=TeamRole.LEADER, user=zhuren
        )
        insp.appoint_team_member(
            acting_user=staff,
            inspection=inspection,
            role=TeamRole.DEPUTY_LEADER,
            user=people.accounts["mishuzhang"],
        )
        for name, title in (("王建国", "常委会委员、社会建设工作室主任"), ("李红梅", "常委会委员")):
            insp.appoint_team_member(
                acting_user=staff, inspection=inspection, role=TeamRole.MEMBER, name=name,
                title=title,
            )  # fmt: skip
        insp.appoint_team_member(
            acting_user=staff, inspection=inspection, role=TeamRole.STAFF, user=staff
        )
        deputies = _inspection_deputies(people.accounts)
        insp.invite_deputies(acting_user=staff, inspection=inspection, deputies=deputies)
    members = {m.deputy_id: m for m in inspection.team.exclude(deputy=None)}
    with _on(_d(3, 17)):
        insp.reply_invitation(
            acting_user=people.accounts["daibiao"], member=members[deputies[0].pk], accept=True
        )
    with _on(_d(3, 18)):
        for n, deputy in enumerate(deputies[1:], start=1):
            declines = n in (3, 6)  # a district and a municipal deputy
            insp.record_reply_for_deputy(
                acting_user=staff,
                member=members[deputy.pk],
                accept=not declines,
                note="因单位工作安排冲突，不能参加" if declines else "电话答复参加",
            )
    _field_work(people, inspection, staff)
    return inspection


def _field_work(people: _People, inspection: Inspection, staff: User) -> None:
    team = list(inspection.team.all())
    appointed = [m for m in team if m.role != TeamRole.DEPUTY]
    accepted = [m for m in team if m.role == TeamRole.DEPUTY and m.invitation == "accepted"]
    units = people.units
    for day, method, place, bodies, deputies, notes in (
        (_d(4, 22), InspectionMethod.SITE_VISIT, "泉城路街道在建工地、危化品经营企业",
         ("区住房和城乡建设局", "区应急管理局"), accepted[:3],
         "检查在建工地4处、危化品经营企业2家，查阅责任制和隐患台账，发现问题隐患11条。"),
        (_d(5, 13), InspectionMethod.SYMPOSIUM, "区人大常委会机关第一会议室",
         ("区应急管理局", "区市场监督管理局", "区消防救援大队"), accepted,
         "听取区应急管理局等4个部门汇报，企业负责人和一线职工代表12人发言。"),
        (_d(6, 10), InspectionMethod.SPOT_CHECK, "商场、宾馆等人员密集场所（随机暗访）",
         ("区消防救援大队", "区市场监督管理局"), accepted[1:4],
         "随机暗访人员密集场所3处，2处未按预案组织演练，1处疏散通道堵塞。"),
    ):  # fmt: skip
        with _on(day):
            insp.record_visit(
                acting_user=staff,
                inspection=inspection,
                method=method,
                held_on=day,
                place=place,
                bodies=[units[b] for b in bodies],
                participants=[*appointed[:3], *deputies],
                notes=notes,
            )
    with _on(_d(5, 22)):
        insp.record_questionnaire(
            acting_user=staff,
            inspection=inspection,
            title="企业主要负责人安全生产履职情况问卷",
            audience="全区重点行业生产经营单位主要负责人和从业人员",
            distributed=300,
            returned=276,
            results="认为本单位责任制“落实到岗位”的占68%；近一年参加过安全培训的从业人员占74%，"
            "外来务工人员仅为52%。",
            held_from=_d(5, 6),
            held_to=_d(5, 20),
        )
    clauses = {c.citation: c for c in inspection.checklist.all()}
    with _on(_d(6, 24)):
        for label, (conclusion, finding) in FINDINGS.items():
            insp.record_finding(
                acting_user=staff, clause=clauses[label], conclusion=conclusion, finding=finding
            )
        for label, unit, description, suggestion in PROBLEMS:
            insp.add_problem(
                acting_user=staff,
                inspection=inspection,
                clause=clauses[label],
                unit=units[unit],
                description=description,
                suggestion=suggestion,
            )
    with _on(_d(7, 30)):
        insp.write_report(
            acting_user=staff,
            inspection=inspection,
            implementation="安全生产法实施以来，区人民政府及有关部门认真履行监管职责，"
            "安全生产形势总体平稳，生产安全事故起数和死亡人数连续三年下降。",
            suggestions="压实企业主体责任，强化部门监管责任，加强从业人员培训，"
            "健全双重预防机制，提升应急处置能力。",
            amendments="建议省人大常委会修订《山东省安全生产条例》时，细化小微企业主要负责人"
            "履职要求。",
        )
    with _on(_d(7, 31)):
        insp.form_report(acting_user=staff, inspection=inspection)


def _opinions_and_rectification(people: _People, inspection: Inspection) -> None:
    staff = people.staff(SJS)
    meeting = _meeting(Meeting.Kind.STANDING, 8)
    with _on(meeting.date):
        insp.draft_opinions_from_problems(acting_user=staff, inspection=inspection, meeting=meeting)
        insp.publish_inspection(acting_user=staff, inspection=inspection)
    issue_day = _next_weekday(meeting.date, 3)
    with _on(issue_day):
        for opinion in ReviewOpinion.objects.filter(inspection=inspection).order_by("pk"):
            ops.issue_opinion(acting_user=staff, opinion=opinion)
    items = {
        (item.unit.name, n): item
        for unit_items in _by_unit(Rectification.objects.filter(inspection=inspection))
        for n, item in enumerate(unit_items)
    }
    zhujian = people.unit_user("区住房和城乡建设局")
    emergency = people.unit_user("区应急管理局")
    market = people.unit_user("区市场监督管理局")
    # 住建局: the first item rejected once and redone, then verified; the second still open.
    first, second = items[("区住房和城乡建设局", 0)], items[("区住房和城乡建设局", 1)]
    _report(zhujian, first, _d(9, 15), "已召开全区建筑施工安全生产会议，部署责任制落实。", 40)
    _submit(zhujian, first, _d(10, 20), "在建工地责任制已落实到班组。")
    with _on(_d(10, 23)):
        rect.reject_rectification(
            acting_user=staff, item=first, reason="佐证材料只有会议通知，请补充工地抽查记录。"
        )
    _report(zhujian, first, _d(10, 28), "补充开展在建工地抽查，覆盖全部38个工地。", 90)
    _submit(zhujian, first, _d(11, 5), "38个在建工地责任制全部落实到班组、岗位，抽查记录附后。")
    with _on(_d(11, 9)):
        rect.verify_rectification(acting_user=staff, item=first, note="经现场抽查，整改到位。")
    _report(zhujian, second, _d(9, 20), "已部署隐患排查治理专项行动。", 30)
    # 应急局: both verified, handling report made, voted satisfied.
    for n in (0, 1):
        item = items[("区应急管理局", n)]
        _report(emergency, item, _d(9, 10), "制定整改方案，明确责任科室和完成时限。", 50)
        _submit(emergency, item, _d(10, 10), "整改措施已全部落实。")
        with _on(_d(10, 13)):
            rect.verify_rectification(acting_user=staff, item=item)
    opinion = {o.unit.name: o for o in ReviewOpinion.objects.filter(inspection=inspection)}
    with _on(_d(10, 15)):
        ops.report_opinion_handling(
            acting_user=emergency,
            opinion=opinion["区应急管理局"],
            text="区应急管理局对审议意见逐条研究，制定整改方案，两项问题均已整改完成。",
        )
    october = _meeting(Meeting.Kind.STANDING, 10)
    with _on(october.date):
        ops.record_opinion_vote(
            acting_user=staff,
            opinion=opinion["区应急管理局"],
            meeting=october,
            votes_satisfied=21,
            votes_basic=5,
            votes_unsatisfied=1,
        )
    # 市场监管局: submitted, handling report made, waiting for verification and the vote.
    item = items[("区市场监督管理局", 0)]
    _report(market, item, _d(9, 25), "对特种设备使用单位开展专项检查。", 60)
    _submit(market, item, _d(11, 16), "专项检查覆盖全部特种设备使用单位，督促整改隐患42处。")
    with _on(_d(11, 18)):
        ops.report_opinion_handling(
            acting_user=market,
            opinion=opinion["区市场监督管理局"],
            text="区市场监督管理局已完成专项检查，隐患全部整改。",
        )
    # 区消防救援大队: nothing reported — overdue on the day the demo is looked at.


def _by_unit(rows) -> list[list[Rectification]]:
    grouped: dict[int, list[Rectification]] = {}
    for item in rows.select_related("unit").order_by("pk"):
        grouped.setdefault(item.unit_id, []).append(item)
    return list(grouped.values())


def _next_weekday(day: date, days: int) -> date:
    result = day + timedelta(days=days)
    while result.weekday() >= 5:
        result += timedelta(days=1)
    return result


def _report(user: User, item: Rectification, day: date, text: str, percent: int) -> None:
    with _on(day):
        rect.report_rectification(acting_user=user, item=item, text=text, percent=percent)


def _submit(user: User, item: Rectification, day: date, result: str) -> None:
    with _on(day):
        rect.submit_rectification(
            acting_user=user, item=item, result=result, evidence=[_pdf("整改佐证材料.pdf")]
        )


# ---------------------------------------------------------------------------------------------
# The urban-management special inquiry

ATTENDEES = (
    ("区城市管理局", "王振华", "局长"),
    ("区住房和城乡建设局", "刘建明", "局长"),
    ("区自然资源局", "陈国强", "局长"),
    ("公安泉城分局", "赵卫东", "副局长、交警大队大队长"),
    ("区交通运输局", "孙志远", "局长"),
    ("区市场监督管理局", "周文斌", "局长"),
    ("区园林和林业绿化局", "吴海燕", "局长"),
)

# (asker kind, asker, body, question, answer, votes, commitment, due)
QUESTIONS = (
    ("member", "张敏", "区城市管理局", "背街小巷环境卫生反复出现问题，长效管理机制如何建立？",
     "将推行“街长制”，年内完成120条背街小巷精细化整治。", (20, 6, 1), "完成120条背街小巷精细化整治", _d(9, 30)),
    ("deputy", "daibiao", "公安泉城分局", "老旧小区周边停车难，能否利用夜间错时共享停车？",
     "年内协调机关企事业单位开放错时共享车位1500个。", (18, 7, 2), "开放错时共享车位1500个", _d(9, 30)),
    ("member", "李红梅", "区自然资源局", "违法建设存量如何按期清零？",
     "建立违建台账，年内拆除存量违建3万平方米，新增违建零容忍。", (19, 7, 1), "拆除存量违建3万平方米", _d(9, 30)),
    ("deputy", None, "区城市管理局", "占道经营屡禁不止，疏堵结合有何举措？",
     "设置便民疏导点15处，规范管理流动摊贩。", (17, 8, 2), "设置便民疏导点15处", _d(8, 31)),
    ("member", "王建国", "区住房和城乡建设局", "建筑工地扬尘治理如何常态化？",
     "全面落实“六个百分之百”，建立在线监测和联合执法机制。", (20, 5, 2), "建筑工地扬尘在线监测全覆盖", _d(8, 31)),
    ("deputy", None, "区交通运输局", "公交线路与地铁站接驳不畅，如何优化？",
     "年内优化调整公交线路6条，新增接驳站点10个。", (16, 9, 2), "优化公交接驳线路6条", _d(9, 30)),
    ("member", "赵立新", "区市场监督管理局", "沿街门店油烟扰民投诉较多，如何治理？",
     "对餐饮门店油烟净化设施开展专项检查，年内安装率达到100%。", (18, 8, 1), "餐饮油烟净化设施安装率100%", _d(9, 30)),
    ("deputy", None, "区园林和林业绿化局", "口袋公园建设进度如何？",
     "年内新建口袋公园12处。", (21, 5, 1), "新建口袋公园12处", _d(10, 31)),
    ("member", "张敏", "区城市管理局", "垃圾分类投放点设置不合理，如何改进？",
     "对全区垃圾分类投放点进行评估调整，增设定时定点投放点80处。", (17, 8, 2), "调整增设垃圾分类投放点80处", _d(9, 30)),
    ("deputy", None, "区城市管理局", "户外广告牌匾安全隐患如何排查？",
     "开展户外广告设施安全隐患排查，年内整改到位。", (19, 6, 2), "户外广告设施安全隐患全部整改", _d(10, 31)),
    ("member", "李红梅", "区住房和城乡建设局", "老旧小区改造后管理缺位，如何建立长效机制？",
     "推行“物业+社区”管理模式，2027年上半年实现改造小区物业管理全覆盖。", (15, 9, 3), "改造小区物业管理全覆盖", _d(6, 30, 2027)),
    ("deputy", None, "区城市管理局", "城市道路积水点治理有何计划？",
     "已排查积水点9处，列入2027年城市更新计划分批治理。", (14, 10, 3), "治理城市道路积水点9处", _d(6, 30, 2027)),
)  # fmt: skip


def _asking_deputies(accounts: dict[str, User]) -> Iterator[Deputy]:
    """District deputies of 泉城路街道 who ask the deputies' questions (the demo deputy first)."""
    yield accounts["daibiao"].deputy
    yield from (
        Deputy.objects.with_active_mandate(level=Level.DISTRICT, street__name="大明湖街道")
        .exclude(pk=accounts["daibiao"].deputy.pk)
        .in_stroke_order()
    )


def _build_inquiry(people: _People) -> Inquiry:
    staff = people.staff(CHS)
    april = _meeting(Meeting.Kind.STANDING, 4)
    with _on(_d(3, 2)):
        inquiry = inq.create_inquiry(
            acting_user=staff,
            topic="城市管理工作专题询问",
            year=YEAR,
            office=people.office(CHS),
            meeting=april,
            background="聚焦市容环境、违法建设治理和停车管理，对区人民政府城市管理工作开展专题询问。",
        )
        item = PlanItem.objects.get(title="开展城市管理工作专题询问", plan__year=YEAR)
        plan_actions.link_item(
            acting_user=staff, item=item, target=inquiry, label="专题询问：城市管理工作"
        )
        attendees = {}
        for unit, official, title in ATTENDEES:
            attendees[unit] = inq.add_attendee(
                acting_user=staff,
                inquiry=inquiry,
                unit=people.units[unit],
                official=official,
                official_title=title,
            )
    with _on(_d(4, 3)):
        inq.update_inquiry(
            acting_user=staff,
            inquiry=inquiry,
            topic=inquiry.topic,
            background=inquiry.background,
            meeting=april,
            research="走访城管执法中队4个、街道5个，召开代表座谈会2次，梳理群众反映集中问题32个，"
            "形成询问问题清单。",
        )
        askers = _asking_deputies(people.accounts)
        questions = []
        for kind, asker, unit, question, *_ in QUESTIONS:
            deputy = next(askers) if kind == "deputy" else None
            questions.append(
                inq.add_question(
                    acting_user=staff,
                    inquiry=inquiry,
                    asker_kind=kind,
                    asker_name=deputy.full_name if deputy else asker,
                    asker_deputy=deputy,
                    attendee=attendees[unit],
                    question=question,
                )
            )
    with _on(april.date):
        for attendee in attendees.values():
            inq.record_attendance(
                acting_user=staff, inquiry=inquiry, attendee=attendee, attended=True
            )
        for question, (*_, answer, _votes, _c, _due) in zip(questions, QUESTIONS, strict=True):
            inq.record_answer(acting_user=staff, inquiry=inquiry, question=question, answer=answer)
        inq.hold_inquiry(
            acting_user=staff,
            inquiry=inquiry,
            held_on=april.date,
            summary="常委会组成人员和代表提出询问12个，区政府分管负责同志和7个部门主要负责人到会应询。",
        )
        for question, (*_, (yes, basic, no), _c, _due) in zip(questions, QUESTIONS, strict=True):
            inq.record_question_vote(
                acting_user=staff,
                inquiry=inquiry,
                question=question,
                votes_satisfied=yes,
                votes_basic=basic,
                votes_unsatisfied=no,
            )
    with _on(_d(5, 15)):
        inq.list_commitments(
            acting_user=staff,
            inquiry=inquiry,
            entries=[
                (q, title, f"应询单位在专题询问中承诺：{q.answer}", due)
                for q, (*_, title, due) in zip(questions, QUESTIONS, strict=True)
            ],
        )
        inq.publish_inquiry(acting_user=staff, inquiry=inquiry)
    _inquiry_rectification(people, inquiry, staff)
    return inquiry


def _inquiry_rectification(people: _People, inquiry: Inquiry, staff: User) -> None:
    """Ten commitments kept and verified by 20 October; the two due in 2027 are under way."""
    items = Rectification.objects.filter(inquiry=inquiry).select_related("unit").order_by("pk")
    for n, item in enumerate(items):
        user = people.unit_user(item.unit.name)
        if item.due_on.year > YEAR:
            _report(user, item, _d(9, 28), "已列入2027年城市更新计划，完成方案设计。", 20)
            continue
        _report(user, item, _d(6, 15 + n % 10), "正在按承诺推进，已完成阶段任务。", 60)
        _submit(user, item, min(item.due_on, _d(9, 25)), "承诺事项已按期完成。")
        with _on(_d(10, 20)):
            rect.verify_rectification(acting_user=staff, item=item, note="经实地核查，已兑现。")


# ---------------------------------------------------------------------------------------------
# Work reports


def _build_work_reports(people: _People) -> list[WorkReport]:
    reports = []
    government = people.units["区政府办公室"]
    april = _meeting(Meeting.Kind.STANDING, 4)
    with _on(_d(3, 2)):
        urban = wr.schedule_work_report(
            acting_user=people.staff(CHS),
            title="区人民政府关于城市管理工作情况的报告",
            year=YEAR,
            unit=government,
            office=people.office(CHS),
            meeting=april,
        )
    _walk_report(people.staff(CHS), urban, late_days=(0, 0, 0), reviewed=True)
    reports.append(urban)
    october = _meeting(Meeting.Kind.STANDING, 10)
    with _on(_d(9, 1)):
        handling = wr.schedule_work_report(
            acting_user=people.staff(RDS),
            title="区人民政府关于区十八届人大五次会议代表建议办理情况的报告",
            year=YEAR,
            unit=government,
            office=people.office(RDS),
            meeting=october,
        )
    _walk_report(people.staff(RDS), handling, late_days=(2, 0, 0), reviewed=True)
    reports.append(handling)
    _handling_report_opinion(people, handling, october)
    november = _meeting(Meeting.Kind.STANDING, 11)
    with _on(_d(9, 21)):
        audit = wr.schedule_work_report(
            acting_user=people.staff(CJS),
            title="区人民政府关于2025年度审计查出问题整改情况的报告",
            year=YEAR,
            unit=people.units["区审计局"],
            office=people.office(CJS),
            meeting=november,
        )
    _walk_report(people.staff(CJS), audit, late_days=(3, 1, 0), reviewed=False)
    reports.append(audit)
    return reports


def _walk_report(staff: User, report: WorkReport, *, late_days, reviewed: bool) -> None:
    """Record each statutory step on its due date plus `late_days`, as far as the demo's last
    day allows; the review on the meeting day."""
    report.refresh_from_db()
    steps = (
        (wr.record_draft_received, report.draft_due_on),
        (wr.record_revised_received, report.revised_due_on),
        (wr.record_sent_to_members, report.members_due_on),
    )
    for (record, due), late in zip(steps, late_days, strict=True):
        day = due + timedelta(days=late)
        if day > LAST_DAY:
            return
        with _on(day):
            record(acting_user=staff, report=report, on=day)
    if reviewed:
        with _on(report.meeting.date):
            wr.record_reviewed(acting_user=staff, report=report, on=report.meeting.date)


def _handling_report_opinion(people: _People, report: WorkReport, meeting: Meeting) -> None:
    staff = people.staff(RDS)
    with _on(meeting.date):
        opinion = ops.draft_opinion(
            acting_user=staff,
            unit=report.unit,
            meeting=meeting,
            title="关于区人民政府代表建议办理情况报告的审议意见",
            work_report=report,
            preamble="常委会组成人员认为，区人民政府高度重视代表建议办理工作，办理质量逐年提高。",
            points=[
                ("进一步提高B类答复事项的实际解决率，对列入计划逐步解决的建议逐件跟踪落实。", None),
                ("加强与代表的办前、办中、办后沟通，提高当面答复比例。", None),
            ],
        )
    with _on(_next_weekday(meeting.date, 4)):
        ops.issue_opinion(acting_user=staff, opinion=opinion)
    government = people.unit_user("区政府办公室")
    for item in Rectification.objects.filter(opinion=opinion).order_by("pk")[:1]:
        _report(government, item, _d(11, 12), "已建立B类答复事项跟踪台账，逐件明确完成时限。", 40)


# ---------------------------------------------------------------------------------------------


def save_supervision(*, accounts: dict[str, User], units: dict[str, Unit]) -> dict[str, int]:
    """Build the supervision year; returns counts for the demo's summary."""
    people = _People(accounts, units)
    with _on(_d(2, 24)):
        version = laws.import_bundled_law(
            acting_user=accounts["admin"],
            filename="安全生产法-2021.md",
            label="2021年修正",
            effective_on=_d(9, 1, 2021),
        )
    inspection = _build_inspection(people, version)
    _opinions_and_rectification(people, inspection)
    _build_inquiry(people)
    _build_work_reports(people)
    states = Counter(Rectification.objects.values_list("status", flat=True))
    return {
        "inspections": Inspection.objects.count(),
        "inquiries": Inquiry.objects.count(),
        "questions": InquiryQuestion.objects.count(),
        "work_reports": WorkReport.objects.count(),
        "opinions": ReviewOpinion.objects.count(),
        "rectifications": sum(states.values()),
        "verified": states["verified"],
    }

"""Acceptance of a law-enforcement inspection in a real browser, the organ's own example end to
end: the binding supervision plan has the item "《安全生产法》执法检查"; the social-construction
office imports the law, drafts the inspection plan and submits it; a leader approves it at the
director meeting; the office chooses the clauses, invites deputies (who reply), goes out, records
findings and problems, forms the report; the committee's review opinions go to the two bodies,
each rectifies its own items with proof, one is sent back and redone, all are verified (销号),
and closing the inspection completes the plan item with the report as its evidence.

Every step is done by the person whose step it is, in their own browser context."""

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import expect

import renda.supervision
from renda.core.models import User
from renda.plans.models import Evidence, ItemStatus, PlanItem
from renda.supervision.models import (
    Inspection,
    InspectionStatus,
    Rectification,
    RectificationStatus,
)
from tests.browser.conftest import log_in, screenshot
from tests.conftest import PASSWORD
from tests.core.factories import UserFactory, grant
from tests.plans.factories import at, planning  # noqa: F401  (fixture)
from tests.supervision.factories import supervision  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAW_FILE = Path(renda.supervision.__file__).parent / "data" / "laws" / "安全生产法-2021.md"
LAW = "中华人民共和国安全生产法（2021年修正）"
ITEM = "《安全生产法》执法检查"
TITLE = "2026年《中华人民共和国安全生产法》执法检查"
DIRECTOR_MEETING = "第十八届人大常委会第21次主任会议"
STANDING_MEETING = "第十八届人大常委会第30次会议"
DETAIL_URL = re.compile(r"/supervision/inspections/\d+/$")
HOUSING, URBAN = "区住房和城乡建设局", "区城市管理局"
INVITED = ["王安全", "李守法", "赵平安", "周市代", "吴市代"]  # three district, two municipal
CLAUSES = [f"第二十一条第（{n}）项" for n in "一二三四五六"]
# (clause, body, problem, suggestion): two problems at each body.
PROBLEMS = [
    (
        CLAUSES[0],
        HOUSING,
        "部分在建项目施工企业未建立全员安全生产责任制",
        "督促施工企业限期建立并落实全员安全生产责任制",
    ),
    (
        CLAUSES[2],
        HOUSING,
        "建筑工人安全生产教育和培训流于形式",
        "将培训考核纳入施工许可后续监管",
    ),
    (
        CLAUSES[4],
        URBAN,
        "燃气管网隐患排查治理台账不完整",
        "建立燃气管网隐患排查治理闭环台账",
    ),
    (
        CLAUSES[5],
        URBAN,
        "户外广告设施生产安全事故应急救援预案未按期演练",
        "每半年组织一次应急救援演练",
    ),
]


def item_title(clause: str, problem: str) -> str:
    """A rectification item is titled after its opinion point's first sentence."""
    return f"{problem}（{clause}）"


ITEMS = {
    body: [item_title(c, p) for c, b, p, _ in PROBLEMS if b == body] for body in (HOUSING, URBAN)
}


@pytest.fixture
def day_one(time_machine) -> date:
    """The day of the director meeting: everything the fixtures make happens on it."""
    day = date(2026, 3, 10)
    time_machine.move_to(at(day, 9))
    return day


@dataclass
class World:
    p: object  # Personas
    plan_item: PlanItem
    other_unit_user: User  # answers for 区城市管理局
    deputy_user: User  # 李守法, an invited deputy with her own log-in


@pytest.fixture
def world(day_one, supervision, planning) -> World:  # noqa: F811
    """A binding supervision plan with the item, the director and standing-committee meetings,
    the seven deputies (five district, two municipal); one of them (李守法) has her own log-in."""
    plan = planning.approved()
    deputy = next(d for d in supervision.deputies if d.full_name == "李守法")
    deputy.user = UserFactory(username="p_deputy_li", full_name="李守法")
    deputy.save()
    grant(deputy.user, "deputy")
    return World(
        p=supervision.p,
        plan_item=planning.item(plan),
        other_unit_user=supervision.other_unit_user,
        deputy_user=deputy.user,
    )


# -- what a person does on the pages ----------------------------------------------------------


def signed_in(new_page, live_server, user):
    page = new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # the confirmations (交办、销号)
    log_in(page, live_server, user.username, PASSWORD)
    return page


def press(page, button) -> None:
    """Click a button or link that loads a page and wait for it."""
    with page.expect_navigation():
        button.click()


def open_action(page, name: str):
    """The form of one action on a record page, unfolded as a person would."""
    panel = page.locator(f'[data-action-panel="{name}"]')
    if panel.count() and not panel.evaluate("d => d.open"):
        panel.locator("summary").click()
    return page.locator(f'form[data-action="{name}"]')


def do(page, name: str) -> None:
    press(page, page.locator(f'form[data-action="{name}"] button[type=submit]'))


def field(page, action: str, name: str):
    return page.locator(f"#id_{action}-{name}")


def flash(page, text: str) -> None:
    expect(page.locator(".alert-success").first).to_contain_text(text)


def menu(page, card: str) -> None:
    """The supervision menu entry, then one of its cards."""
    press(page, page.locator("#main-nav").get_by_role("link", name="监督工作"))
    press(page, page.locator("main").get_by_role("link", name=card, exact=True))


def status_is(page, text: str) -> None:
    expect(page.locator("#inspection-status")).to_have_text(text)


def expected_refusal(page, url: str) -> None:
    """The one refused form (400) and the console's note of it, and nothing else; cleared so
    the final check still catches anything unexpected."""
    assert page.watch.failures == [
        f"400 {url}",
        "console Failed to load resource: the server responded with a status of 400 (Bad Request)",
    ]
    page.watch.failures.clear()


def evidence_file(tmp_path, name: str) -> str:
    path = tmp_path / name
    path.write_bytes(b"%PDF-1.4\n% renda browser test evidence\n")
    return str(path)


# -- 1. the office prepares, the director meeting approves ------------------------------------


def _office_imports_law(page) -> None:
    menu(page, "法律法规库")
    expect(page.locator("#law-table")).to_contain_text("法律法规库还是空的")
    press(page, page.locator("#import-law"))
    page.get_by_label("版本", exact=True).fill("2021年修正")
    page.get_by_label("施行日期").fill("2021-09-01")
    page.get_by_label("上传文件").set_input_files(str(LAW_FILE))
    press(page, page.get_by_role("button", name="检查并导入"))
    flash(page, "已导入《中华人民共和国安全生产法》（2021年修正），共 119 条。")


def _office_creates_from_plan_item(page) -> None:
    menu(page, "执法检查")
    press(page, page.locator("#create-inspection"))
    page.get_by_label("名称", exact=True).fill(TITLE)
    page.get_by_label("承办机构").select_option(label="社会建设工作室")
    page.get_by_label("计划事项").select_option(label=f"2026年 2026年监督工作计划 · {ITEM}")
    page.get_by_label("检查的法律法规").select_option(label=LAW)
    press(page, page.get_by_role("button", name="立项"))
    expect(page).to_have_url(DETAIL_URL)
    status_is(page, "方案起草中")
    expect(page.locator("#plan")).to_contain_text(f"{ITEM}（未开始）")
    expect(page.locator("#law")).to_have_text("《中华人民共和国安全生产法》（2021年修正）")


def _office_fills_the_plan(page) -> None:
    form = open_action(page, "update_inspection_plan")
    form.get_by_label("检查内容").fill(
        "对照安全生产法，检查生产经营单位主要负责人法定职责的落实情况"
    )
    form.get_by_label("检查对象").fill("区住房和城乡建设局、区城市管理局及其监管的生产经营单位")
    form.get_by_label("检查范围").fill("全区建筑施工、燃气、户外广告设施领域")
    form.get_by_label("检查重点").fill("全员安全生产责任制、教育培训、双重预防机制、应急救援预案")
    form.get_by_label("座谈会", exact=True).check()
    form.get_by_label("实地检查", exact=True).check()
    form.get_by_label("组织形式").fill("常委会副主任任组长，邀请区、市人大代表参加")
    form.get_by_label("拟邀请代表人数").fill("5")
    form.get_by_label("开始日期").fill("2026-03-16")
    form.get_by_label("结束日期").fill("2026-06-30")
    do(page, "update_inspection_plan")
    flash(page, "检查方案已保存。")
    expect(page.locator("#methods")).to_have_text("座谈会、实地检查")
    expect(page.locator("#dates")).to_have_text("2026-03-16 至 2026-06-30")


def _office_adds_a_step(page) -> None:
    """A step must fall on working days: Labour Day is refused, the make-up Saturday is not."""
    form = open_action(page, "add_step")
    form.get_by_label("步骤").fill("实地检查")
    form.get_by_label("开始日期").fill("2026-04-20")
    form.get_by_label("结束日期").fill("2026-05-01")
    url = page.locator('form[data-action="add_step"]').get_attribute("action")
    do(page, "add_step")
    # The form comes back on the step's own page, with the dates as entered.
    assert page.url.endswith(url)
    expect(page.locator("[data-form-error]")).to_contain_text("2026-05-01 是劳动节，不是工作日。")
    expected_refusal(page, page.url)
    field(page, "add_step", "ends_on").fill("2026-05-09")  # 调休: a Saturday that is worked
    do(page, "add_step")
    flash(page, "已增加检查步骤：实地检查。")
    step = page.locator("#steps tbody tr").filter(has_text="实地检查")
    expect(step).to_contain_text("2026-04-20 至 2026-05-09")


def _leader_approves(page, live_server, inspection_url: str) -> None:
    page.goto(inspection_url)
    status_is(page, "方案待审定")
    form = open_action(page, "approve_inspection_plan")
    form.get_by_label("审定的主任会议").select_option(label=DIRECTOR_MEETING)
    do(page, "approve_inspection_plan")
    flash(page, f"检查方案已经{DIRECTOR_MEETING}审定。")
    status_is(page, "方案已审定")
    expect(page.locator("#plan")).to_contain_text(f"{DIRECTOR_MEETING}（2026-03-10）")


# -- 2. the team and the checklist --------------------------------------------------------------


def _office_chooses_clauses(page) -> None:
    press(page, page.locator('[data-action-link="choose_clauses"]'))
    search = page.locator("#picker-search")
    search.get_by_role("searchbox").fill("第二十一条")
    press(page, search.get_by_role("button", name="搜索"))
    form = page.locator('form[data-action="choose_clauses"]')
    for citation in CLAUSES:
        form.get_by_label(re.compile(f"^{re.escape(citation)} ")).check()
    field(page, "choose_clauses", "bodies").select_option(label=[HOUSING, URBAN])
    do(page, "choose_clauses")
    flash(page, "已选定检查条款 6 条。")
    rows = page.locator("#clauses tbody tr")
    expect(rows).to_have_count(6)
    expect(rows.first).to_contain_text(f"{CLAUSES[0]}")
    expect(rows.first).to_contain_text(f"{HOUSING}、{URBAN}")
    expect(page.locator("#checklist .card-header")).to_contain_text("共 6 条，未检查 6 条")


def _office_invites(page) -> None:
    press(page, page.locator('[data-action-link="invite_deputies"]'))
    labels = [f"{name}（区人民医院主任医师）" for name in INVITED]
    field(page, "invite_deputies", "deputies").select_option(label=labels)
    do(page, "invite_deputies")
    flash(page, "已邀请代表 5 名。")
    expect(page.locator("#invitation-counts")).to_contain_text(
        "已邀请 5 名，接受 0 名，谢绝 0 名，待答复 5 名"
    )
    expect(page.locator("#deputies tr").filter(has_text="周市代")).to_contain_text("市人大代表")


def _deputy_declines_herself(page) -> None:
    menu(page, "我的执法检查邀请")
    row = page.locator("#invitation-table tr").filter(has_text=TITLE)
    expect(row).to_contain_text("待答复")
    press(page, row.get_by_role("link", name="附说明答复"))
    page.get_by_label("谢绝", exact=True).check()
    page.get_by_label("说明（可不填）").fill("当月在外地参加培训")
    press(page, page.get_by_role("button", name="答复", exact=True))
    flash(page, f"您已谢绝参加“{TITLE}”的邀请。")
    row = page.locator("#invitation-table tr").filter(has_text=TITLE)
    expect(row).to_have_attribute("data-state", "declined")
    expect(row).to_contain_text("已谢绝")
    expect(row).to_contain_text("当月在外地参加培训")


def _office_records_replies(page) -> None:
    page.reload()
    replies = [("王安全", True), ("赵平安", True), ("周市代", True), ("吴市代", False)]
    for name, accept in replies:
        form = open_action(page, "record_reply_for_deputy")
        form.get_by_label("受邀代表").select_option(label=f"特邀代表 {name}（待答复）")
        form.get_by_label("接受邀请" if accept else "谢绝", exact=True).check()
        do(page, "record_reply_for_deputy")
        flash(page, f"已登记{name}代表的答复：{'已接受' if accept else '已谢绝'}。")
    expect(page.locator("#invitation-counts")).to_contain_text(
        "已邀请 5 名，接受 3 名，谢绝 2 名，待答复 0 名"
    )
    expect(page.locator('#deputies tr[data-invitation="accepted"]')).to_have_count(3)
    expect(page.locator('#deputies tr[data-invitation="declined"]')).to_have_count(2)
    declined = page.locator("#deputies tr").filter(has_text="李守法")
    expect(declined).to_contain_text("当月在外地参加培训")


# -- 3. out on the inspection: visits, findings, problems, the report ---------------------------


def _office_records_visit(page, *, method, day, place, body, deputies, notes) -> None:
    form = open_action(page, "record_visit")
    form.get_by_label("方式").select_option(label=method)
    form.get_by_label("日期").fill(day)
    form.get_by_label("地点").fill(place)
    form.get_by_label("被检查单位").select_option(label=body)
    # Only the deputies who accepted can be ticked.
    expect(form.get_by_label("李守法（特邀代表）")).to_have_count(0)
    expect(form.get_by_label("吴市代（特邀代表）")).to_have_count(0)
    for name in deputies:
        form.get_by_label(f"{name}（特邀代表）").check()
    form.get_by_label("其他参加人员").fill("社会建设工作室工作人员")
    form.get_by_label("检查记录").fill(notes)
    do(page, "record_visit")
    flash(page, f"已登记检查活动：{method}（{place}）。")


def _office_records_findings(page) -> None:
    for n, citation in enumerate(CLAUSES):
        form = open_action(page, "record_finding")
        form.get_by_label("检查条款").select_option(label=citation)
        partly = n in (0, 2, 4, 5)
        form.get_by_label("部分落实" if partly else "落实到位", exact=True).check()
        if partly:
            form.get_by_label("检查发现").fill(f"{citation}规定的职责落实不到位")
        do(page, "record_finding")
        flash(page, f"已记录{citation}的检查结论")
    expect(page.locator("#checklist .card-header")).to_contain_text("共 6 条，未检查 0 条")
    expect(page.locator('#clauses tr[data-conclusion="partly"]')).to_have_count(4)


def _office_records_problems(page) -> None:
    for n, (clause, body, problem, suggestion) in enumerate(PROBLEMS, start=1):
        form = open_action(page, "add_problem")
        form.get_by_label("对照条款").select_option(label=clause)
        form.get_by_label("责任主体").select_option(label=body)
        form.get_by_label("问题", exact=True).fill(problem)
        form.get_by_label("整改建议").fill(suggestion)
        do(page, "add_problem")
        flash(page, f"已登记问题{n}。")
    table = page.locator("#problem-table")
    expect(table.locator("tbody tr")).to_have_count(4)
    expect(table.locator("tbody tr").filter(has_text=HOUSING)).to_have_count(2)
    expect(table.locator("tbody tr").filter(has_text=URBAN)).to_have_count(2)


def _office_forms_report(page) -> None:
    form = open_action(page, "write_report")
    form.get_by_label("法律实施的基本情况").fill(
        "全区安全生产责任体系基本建立，重点行业领域安全生产形势总体平稳。"
    )
    form.get_by_label("意见建议").fill("压实企业主体责任，强化部门监管责任。")
    form.get_by_label("修改完善法律法规的建议").fill(
        "建议省人大常委会修订安全生产条例时细化培训要求。"
    )
    do(page, "write_report")
    flash(page, "检查报告已保存。")
    do(page, "form_report")
    flash(page, "执法检查报告已形成，已报告常委会领导。")
    status_is(page, "报告已形成")
    expect(page.locator("#timeline li strong").last).to_have_text(
        "形成执法检查报告（发现问题 4 个）"
    )


def _report_docx_has_the_problems(page, tmp_path) -> None:
    with page.expect_download() as download:
        page.locator("#report-download").click()
    assert download.value.suggested_filename == "安全生产法执法检查报告.docx"
    path = tmp_path / "report.docx"
    download.value.save_as(path)
    assert path.read_bytes()[:2] == b"PK"  # a .docx is a zip package
    document = Document(str(path))
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n".join(cell.text for t in document.tables for row in t.rows for cell in row.cells)
    assert "二、存在的主要问题" in text
    for _, body, problem, _ in PROBLEMS:
        assert problem in text, problem
        assert body in text


# -- 4. review opinions and rectification -------------------------------------------------------


def _office_drafts_and_issues_opinions(page, inspection_url: str) -> None:
    form = open_action(page, "draft_opinions_from_problems")
    form.get_by_label("审议的常委会会议").select_option(label=STANDING_MEETING)
    do(page, "draft_opinions_from_problems")
    flash(page, f"已起草审议意见 2 份（{HOUSING}、{URBAN}），请逐份修改后交办。")
    expect(page.locator("#opinions li")).to_have_count(2)
    for body in (HOUSING, URBAN):
        page.goto(inspection_url)
        opinion = page.locator("#opinions li").filter(has_text=f"交{body}")
        expect(opinion).to_contain_text("起草中")
        press(page, opinion.get_by_role("link"))
        expect(page.locator("#opinion-status")).to_have_text("起草中")
        expect(page.locator("#opinion-points li")).to_have_count(2)
        do(page, "issue_opinion")
        expect(page.locator("#opinion-status")).to_have_text("已交办")
        items = page.locator("#opinion-points [data-rectification-status]")
        expect(items).to_have_count(2)
        for n in range(2):
            expect(items.nth(n)).to_have_text("待整改")
    page.goto(inspection_url)
    status_is(page, "审议意见已交办")
    expect(page.locator("#rectification .card-header")).to_contain_text("共 4 项，未销号 4 项")


def _open_item(page, title: str) -> None:
    menu(page, "整改事项")
    press(page, page.locator("#rectification-table").get_by_role("link", name=title, exact=True))
    expect(page.locator("#rectification-title")).to_have_text(title)


def _rect_status_is(page, text: str) -> None:
    expect(page.locator("#rectification-status")).to_have_text(text)


def _unit_rectifies(page, title: str, evidence: str, *, result: str) -> None:
    form = open_action(page, "report_rectification")
    form.get_by_label("整改进展").fill("已制定整改方案，正在逐项落实。")
    form.get_by_label("进度（%）").fill("60")
    form.get_by_label("整改措施").fill("召开专题会议部署整改，明确责任科室和完成时限。")
    do(page, "report_rectification")
    flash(page, "已报告整改进展：60%。")
    _rect_status_is(page, "整改中")
    form = open_action(page, "submit_rectification")
    form.get_by_label("整改结果").fill(result)
    form.get_by_label("整改佐证材料").set_input_files(evidence)
    do(page, "submit_rectification")
    flash(page, "已申请销号，等待督办机构审核。")
    _rect_status_is(page, "申请销号")
    expect(page.locator("#reports")).to_contain_text(Path(evidence).name)


def _unit_sees_only_its_own(page, body: str) -> None:
    menu(page, "整改事项")
    expect(page.locator("#rectification-count")).to_have_text("2")
    table = page.locator("#rectification-table")
    for title in ITEMS[body]:
        expect(table.get_by_role("link", name=title, exact=True)).to_be_visible()
    other = URBAN if body == HOUSING else HOUSING
    for title in ITEMS[other]:
        expect(table).not_to_contain_text(title)


# -- the test ---------------------------------------------------------------------------------


def test_inspection_from_plan_item_to_completed(
    world, new_page, live_server, time_machine, tmp_path
):
    p = world.p

    # 1. The office imports the law, opens the inspection from the plan item, drafts the plan.
    office = signed_in(new_page, live_server, p.social_staff)
    _office_imports_law(office)
    _office_creates_from_plan_item(office)
    inspection_url = office.url
    _office_fills_the_plan(office)
    _office_adds_a_step(office)
    do(office, "submit_inspection_plan")
    flash(office, "检查方案已提交主任会议审定。")
    status_is(office, "方案待审定")
    screenshot(office, "inspection-plan-submitted")

    leader = signed_in(new_page, live_server, p.leader)
    _leader_approves(leader, live_server, inspection_url)

    # 2. The office starts, chooses the clauses, invites deputies; they reply.
    office.reload()
    do(office, "start_inspection")
    status_is(office, "检查中")
    _office_chooses_clauses(office)
    _office_invites(office)
    deputy = signed_in(new_page, live_server, world.deputy_user)
    _deputy_declines_herself(deputy)
    _office_records_replies(office)
    screenshot(office, "inspection-team")

    # 3. Weeks later: two visits with the deputies who accepted, findings, problems, report.
    time_machine.move_to(at(date(2026, 4, 22), 9))
    log_in(office, live_server, p.social_staff.username, PASSWORD)  # the session expired
    office.goto(inspection_url)
    _office_records_visit(
        office,
        method="实地检查",
        day="2026-04-20",
        place="三处在建工地",
        body=HOUSING,
        deputies=["王安全", "赵平安", "周市代"],
        notes="抽查三家施工企业的安全生产责任制和培训记录。",
    )
    _office_records_visit(
        office,
        method="实地检查",
        day="2026-04-21",
        place="区燃气调度中心和两处户外广告设施",
        body=URBAN,
        deputies=["王安全", "周市代"],
        notes="查看燃气管网隐患排查台账和户外广告设施应急预案演练记录。",
    )
    expect(office.locator("#visits li[data-visit]")).to_have_count(2)
    expect(office.locator("#deputies tr").filter(has_text="王安全")).to_contain_text("2 次")
    expect(office.locator("#deputies tr").filter(has_text="赵平安")).to_contain_text("1 次")
    _office_records_findings(office)
    _office_records_problems(office)
    _office_forms_report(office)
    screenshot(office, "inspection-report")
    _report_docx_has_the_problems(office, tmp_path)

    # 4. After the standing committee's meeting: one opinion per body, issued.
    time_machine.move_to(at(date(2026, 9, 28), 9))
    log_in(office, live_server, p.social_staff.username, PASSWORD)
    office.goto(inspection_url)
    _office_drafts_and_issues_opinions(office, inspection_url)
    items = Rectification.objects.filter(inspection__title=TITLE)
    assert sorted(items.values_list("title", flat=True)) == sorted(ITEMS[HOUSING] + ITEMS[URBAN])
    due = items.values_list("due_on", flat=True).first()
    assert all(d == due for d in items.values_list("due_on", flat=True))

    # 5. The housing bureau handles its own two items in time.
    time_machine.move_to(at(date(2026, 10, 12), 9))
    housing = signed_in(new_page, live_server, p.unit)
    _unit_sees_only_its_own(housing, HOUSING)
    screenshot(housing, "inspection-rectification-unit-list")
    for n, title in enumerate(ITEMS[HOUSING], start=1):
        _open_item(housing, title)
        expect(housing.locator("#overdue-badge")).to_have_count(0)
        _unit_rectifies(
            housing,
            title,
            evidence_file(tmp_path, f"住建局整改报告{n}.pdf"),
            result="已督促企业完成整改并复查。",
        )

    # 6. Past the deadline: the urban-management bureau's items are overdue; it reports late.
    time_machine.move_to(at(date(2026, 12, 2), 9))
    assert due < date(2026, 12, 2)
    log_in(office, live_server, p.social_staff.username, PASSWORD)
    menu(office, "整改事项")
    office.locator("#filter-overdue").check()
    press(office, office.locator("#rectification-filters").get_by_role("button", name="筛选"))
    expect(office.locator("#rectification-count")).to_have_text("2")
    expect(office.locator("#rectification-table [data-overdue]")).to_have_count(2)
    for title in ITEMS[URBAN]:
        expect(office.locator("#rectification-table")).to_contain_text(title)
    screenshot(office, "inspection-rectification-overdue")

    urban = signed_in(new_page, live_server, world.other_unit_user)
    _unit_sees_only_its_own(urban, URBAN)
    expect(urban.locator("#rectification-table [data-overdue]")).to_have_count(2)
    for n, title in enumerate(ITEMS[URBAN], start=1):
        _open_item(urban, title)
        expect(urban.locator("#overdue-badge")).to_have_text("已逾期")
        _unit_rectifies(
            urban,
            title,
            evidence_file(tmp_path, f"城管局整改报告{n}.pdf"),
            result="已完成整改。",
        )
        expect(urban.locator("#overdue-badge")).to_have_count(0)  # with the office now

    # 7. The office sends one back with a reason; the bureau redoes it.
    sent_back = ITEMS[URBAN][1]
    _open_item(office, sent_back)
    form = open_action(office, "reject_rectification")
    form.get_by_label("退回理由").fill("佐证材料中没有应急救援演练的记录和照片，请补充。")
    do(office, "reject_rectification")
    flash(office, "已退回整改责任单位继续整改。")
    _rect_status_is(office, "整改中")
    expect(office.locator("#rejection-count")).to_have_text("退回 1 次")

    _open_item(urban, sent_back)
    _rect_status_is(urban, "整改中")
    expect(urban.locator("#last-rejection")).to_contain_text("没有应急救援演练的记录")
    form = open_action(urban, "submit_rectification")
    form.get_by_label("整改结果").fill("已于 11 月 30 日组织应急救援演练，补充演练记录和照片。")
    form.get_by_label("整改佐证材料").set_input_files(evidence_file(tmp_path, "演练记录.pdf"))
    do(urban, "submit_rectification")
    _rect_status_is(urban, "申请销号")
    screenshot(urban, "inspection-rectification-redone")

    # 8. The office verifies every item (销号) and closes the inspection.
    for title in ITEMS[HOUSING] + ITEMS[URBAN]:
        _open_item(office, title)
        _rect_status_is(office, "申请销号")
        form = open_action(office, "verify_rectification")
        form.get_by_label("审核意见").fill("整改到位。")
        do(office, "verify_rectification")
        flash(office, "已销号。")
        _rect_status_is(office, "已销号")
        expect(office.locator("#verified")).to_contain_text("社建室干部")
    assert set(items.values_list("status", flat=True)) == {RectificationStatus.VERIFIED}

    office.goto(inspection_url)
    expect(office.locator("#rectification .card-header")).to_contain_text("共 4 项，未销号 0 项")
    expect(office.locator('#rectification li[data-status="verified"]')).to_have_count(4)
    form = open_action(office, "close_inspection")
    form.get_by_label("成果说明").fill("执法检查报告经常委会第30次会议审议，整改事项全部销号。")
    do(office, "close_inspection")
    flash(office, "执法检查已办结。")
    status_is(office, "已办结")
    screenshot(office, "inspection-closed")

    # The plan item is completed, with the report as its evidence.
    press(office, office.locator("#plan").get_by_role("link", name=ITEM))
    expect(office.locator("#item-status")).to_have_text("已完成")
    expect(office.locator("#result")).to_contain_text("安全生产法执法检查报告.docx")
    screenshot(office, "inspection-plan-item-completed")
    item = PlanItem.objects.get(pk=world.plan_item.pk)
    assert item.status == ItemStatus.COMPLETED
    evidence = Evidence.objects.get(item=item, purpose=Evidence.Purpose.RESULT)
    assert evidence.name == "安全生产法执法检查报告.docx"
    assert evidence.file.read()[:2] == b"PK"
    assert Inspection.objects.get().status == InspectionStatus.CLOSED

    for page in (office, leader, deputy, housing, urban):
        assert page.watch.failures == []

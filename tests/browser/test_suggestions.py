"""Acceptance of the suggestions workflow in a real browser: every step is done by the person whose
step it is, in their own browser context, through the pages they see."""

import re

import pytest
from django.urls import reverse
from docx import Document
from playwright.sync_api import expect

from renda.suggestions import actions
from renda.suggestions.defaults import ensure_default_taxonomies
from renda.suggestions.models import Rating, Status, Suggestion
from tests.browser.conftest import log_in, screenshot
from tests.conftest import PASSWORD
from tests.core.factories import UnitFactory, UserFactory, grant
from tests.suggestions import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
world = factories.world  # the suggestions tests' fixture: a co-signer and a co-unit's user

TITLE = "关于解决老旧小区停车难的建议"
CONTENT = "泉城路街道多个老旧小区停车位严重不足，夜间车辆占用消防通道，建议挖潜增设停车位。"
LETTER_TITLE = "关于区十八届人大五次会议第1号建议的答复"
PHONE = {"width": 390, "height": 844}
DETAIL_URL = re.compile(r"/suggestions/\d+/$")


@pytest.fixture(autouse=True)
def _taxonomies(org):
    # A transactional test empties the tables afterwards, the seeded categories included.
    ensure_default_taxonomies()


# -- what a person does on the pages ----------------------------------------------------------


def signed_in(new_page, live_server, user, **kw):
    page = new_page(**kw)
    log_in(page, live_server, user.username, PASSWORD)
    return page


def open_from_list(page, live_server, title: str) -> None:
    page.goto(live_server.url + reverse("suggestions:list"))
    page.locator("#suggestion-table").get_by_role("link", name=title, exact=True).click()
    page.wait_for_url(DETAIL_URL)


def press(page, button) -> None:
    """Click a button that posts the form and wait for the page it leads to."""
    with page.expect_navigation():
        button.click()


def action(page, label: str):
    """The form of one action on the suggestion page, unfolded as a person would."""
    summary = page.locator("summary").filter(has_text=re.compile(f"^{re.escape(label)}$"))
    details = page.locator("#actions details").filter(has=summary)
    if not details.evaluate("d => d.open"):
        details.locator("summary").click()
    return details


def do(page, label: str, scope=None) -> None:
    """Press the button of an action (its form, or the suggestion page's action panel)."""
    scope = scope or page.locator("#actions")
    press(page, scope.get_by_role("button", name=label, exact=True))


def choose(scope, group: str, option: str) -> None:
    """Tick one radio button of the group headed `group`."""
    scope.locator("[data-field]").filter(has_text=group).get_by_label(option, exact=True).check()


def status_is(page, text: str) -> None:
    expect(page.locator("#suggestion-status")).to_have_text(text)


def step_done(page, state: str, summary: str) -> None:
    """The state badge shows `state` and the timeline's latest entry is the step just taken."""
    status_is(page, state)
    expect(page.locator("#timeline li strong").last).to_have_text(
        re.compile(f"^{re.escape(summary)}")
    )


def timeline(page) -> list[str]:
    return page.locator("#timeline li strong").all_inner_texts()


WIDER_THAN_SCREEN = """() => {
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth <= width) { return []; }
  // What sticks out (the folded menu sits off-screen on purpose), to name it in the failure.
  return Array.from(document.querySelectorAll("body *"))
    .filter(e => !e.closest(".offcanvas") && e.getBoundingClientRect().right > width + 0.5)
    .slice(0, 5)
    .map(e => `${e.tagName}.${e.className}: ${(e.innerText || "").slice(0, 30)}`);
}"""


def wider_than_screen(page) -> list[str]:
    """Nothing when the page needs no horizontal scrolling."""
    return page.evaluate(WIDER_THAN_SCREEN)


def expected_refusal(page, status: int, url: str) -> None:
    """The one failed response a refusal should cause (and the console's note of it), and
    nothing else; cleared so the test's final check still catches anything unexpected."""
    reason = {400: "Bad Request", 404: "Not Found"}[status]
    assert page.watch.failures == [
        f"{status} {url}",
        f"console Failed to load resource: the server responded with a status of {status} "
        f"({reason})",
    ]
    page.watch.failures.clear()


def answer(page, *, code: str, text: str, number: str) -> None:
    form = action(page, "答复代表")
    form.get_by_label("答复类别").select_option(label=code)
    form.get_by_label("文号").fill(number)
    form.get_by_label("答复内容").fill(text)
    form.get_by_label("签发人").fill("王局长")
    form.get_by_label("联系人", exact=True).fill("赵联络员")
    form.get_by_label("联系电话").fill("0531-88001234")
    do(page, "答复代表", form)


def rate(page, scope, *, result: str, comment: str = "") -> None:
    choose(scope, "办理态度", "满意")
    choose(scope, "办理结果", result)
    scope.get_by_label("已征求联名代表的意见").check()
    scope.get_by_label("意见", exact=True).fill(comment)
    do(page, "评价办理情况", scope)


# -- 1. the full path ------------------------------------------------------------------------


def _deputy_drafts_and_submits(page) -> None:
    page.locator("#main-nav").get_by_role("link", name="代表建议").click()
    page.get_by_role("link", name="提出建议").click()
    page.get_by_label("标题").fill(TITLE)
    page.get_by_label("建议内容").fill(CONTENT)
    page.get_by_label("类别").select_option(label="城乡建设")
    page.get_by_label("闭会期间").check()
    page.get_by_label("输入姓名筛选").fill("李联")  # the filter box above the deputies
    page.get_by_label("联名代表").select_option(label="李联名")
    press(page, page.get_by_role("button", name="保存草稿"))
    expect(page).to_have_url(DETAIL_URL)
    step_done(page, "草稿", "起草建议")
    expect(page.locator("#facts")).to_contain_text("闭会期间")
    screenshot(page, "suggestion-draft")
    do(page, "提交")
    step_done(page, "待审查", "提交建议")
    expect(page.locator("#signers")).to_contain_text("李联名 联名·待确认")


def _cosigner_confirms(page) -> None:
    panel = page.locator("#panel-waiting")
    expect(panel).to_contain_text("待我确认的联名建议")
    panel.get_by_role("link", name=TITLE).click()
    page.wait_for_url(DETAIL_URL)
    form = action(page, "答复联名邀请")
    form.get_by_label("确认联名").check()
    do(page, "答复联名邀请", form)
    step_done(page, "待审查", "李联名确认联名")
    expect(page.locator("#signers")).to_contain_text("李联名 联名·已确认")


def _staff_accepts_and_assigns(page, live_server, org) -> None:
    open_from_list(page, live_server, TITLE)
    do(page, "立案")
    step_done(page, "待交办", "立案，编为第1号")
    expect(page.locator("#suggestion-title")).to_have_text(f"第1号 {TITLE}")
    form = action(page, "交办")
    expect(form.get_by_label("主办、协办")).to_be_checked()
    expect(form.get_by_label("分办单位")).to_be_hidden()  # shown only for separate handling
    form.get_by_label("主办单位").select_option(label=org.unit.name)
    form.get_by_label("协办单位").select_option(label=org.other_unit.name)
    do(page, "交办", form)
    step_done(page, "待签收", "交办：")
    expect(page.locator("#assignments")).to_contain_text(f"{org.unit.name}（主办）")
    expect(page.locator("#assignments")).to_contain_text(f"{org.other_unit.name}（协办）")
    expect(page.locator("#due-explanation")).to_contain_text("交办")
    screenshot(page, "suggestion-assigned")


def _unit_signs(page, live_server, unit) -> None:
    open_from_list(page, live_server, TITLE)
    do(page, "签收")
    step_done(page, "办理中", f"{unit.name}签收")


def _co_unit_gives_opinion(page) -> None:
    form = action(page, "提交会办意见")
    form.get_by_label("会办意见").fill("同意主办单位意见，我局负责道路两侧停车泊位施划。")
    do(page, "提交会办意见", form)
    step_done(page, "办理中", "区城市管理局提交会办意见")
    expect(page.locator("#assignments")).to_contain_text("我局负责道路两侧停车泊位施划")
    # The co-unit does not answer the deputy.
    expect(page.locator("#actions summary").filter(has_text="答复代表")).to_have_count(0)


def _lead_unit_contacts_and_answers(page, tmp_path) -> None:
    page.reload()
    form = action(page, "记录沟通情况")
    form.get_by_label("阶段").select_option(label="办中")
    form.get_by_label("方式").select_option(label="当面")
    form.get_by_label("沟通情况及商定事项").fill("与张代表到小区现场察看，商定先行施划路内泊位。")
    do(page, "记录沟通情况", form)
    step_done(page, "办理中", "区住房和城乡建设局办中当面沟通")
    expect(page.locator("#contacts")).to_contain_text("办中·当面")
    answer(
        page,
        code="B 正在解决或列入计划逐步解决",
        text="已将老旧小区停车设施建设列入明年计划，先行施划路内泊位 80 个。",
        number="泉住建函〔2026〕12号",
    )
    step_done(page, "已答复", "区住房和城乡建设局答复（B类）")
    expect(page.locator("#answers")).to_contain_text("B类")
    expect(page.locator("#answers")).to_contain_text("泉住建函〔2026〕12号")
    screenshot(page, "suggestion-answered")
    with page.expect_download() as download:
        page.locator("#answers").get_by_role("link", name="答复函").click()
    path = tmp_path / "letter.docx"
    download.value.save_as(path)
    texts = [p.text.strip() for p in Document(str(path)).paragraphs]
    assert LETTER_TITLE in texts
    category_line = next(t for t in texts if t.startswith("答复类别"))
    assert category_line.replace(" ", "") == "答复类别：B"
    assert "泉住建函〔2026〕12号" in texts


def _deputy_not_satisfied(page, live_server) -> None:
    page.goto(live_server.url + "/")
    page.locator("#panel-waiting").get_by_role("link", name=re.compile(TITLE)).click()
    page.wait_for_url(DETAIL_URL)
    rating_url = page.url + "rate/"
    form = action(page, "评价办理情况")
    rate(page, form, result="不满意")  # no comment: refused
    expect(page.get_by_text("选择“不满意”时，请写明具体意见。", exact=True)).to_be_visible()
    expect(page.get_by_text("请写明不满意的具体意见", exact=True)).to_be_visible()
    screenshot(page, "suggestion-rate-refused")
    suggestion = Suggestion.objects.get(title=TITLE)
    assert suggestion.status == Status.ANSWERED
    assert not Rating.objects.filter(suggestion=suggestion).exists()
    expected_refusal(page, 400, rating_url)  # the refused form, shown again
    # The choices made stay on the form; the deputy adds the comment and sends it again.
    page.get_by_label("意见", exact=True).fill("停车位仍然不足，路内泊位不能解决夜间停车。")
    do(page, "评价办理情况", page.locator("main"))
    step_done(page, "办理中", "代表评价：态度满意、结果不满意，重新办理")
    expect(page.locator("#ratings")).to_contain_text("办理结果不满意")


def _deputy_satisfied(page) -> None:
    page.reload()
    rate(page, action(page, "评价办理情况"), result="满意")
    step_done(page, "跟踪落实", "代表评价：态度满意、结果满意；列入跟踪落实")
    expect(page.locator("#ratings")).to_contain_text("（已征求联名代表意见）")


def _staff_closes(page) -> None:
    page.reload()
    status_is(page, "已答复")
    form = action(page, "办结")
    form.get_by_label("说明").fill("经核实，停车位已施划完成。")
    page.once("dialog", lambda dialog: dialog.accept())  # 确定办结这件建议吗？
    do(page, "办结", form)
    step_done(page, "已办结", "办结")
    closing = page.locator("#actions summary").filter(has_text=re.compile("^办结$"))
    expect(closing).to_have_count(0)


EXPECTED_TIMELINE = [
    "起草建议",
    "提交建议",
    "李联名确认联名",
    "立案，编为第1号",
    "交办：区住房和城乡建设局（主办）、区城市管理局（协办）",
    "区住房和城乡建设局签收（主办）",
    "区城市管理局签收（协办）",
    "区城市管理局提交会办意见",
    "区住房和城乡建设局办中当面沟通",
    "区住房和城乡建设局答复（B类）",
    "代表评价：态度满意、结果不满意，重新办理",
    "区住房和城乡建设局答复（B类）",
    "代表评价：态度满意、结果满意；列入跟踪落实",
    "区住房和城乡建设局报告落实情况并再次答复（A类）",
    "办结",
]


def _in_order(expected: list[str], shown: list[str]) -> bool:
    """Each expected step appears, in this order, at the start of a timeline entry."""
    rest = iter(shown)
    return all(any(entry.startswith(step) for entry in rest) for step in expected)


def test_full_path_from_draft_to_closed(new_page, live_server, personas, org, world, tmp_path):
    deputy = signed_in(new_page, live_server, personas.deputy)
    _deputy_drafts_and_submits(deputy)

    cosigner = signed_in(new_page, live_server, world.cosigner)
    _cosigner_confirms(cosigner)

    staff = signed_in(new_page, live_server, personas.staff)
    _staff_accepts_and_assigns(staff, live_server, org)

    unit = signed_in(new_page, live_server, personas.unit)
    _unit_signs(unit, live_server, org.unit)
    co_unit = signed_in(new_page, live_server, world.co_unit_user)
    _unit_signs(co_unit, live_server, org.other_unit)
    _co_unit_gives_opinion(co_unit)

    _lead_unit_contacts_and_answers(unit, tmp_path)
    _deputy_not_satisfied(deputy, live_server)

    unit.reload()
    status_is(unit, "办理中")
    answer(
        unit,
        code="B 正在解决或列入计划逐步解决",
        text="已协调周边单位错时开放停车场，新增夜间共享泊位 60 个，立体停车库列入明年计划。",
        number="泉住建函〔2026〕18号",
    )
    step_done(unit, "已答复", "区住房和城乡建设局答复（B类）")
    _deputy_satisfied(deputy)
    screenshot(deputy, "suggestion-follow-up")

    unit.reload()
    status_is(unit, "跟踪落实")
    answer(
        unit,
        code="A 已经解决或基本解决",
        text="立体停车库已建成投用，新增停车位 120 个，停车难问题已经解决。",
        number="泉住建函〔2026〕35号",
    )
    step_done(unit, "已答复", "区住房和城乡建设局报告落实情况并再次答复（A类）")
    expect(unit.locator("#answers")).to_contain_text("（落实后再次答复）")

    _staff_closes(staff)
    shown = timeline(staff)
    assert _in_order(EXPECTED_TIMELINE, shown), shown
    screenshot(staff, "suggestion-closed")

    # 4. The statistics page draws its charts for the session just handled.
    staff.locator("#main-nav").get_by_role("link", name="建议统计").click()
    staff.wait_for_url("**/suggestions/statistics/")
    expect(staff.locator("#total")).to_have_text("1")
    for chart in ("state", "category", "rates", "answer-category", "units"):
        expect(staff.locator(f"#chart-{chart} canvas").first).to_be_visible()
    expect(staff.locator("#table-units")).to_contain_text(org.unit.name)
    screenshot(staff, "suggestion-statistics")

    for page in (deputy, cosigner, staff, unit, co_unit):
        assert page.watch.failures == []


# -- 2. each role sees only what it should --------------------------------------------------


def _not_found(page, url: str) -> None:
    page.goto(url)
    expect(page.get_by_role("heading", name="未找到")).to_be_visible()
    expected_refusal(page, 404, url)


def test_unit_of_another_unit_gets_not_found(new_page, live_server, world):
    handled = world.handling(title=TITLE)
    url = f"{live_server.url}{reverse('suggestions:detail', args=[handled.pk])}"
    third = UserFactory(username="p_third_unit", full_name="教体局联络员")
    grant(third, "unit", unit=UnitFactory(name="区教育和体育局"))

    page = signed_in(new_page, live_server, third)
    page.goto(live_server.url + reverse("suggestions:list"))
    expect(page.locator("#suggestion-table")).to_contain_text("没有符合条件的建议。")
    expect(page.locator("#suggestion-table")).not_to_contain_text(TITLE)
    _not_found(page, url)
    screenshot(page, "suggestion-unit-not-found")

    co_unit = signed_in(new_page, live_server, world.co_unit_user)  # assigned: it does see it
    open_from_list(co_unit, live_server, TITLE)
    assert co_unit.watch.failures == []


def test_another_deputy_never_sees_a_draft(new_page, live_server, world):
    draft = world.draft(title="关于增设社区养老服务站的建议", cosign=True)
    url = f"{live_server.url}{reverse('suggestions:detail', args=[draft.pk])}"

    # Even the deputy named as co-signer sees nothing until it is submitted.
    other = signed_in(new_page, live_server, world.cosigner)
    other.goto(live_server.url + reverse("suggestions:list"))
    expect(other.locator("#suggestion-table")).to_contain_text("没有符合条件的建议。")
    expect(other.locator("#suggestion-table")).not_to_contain_text(draft.title)
    _not_found(other, url)

    owner = signed_in(new_page, live_server, world.p.deputy)
    open_from_list(owner, live_server, draft.title)
    status_is(owner, "草稿")
    assert owner.watch.failures == []


def test_street_sees_without_actions_and_leader_flags_key(new_page, live_server, world, org):
    submitted = world.submitted(title=TITLE)

    street = signed_in(new_page, live_server, world.p.street)
    open_from_list(street, live_server, TITLE)
    status_is(street, "待审查")
    expect(street.locator("#facts")).to_contain_text(org.street.name)
    expect(street.locator("#no-actions")).to_have_text("当前没有需要您办理的操作。")
    expect(street.locator("#actions form")).to_have_count(0)
    expect(street.locator("#actions").get_by_role("button")).to_have_count(0)
    screenshot(street, "suggestion-street-view")

    actions.accept(acting_user=world.p.staff, suggestion=submitted)  # numbered: 第1号

    leader = signed_in(new_page, live_server, world.p.leader)
    open_from_list(leader, live_server, TITLE)
    form = action(leader, "列为重点督办")
    form.get_by_label("督办领导").select_option(label="李主任")
    form.get_by_label("跟踪督办机构").select_option(label="人事代表工作室")
    do(leader, "列为重点督办", form)
    expect(leader.get_by_text("重点督办", exact=True)).to_be_visible()
    expect(leader.locator("#facts")).to_contain_text("李主任 · 人事代表工作室")
    leader.goto(live_server.url + "/")
    panel = leader.locator(".card-panel").filter(has_text="重点督办建议")
    expect(panel.get_by_role("link", name=f"第1号 {TITLE}")).to_be_visible()
    screenshot(leader, "suggestion-leader-home")
    for page in (street, leader):
        assert page.watch.failures == []


# -- 3. on a phone -----------------------------------------------------------------------------


def test_deputy_rates_on_a_phone(new_page, live_server, world):
    world.answered("B", cosign=True, title=TITLE)
    page = signed_in(new_page, live_server, world.p.deputy, viewport=PHONE)
    page.get_by_label("打开菜单").click()
    page.locator("#main-nav").get_by_role("link", name="代表建议").click()
    page.wait_for_url("**/suggestions/")
    expect(page.locator("#suggestion-table")).to_contain_text(TITLE)
    assert wider_than_screen(page) == []
    screenshot(page, "suggestion-phone-list")

    page.locator("#suggestion-table").get_by_role("link", name=TITLE).click()
    page.wait_for_url(DETAIL_URL)
    assert wider_than_screen(page) == []
    form = action(page, "评价办理情况")
    button = form.get_by_role("button", name="评价办理情况")
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    screenshot(page, "suggestion-phone-detail")
    rate(page, form, result="满意")
    status_is(page, "跟踪落实")
    assert wider_than_screen(page) == []
    assert page.watch.failures == []

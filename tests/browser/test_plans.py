"""Acceptance of plans and their implementation in a real browser: the office drafts and carries
out a plan, the leaders approve, watch, decide and grade — each through the pages they see."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from renda.meetings.models import Meeting
from renda.plans.models import ItemStatus, Plan, PlanItem
from tests.browser.conftest import log_in, screenshot
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ITEM = "《安全生产法》执法检查"
DETAIL_URL = re.compile(r"/plans/\d+/$")
ITEM_URL = re.compile(r"/plans/items/\d+/$")


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _director_meeting(org):
    # A transactional test empties the tables afterwards: the meeting is made for this test.
    Meeting.objects.create(
        kind=Meeting.Kind.DIRECTOR, term_number=18, number=3, date=date(2026, 3, 2)
    )


def signed_in(new_page, live_server, user):
    page = new_page()
    log_in(page, live_server, user.username, PASSWORD)
    return page


def press(page, button) -> None:
    with page.expect_navigation():
        button.click()


def open_action(page, name: str):
    """The form of one action on a plan or item page, unfolded as a person would."""
    panel = page.locator(f'[data-action-panel="{name}"]')
    if panel.count() and not panel.evaluate("d => d.open"):
        panel.locator("summary").click()
    return page.locator(f'form[data-action="{name}"]')


def do(page, name: str) -> None:
    press(page, page.locator(f'form[data-action="{name}"] button[type=submit]'))


def field(page, action: str, name: str):
    return page.locator(f"#id_{action}-{name}")


def flash_ok(page) -> None:
    expect(page.locator(".alert-success").first).to_be_visible()


def test_plan_from_draft_to_graded_item(new_page, live_server, personas, time_machine, tmp_path):
    evidence = tmp_path / "座谈会纪要.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% renda browser test\n")
    time_machine.move_to(at(date(2026, 3, 2)))
    office = signed_in(new_page, live_server, personas.social_staff)

    # The office drafts the plan and an item without a measurable result.
    office.goto(live_server.url + reverse("plans:list"))
    press(office, office.locator("#create-plan"))
    office.locator("#id_kind").select_option(label="监督工作计划")
    office.locator("#id_title").fill("2026年监督工作计划")
    office.locator("#id_office").select_option(label="社会建设工作室")
    press(office, office.get_by_role("button", name="创建"))
    expect(office).to_have_url(DETAIL_URL)
    plan_url = office.url
    open_action(office, "add_item")
    field(office, "add_item", "title").fill(ITEM)
    field(office, "add_item", "ends_on").fill("2026-06-30")
    do(office, "add_item")
    flash_ok(office)

    # Submitting is refused with a clear message naming the item; nothing changes.
    do(office, "submit_plan")
    expect(office.locator("[data-form-error]")).to_contain_text(
        f"以下事项缺少预期成果、成果衡量方式或完成期限，不能提交：“{ITEM}”"
    )
    screenshot(office, "plans-submit-refused")
    assert Plan.objects.get().status == "draft"

    # The office fixes the item, then submits.
    office.goto(plan_url)
    press(office, office.locator("#item-tree").get_by_role("link", name=ITEM))
    expect(office).to_have_url(ITEM_URL)
    open_action(office, "update_item")
    field(office, "update_item", "expected_result").fill("形成执法检查报告并提出审议意见")
    field(office, "update_item", "measure").fill("报告经常委会审议；整改事项全部销号")
    field(office, "update_item", "starts_on").fill("2026-03-10")
    do(office, "update_item")
    flash_ok(office)
    office.goto(plan_url)
    do(office, "submit_plan")
    expect(office.locator("#plan-status")).to_have_text("待审定")

    # A leader approves it at a director meeting (and records the party committee's meeting).
    leader = signed_in(new_page, live_server, personas.leader)
    leader.goto(office.url)
    open_action(leader, "approve_plan")
    field(leader, "approve_plan", "meeting").select_option(index=1)
    field(leader, "approve_plan", "party_committee_date").fill("2026-03-05")
    do(leader, "approve_plan")
    expect(leader.locator("#plan-status")).to_have_text("已审定")
    expect(leader.locator("#approved-meeting")).to_contain_text("主任会议")

    # The office sets a milestone and reports progress with evidence.
    item = PlanItem.objects.get()
    item_url = live_server.url + reverse("plans:item", args=[item.pk])
    office.goto(item_url)
    open_action(office, "add_milestone")
    field(office, "add_milestone", "title").fill("完成实地检查")
    field(office, "add_milestone", "due_on").fill("2026-06-15")
    do(office, "add_milestone")
    open_action(office, "report_progress")
    field(office, "report_progress", "text").fill("召开座谈会两次，听取区应急管理局汇报")
    field(office, "report_progress", "percent").fill("40")
    field(office, "report_progress", "evidence").set_input_files(str(evidence))
    do(office, "report_progress")
    expect(office.locator("#reports")).to_contain_text("座谈会纪要.pdf")
    expect(office.locator("#item-progress")).to_have_text("40%")

    # Time passes: the milestone and the item's end date go by; the leaders see it overdue.
    time_machine.move_to(at(date(2026, 7, 6)))
    for page, user in ((office, personas.social_staff), (leader, personas.leader)):
        log_in(page, live_server, user.username, PASSWORD)  # the sessions expired meanwhile
    leader.goto(live_server.url + reverse("plans:dashboard") + "?year=2026")
    cell = leader.locator('#by-office a[data-cell="overdue"]')
    expect(cell).to_have_text("1")
    screenshot(leader, "plans-dashboard-overdue")
    press(leader, cell)
    expect(leader.locator("#item-table")).to_contain_text(ITEM)
    leader.goto(live_server.url + reverse("plans:attention"))
    expect(leader.locator("#item-table")).to_contain_text(ITEM)

    # The office finishes the late milestone and asks for a postponement; the leader approves.
    office.goto(item_url)
    expect(office.locator("[data-milestone][data-overdue]")).to_contain_text("完成实地检查")
    open_action(office, "complete_milestone")
    do(office, "complete_milestone")
    open_action(office, "request_change")
    office.locator('form[data-action="request_change"]').get_by_label("延期", exact=True).check()
    field(office, "request_change", "reason").fill("配合市人大常委会统一部署，审议推迟")
    field(office, "request_change", "new_ends_on").fill("2026-09-30")
    do(office, "request_change")
    flash_ok(office)
    leader.goto(item_url)
    open_action(leader, "decide_change")
    leader.locator('form[data-action="decide_change"]').get_by_label("同意", exact=True).check()
    do(leader, "decide_change")
    expect(leader.locator("#ends-on")).to_have_text("2026-09-30")
    leader.goto(live_server.url + reverse("plans:attention"))
    expect(leader.locator("#attention-count")).to_have_text("0")

    # The office completes it: refused without evidence, then done with it.
    office.goto(item_url)
    open_action(office, "complete_item")
    field(office, "complete_item", "result_statement").fill("执法检查报告经常委会第12次会议审议")
    do(office, "complete_item")
    expect(office.locator("[data-form-error]")).to_contain_text("完成事项须上传成果佐证材料")
    field(office, "complete_item", "evidence").set_input_files(str(evidence))
    do(office, "complete_item")
    expect(office.locator("#item-status")).to_have_text("已完成")

    # Year end: the office assesses itself, the leader grades it.
    open_action(office, "self_assess")
    field(office, "self_assess", "text").fill("按期完成执法检查，整改事项全部销号")
    do(office, "self_assess")
    leader.goto(item_url)
    open_action(leader, "grade_item")
    leader.locator('form[data-action="grade_item"]').get_by_label("优", exact=True).check()
    do(leader, "grade_item")
    expect(leader.locator("#item-grade")).to_have_text("评定：优")
    assert PlanItem.objects.get().status == ItemStatus.COMPLETED

    # The evaluation report downloads (built in the reports part of the plans app).
    report_url = live_server.url + reverse("plans:evaluation_docx") + "?year=2026"
    response = leader.request.get(report_url)
    assert response.status == 200
    assert response.body()[:2] == b"PK"  # a .docx is a zip package
    # The two refusals answer 400 by design (the browser logs each once); nothing else may fail.
    refused = ("/submit_plan/", "/complete_item/")
    expected = [f for f in office.watch.failures if f.endswith(refused) or "status of 400" in f]
    assert len(expected) == 4
    assert [f for f in office.watch.failures if f not in expected] == []
    assert leader.watch.failures == []

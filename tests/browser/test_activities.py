"""On a phone: staff create an activity and invite a group plus two municipal deputies; a
deputy signs up; another asks for leave and is granted it; on the day a deputy checks in with
the code; the attendance counts follow. Once the organiser marks it held, the deputy who came
finds it in their record and points (a 视察 scores +3 under the default rules, on the base of
60), the one on leave shows leave and no absence penalty, the PDF archive and the attendance
sheet download."""

import re
from io import BytesIO
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from renda.deputies.models import Invitation, Level
from tests.browser.conftest import log_in, screenshot
from tests.browser.test_suggestions import wider_than_screen
from tests.conftest import PASSWORD
from tests.deputies.activity_factories import deputy_with_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
TITLE = "视察老旧小区加装电梯"
DETAIL = re.compile(r"/deputies/activities/(\d+)/$")
VISIT = "visit_research"  # PointSource.VISIT_RESEARCH: 参加视察、调研、执法检查、专题询问


def signed_in(make_page, live_server, user):
    page = make_page(viewport=PHONE)
    log_in(page, live_server, user.username, PASSWORD)
    return page


def press(page, button) -> None:
    with page.expect_navigation():
        button.click()


def count(page, name: str):
    return page.locator(f'#attendance-counts [data-count="{name}"]')


def card(page):
    return page.locator("#my-invitations .card").filter(has_text=TITLE)


def open_mine(page, link_id: str | None = None) -> None:
    """我的履职 from the phone menu, then (optionally) one of its links."""
    page.get_by_label("打开菜单").click()
    page.locator("#main-nav").get_by_role("link", name="我的履职").click()
    page.wait_for_url("**/deputies/me/")
    if link_id:
        press(page, page.locator(f"#{link_id}"))


def summary(page, section: str, name: str):
    return page.locator(f'#record-summary [data-section="{section}"] [data-count="{name}"]')


def expect_activity_summary(page, *, attended: str, leave: str, absent: str) -> None:
    expect(summary(page, "activities", "attended")).to_have_text(attended)
    expect(summary(page, "activities", "leave")).to_have_text(leave)
    expect(summary(page, "activities", "absent")).to_have_text(absent)
    expect(summary(page, "absences", "absences")).to_have_text(absent)


def record_row(page, activity_id: str):
    return page.locator(f'#section-activities tr[data-activity="{activity_id}"]')


def points_cell(page, source: str, quarter: int):
    """The cell of one rule in one quarter (after the 计分事项 and 分值 columns)."""
    return page.locator(f'#quarter-table tr[data-source="{source}"] td').nth(quarter + 1)


def downloaded(page, link) -> tuple[str, bytes]:
    with page.expect_download() as info:
        link.click()
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes()


def test_activity_on_phones(new_page, live_server, org, personas):
    li = deputy_with_login("李代表", street=org.street, group=org.group)
    wang = deputy_with_login("王市代表", level=Level.MUNICIPAL, street=org.other_street)
    deputy_with_login("赵市代表", level=Level.MUNICIPAL, street=org.other_street)
    zhang = personas.deputy.deputy
    today = timezone.localdate()

    # Staff create the activity (dated today) and invite a group and two municipal deputies.
    staff = signed_in(new_page, live_server, personas.staff)
    staff.goto(live_server.url + reverse("deputies:create_activity"))
    staff.get_by_label("活动类型").select_option(label="视察")
    staff.get_by_label("活动名称").fill(TITLE)
    staff.get_by_label("日期").fill(f"{today:%Y-%m-%d}")
    staff.get_by_label("开始时间").fill("09:00")
    staff.get_by_label("地点").fill("泉城路街道某小区")
    assert wider_than_screen(staff) == []
    press(staff, staff.get_by_role("button", name="创建"))
    activity_id = DETAIL.search(staff.url).group(1)
    staff.locator("#actions summary").filter(has_text="邀请代表").click()
    panel = staff.locator('#actions [data-action-panel="invite"]')
    panel.get_by_label("代表", exact=True).select_option(label=["王市代表", "赵市代表"])
    panel.get_by_label("代表小组（邀请其全部现任代表）").select_option(label=org.group.name)
    press(staff, panel.get_by_role("button", name="邀请代表"))
    expect(count(staff, "invited")).to_have_text("4")
    press(staff, staff.locator("#actions").get_by_role("button", name="开放报名"))
    expect(staff.locator("#activity-status")).to_have_text("报名中")
    expect(staff.locator("#checkin-qr svg")).to_be_visible()
    code = staff.locator("#checkin-code").inner_text().strip()
    assert wider_than_screen(staff) == []
    screenshot(staff, "activity-phone-staff")

    # A deputy signs up from "我的活动".
    li_page = signed_in(new_page, live_server, li.user)
    li_page.get_by_label("打开菜单").click()
    li_page.locator("#main-nav").get_by_role("link", name="我的活动").click()
    li_page.wait_for_url("**/deputies/activities/mine/")
    press(li_page, card(li_page).get_by_role("button", name="报名"))
    expect(card(li_page).locator("[data-state]")).to_have_text("已报名")
    assert wider_than_screen(li_page) == []

    # Another asks for leave; the staff grant it.
    zhang_page = signed_in(new_page, live_server, personas.deputy)
    zhang_page.goto(live_server.url + reverse("deputies:my_activities"))
    card(zhang_page).locator("summary").filter(has_text="请假").click()
    card(zhang_page).get_by_label("请假事由").fill("参加市里培训")
    press(zhang_page, card(zhang_page).get_by_role("button", name="请假"))
    expect(card(zhang_page).locator("[data-state]")).to_contain_text("请假待批")
    screenshot(zhang_page, "activity-phone-deputy")
    staff.reload()
    row = staff.locator(f'#invitation-table tr[data-deputy="{zhang.full_name}"]')
    press(staff, row.get_by_role("link", name="准假", exact=True))
    press(staff, staff.get_by_role("button", name="准假", exact=True))
    expect(count(staff, "leave")).to_have_text("1")

    # On the day, the deputy checks in with the code (a wrong one first).
    li_page.reload()
    press(li_page, card(li_page).get_by_role("link", name="签到"))
    li_page.get_by_label("签到码（6 位数字）").fill("abcdef")
    press(li_page, li_page.get_by_role("button", name="签到"))
    expect(li_page.locator("#check-in-form")).to_contain_text("签到码不正确")
    li_page.watch.failures.clear()  # the refusal's 400, expected
    li_page.get_by_label("签到码（6 位数字）").fill(code)
    press(li_page, li_page.get_by_role("button", name="签到"))
    expect(card(li_page).locator("[data-state]")).to_contain_text("出席")
    assert wider_than_screen(li_page) == []
    screenshot(li_page, "activity-phone-checked-in")

    # The counts follow.
    staff.reload()
    expect(count(staff, "signed_up")).to_have_text("1")
    expect(count(staff, "attended")).to_have_text("1")
    expect(count(staff, "leave")).to_have_text("1")
    assert Invitation.objects.get(deputy=li).checked_in_by == "code"
    assert Invitation.objects.get(deputy=wang).response == "invited"

    # The organiser marks it held (confirming). Sign-up was open, so only who signed up or
    # asked for leave was expected: the municipal deputies who never answered are not absent,
    # and neither is the deputy on granted leave.
    staff.once("dialog", lambda dialog: dialog.accept())
    press(staff, staff.locator("#actions").get_by_role("button", name="标记为已举行"))
    expect(staff.locator("#activity-status")).to_have_text("已举行")
    expect(count(staff, "attended")).to_have_text("1")
    expect(count(staff, "leave")).to_have_text("1")
    expect(count(staff, "absent")).to_have_text("0")
    for name in (zhang.full_name, wang.full_name):
        row = staff.locator(f'#invitation-table tr[data-deputy="{name}"]')
        expect(row.locator("[data-attendance]")).to_have_text("")

    # The attendance sheet downloads for the staff, with each deputy's outcome.
    name, content = downloaded(staff, staff.locator("#attendance-sheet"))
    assert name == f"{TITLE}签到表-{today:%Y%m%d}.xlsx"
    cells = list(load_workbook(BytesIO(content)).active.iter_rows(min_row=3, values_only=True))
    outcome = {row[1]: (row[6], row[7], row[9]) for row in cells}
    assert outcome["李代表"] == (None, "出席", "签到码签到")
    assert outcome[zhang.full_name] == ("准假：参加市里培训", None, None)
    assert outcome["王市代表"] == outcome["赵市代表"] == (None, None, None)

    check_own_record(li_page, activity_id, today)
    check_leave_shown(staff, zhang_page, live_server, zhang, activity_id, today)
    for page in (staff, zhang_page, li_page):
        assert page.watch.failures == []


def check_own_record(page, activity_id: str, today) -> None:
    """The deputy who came: 我的履职 counts it, the full record lists it as attended, the points
    show +3 on the base of 60, and this year's PDF archive downloads."""
    quarter = (today.month - 1) // 3 + 1
    open_mine(page)
    expect(page.locator("h1")).to_have_text(f"我的履职 · {today.year}年")
    expect_activity_summary(page, attended="1", leave="0", absent="0")
    assert wider_than_screen(page) == []
    screenshot(page, "activity-phone-my-record")

    press(page, page.get_by_role("link", name="查看完整履职档案"))
    expect(page.locator("h1")).to_have_text(f"李代表 · {today.year}年度履职档案")
    row = record_row(page, activity_id)
    expect(row).to_have_attribute("data-outcome", "attended")
    expect(row).to_contain_text(TITLE)
    expect(row.locator(".badge")).to_have_text("出席")
    expect(page.locator('#activity-kinds [data-kind="visit"]')).to_have_text(
        "视察：参加 1，请假 0，缺席 0"
    )
    expect_activity_summary(page, attended="1", leave="0", absent="0")
    assert wider_than_screen(page) == []

    open_mine(page)
    press(page, page.get_by_role("link", name="我的履职积分"))
    expect(page.locator("h1")).to_have_text(f"李代表 · {today.year}年履职积分")
    visit = page.locator(f'#quarter-table tr[data-source="{VISIT}"]')
    expect(visit.locator("td").first).to_have_text("参加视察、调研、执法检查、专题询问")
    expect(visit.locator("td").nth(1)).to_have_text("3 分/每件/每次")
    expect(points_cell(page, VISIT, quarter)).to_have_text("1 （3.0 分）")
    expect(points_cell(page, "absence", quarter)).to_have_text("—")
    expect(page.locator(f'[data-quarter-points="{quarter}"]')).to_have_text("3.0")
    expect(page.locator(f'[data-year-points="{quarter}"]')).to_have_text("63.0")
    expect(page.locator(f'[data-band="{quarter}"]')).to_have_text("较好")
    assert wider_than_screen(page) == []
    screenshot(page, "activity-phone-my-points")

    open_mine(page)
    link = page.locator("#archive-pdf")
    expect(link).to_have_text(f"下载{today.year}年履职档案（PDF）")
    name, content = downloaded(page, link)
    assert name == f"李代表-{today.year}年履职档案.pdf"
    assert content.startswith(b"%PDF")


def check_leave_shown(staff, zhang_page, live_server, zhang, activity_id: str, today) -> None:
    """The deputy on granted leave: leave in the organiser's view of the record, not absent, and
    no absence penalty in their points."""
    quarter = (today.month - 1) // 3 + 1
    staff.goto(live_server.url + reverse("deputies:detail", args=[zhang.pk]))
    press(staff, staff.locator("#record-link"))
    row = record_row(staff, activity_id)
    expect(row).to_have_attribute("data-outcome", "leave")
    expect(row.locator(".badge")).to_have_text("请假")
    expect(staff.locator('#activity-kinds [data-kind="visit"]')).to_have_text(
        "视察：参加 0，请假 1，缺席 0"
    )
    expect_activity_summary(staff, attended="0", leave="1", absent="0")

    open_mine(zhang_page, "my-points")
    expect(points_cell(zhang_page, "absence", quarter)).to_have_text("—")
    expect(points_cell(zhang_page, VISIT, quarter)).to_have_text("—")
    expect(zhang_page.locator(f'[data-quarter-points="{quarter}"]')).to_have_text("0.0")
    expect(zhang_page.locator(f'[data-year-points="{quarter}"]')).to_have_text("60.0")

"""On a phone: staff create an activity and invite a group plus two municipal deputies; a
deputy signs up; another asks for leave and is granted it; on the day a deputy checks in with
the code; the attendance counts follow."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from renda.deputies.models import Invitation, Level
from tests.browser.conftest import log_in, screenshot
from tests.browser.test_suggestions import wider_than_screen
from tests.conftest import PASSWORD
from tests.deputies.activity_factories import deputy_with_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
TITLE = "视察老旧小区加装电梯"
DETAIL = re.compile(r"/deputies/activities/\d+/$")


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
    assert DETAIL.search(staff.url)
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
    for page in (staff, zhang_page, li_page):
        assert page.watch.failures == []

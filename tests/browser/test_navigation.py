"""Each role logs in through the real page and opens every navigation entry it is allowed."""

import pytest

from renda.core.navigation import entries_for
from tests.browser.conftest import log_in, screenshot
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("role", ["admin", "leader", "staff", "street", "deputy", "unit"])
def test_role_opens_every_navigation_entry(new_page, live_server, personas, role):
    user = personas.by_role()[role]
    page = new_page()
    log_in(page, live_server, user.username, PASSWORD)
    assert page.locator("#panel-waiting").inner_text().strip().startswith("待我办理")
    entries = entries_for(user)
    links = page.locator("#main-nav a.nav-link")
    assert links.count() == len(entries)
    for entry in entries:
        page.locator(f'#main-nav a[data-nav="{entry.url_name}"]').click()
        page.wait_for_load_state("networkidle")
        assert "无权访问" not in page.content(), entry.label
        body = page.locator("body").inner_text()
        assert any("\u4e00" <= ch <= "\u9fff" for ch in body)
        if entry.url_name.startswith("admin:"):
            assert page.locator("#site-name").inner_text() == "人大工作平台 · 系统管理"
            page.go_back()
        else:
            # Bootstrap's stylesheet loaded: the navbar is laid out as a flex row.
            assert page.locator("nav.navbar").evaluate("e => getComputedStyle(e).display") == "flex"
        screenshot(page, f"{role}-{entry.url_name.replace(':', '-')}")
    assert page.watch.failures == []


def test_phone_layout_menu_and_roster(new_page, live_server, personas):
    page = new_page(viewport={"width": 390, "height": 844})
    log_in(page, live_server, personas.street.username, PASSWORD)
    assert not page.locator("#main-nav").is_visible()  # folded away on a phone
    page.get_by_label("打开菜单").click()
    page.locator('#main-nav a[data-nav="deputies:list"]').click()
    page.wait_for_url(f"{live_server.url}/deputies/")
    assert "张代表" in page.locator("#roster-table").inner_text()
    screenshot(page, "phone-street-roster")
    assert page.watch.failures == []


def test_roster_filter_and_detail(new_page, live_server, personas, org):
    page = new_page()
    log_in(page, live_server, personas.staff.username, PASSWORD)
    page.goto(f"{live_server.url}/deputies/")
    page.get_by_label("街道").select_option(label="大明湖街道")
    page.wait_for_url("**street=*")
    assert "没有符合条件的代表" in page.locator("#roster-table").inner_text()
    page.get_by_label("街道").select_option(label="泉城路街道")
    page.wait_for_url(f"**street={org.street.pk}*")
    page.get_by_role("link", name="张代表").click()
    assert page.locator("#deputy-phone").inner_text() == "13912345678"
    with page.expect_download() as download:
        page.goto(f"{live_server.url}/deputies/")
        page.locator("#export-xlsx").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    assert page.watch.failures == []


def test_wrong_password_then_log_in(new_page, live_server, personas):
    page = new_page()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(personas.unit.username)
    page.get_by_label("密码").fill("不对的密码")
    page.get_by_role("button", name="登录").click()
    assert "用户名或密码不正确" in page.locator(".alert-danger").inner_text()
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")
    page.locator("#user-menu").click()
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url("**/login/")

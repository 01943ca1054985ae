"""Acceptance of a special inquiry (专题询问) in a real browser: the urban-management inquiry at the
standing committee's meeting. The social-construction office prepares it (research, the bodies
and officials who must attend, the questions — one asked by a deputy), records the answers and
the inquiry itself, the satisfaction vote on each question, and the rectification list; a body
answers its item and the office verifies it (销号); the deputy who asked sees the inquiry; the
public page shows it once it is published.

Every step is done by the person whose step it is, in their own browser context."""

import re
from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from renda.supervision.models import Inquiry, InquiryStatus, Rectification, RectificationStatus
from tests.browser.conftest import log_in, screenshot
from tests.conftest import PASSWORD
from tests.plans.factories import at
from tests.supervision.factories import supervision  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOPIC = "城市管理工作专题询问"
STANDING_MEETING = "第十八届人大常委会第30次会议"
DETAIL_URL = re.compile(r"/supervision/inquiries/\d+/$")
HOUSING, URBAN = "区住房和城乡建设局", "区城市管理局"
# (who asks, to whom, question, answer, votes 满意/基本满意/不满意, the rate shown)
QUESTIONS = [
    (
        "张代表",
        f"{URBAN} 局长张明",
        "老旧小区周边占道经营反复出现，城管部门如何建立长效管理机制？",
        "我局将推行街长制，划定疏导点，年底前实现重点路段常态化巡查全覆盖。",
        (28, 6, 1),
        "97.1%",
    ),
    (
        "刘委员",
        f"{HOUSING} 副局长王强",
        "建筑工地扬尘治理仍有死角，住建部门如何压实施工单位责任？",
        "我局将扬尘治理纳入信用评价，对屡查屡犯的施工单位依法停工整改。",
        (20, 8, 7),
        "80.0%",
    ),
]
COMMITMENTS = [
    ("建立占道经营长效管理机制", "年底前实现重点路段常态化巡查全覆盖"),
    ("压实建筑工地扬尘治理责任", "将扬尘治理纳入施工单位信用评价"),
]


@pytest.fixture
def preparing_day(time_machine) -> date:
    """Preparation starts two weeks before the meeting; the fixtures are made on that day."""
    day = date(2026, 9, 10)
    time_machine.move_to(at(day, 9))
    return day


@pytest.fixture
def world(preparing_day, supervision):  # noqa: F811
    return supervision


# -- what a person does on the pages ----------------------------------------------------------


def signed_in(new_page, live_server, user):
    page = new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # the confirmations (公开)
    log_in(page, live_server, user.username, PASSWORD)
    return page


def press(page, button) -> None:
    with page.expect_navigation():
        button.click()


def open_action(page, name: str):
    panel = page.locator(f'[data-action-panel="{name}"]')
    if panel.count() and not panel.evaluate("d => d.open"):
        panel.locator("summary").click()
    return page.locator(f'form[data-action="{name}"]')


def do(page, name: str) -> None:
    press(page, page.locator(f'form[data-action="{name}"] button[type=submit]'))


def flash(page, text: str) -> None:
    expect(page.locator(".alert-success").first).to_contain_text(text)


def menu(page, card: str) -> None:
    """The supervision menu entry, then one of its cards."""
    press(page, page.locator("#main-nav").get_by_role("link", name="监督工作"))
    press(page, page.locator("main").get_by_role("link", name=card, exact=True))


def status_is(page, text: str) -> None:
    expect(page.locator("#inquiry-status")).to_have_text(text)


def question_row(page, n: int):
    return page.locator("#questions li[data-question]").nth(n)


# -- the steps --------------------------------------------------------------------------------


def _office_arranges(page) -> None:
    menu(page, "专题询问")
    press(page, page.locator("#create-inquiry"))
    page.get_by_label("询问主题").fill(TOPIC)
    page.get_by_label("承办机构").select_option(label="社会建设工作室")
    page.get_by_label("询问会议").select_option(label=STANDING_MEETING)
    page.get_by_label("询问背景和目的").fill("围绕城市精细化管理，推动解决群众反映强烈的突出问题。")
    press(page, page.get_by_role("button", name="安排", exact=True))
    expect(page).to_have_url(DETAIL_URL)
    flash(page, "专题询问已安排，请确定应询人和询问问题。")
    status_is(page, "筹备中")
    expect(page.locator("#inquiry-meeting")).to_contain_text(f"{STANDING_MEETING}（2026-09-24）")

    form = open_action(page, "update_inquiry")
    form.get_by_label("前期调研").fill("9月上旬组织8名区人大代表走访4个街道，收集意见建议23条。")
    do(page, "update_inquiry")
    flash(page, "询问方案已修改。")
    expect(page.locator("#research")).to_contain_text("收集意见建议23条")


def _office_adds_attendees(page) -> None:
    for unit, title, official in ((URBAN, "局长", "张明"), (HOUSING, "副局长", "王强")):
        form = open_action(page, "add_attendee")
        form.get_by_label("应询单位").select_option(label=unit)
        form.get_by_label("应询人", exact=True).fill(official)
        form.get_by_label("职务").fill(title)
        do(page, "add_attendee")
        flash(page, f"已确定应询人：{unit}{official}。")
    rows = page.locator("#attendees li[data-attendee]")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text(f"{URBAN} · 局长 张明")


def _office_adds_questions(page) -> None:
    deputy_asks, member_asks = QUESTIONS
    form = open_action(page, "add_question")
    form.get_by_label("人大代表", exact=True).check()
    form.get_by_label("提问代表").select_option(label=deputy_asks[0])
    form.get_by_label("应询人", exact=True).select_option(label=deputy_asks[1])
    form.get_by_label("问题", exact=True).fill(deputy_asks[2])
    do(page, "add_question")
    flash(page, "已增加第 1 个问题。")

    form = open_action(page, "add_question")
    form.get_by_label("常委会组成人员", exact=True).check()
    form.get_by_label("提问人姓名").fill(member_asks[0])
    form.get_by_label("应询人", exact=True).select_option(label=member_asks[1])
    form.get_by_label("问题", exact=True).fill(member_asks[2])
    do(page, "add_question")
    flash(page, "已增加第 2 个问题。")

    expect(question_row(page, 0)).to_contain_text(f"张代表（人大代表）问 {URBAN}局长张明")
    expect(question_row(page, 1)).to_contain_text(f"刘委员（常委会组成人员）问 {HOUSING}副局长王强")
    expect(page.locator("#questions [data-unanswered]")).to_have_count(2)


def _office_records_answers(page) -> None:
    for n, (_, _, _, answer, _, _) in enumerate(QUESTIONS):
        press(page, question_row(page, n).get_by_role("link", name="记录回答"))
        page.get_by_label("回答").fill(answer)
        do(page, "record_answer")
        flash(page, f"已记录第 {n + 1} 个问题的回答。")
        expect(question_row(page, n).locator("[data-answer]")).to_have_text(answer)


def _office_holds(page) -> None:
    form = open_action(page, "hold_inquiry")
    expect(form.get_by_label("询问日期")).to_have_value("2026-09-24")
    form.get_by_label("询问情况").fill("常委会组成人员和区人大代表共35人参加询问，应询人全部到会。")
    do(page, "hold_inquiry")
    flash(page, "询问情况已记录。")
    status_is(page, "已询问")
    expect(page.locator("#held-on")).to_have_text("2026-09-24")


def _office_records_votes(page) -> None:
    for n, (*_, votes, rate) in enumerate(QUESTIONS):
        press(page, question_row(page, n).get_by_role("link", name="满意度测评"))
        for label, count in zip(("满意票", "基本满意票", "不满意票"), votes, strict=True):
            page.get_by_label(label, exact=True).fill(str(count))
        do(page, "record_question_vote")
        flash(page, f"第 {n + 1} 个问题满意度测评已记录，满意率 {rate}。")
    for n, (*_, votes, rate) in enumerate(QUESTIONS):
        row = question_row(page, n)
        expect(row.locator("[data-rate]")).to_have_text(rate)
        expect(row.locator("[data-vote]")).to_contain_text(
            f"满意 {votes[0]} 票 · 基本满意 {votes[1]} 票 · 不满意 {votes[2]} 票"
        )


def _office_lists_commitments(page) -> None:
    form = open_action(page, "list_commitments")
    for n, (title, description) in enumerate(COMMITMENTS, start=1):
        question = QUESTIONS[n - 1][2][:30]
        form.locator(f"#id_list_commitments-question_{n}").select_option(
            label=f"第 {n} 个问题：{question}"
        )
        form.locator(f"#id_list_commitments-title_{n}").fill(title)
        form.locator(f"#id_list_commitments-description_{n}").fill(description)
    do(page, "list_commitments")
    flash(page, "已交办整改事项 2 项。")
    status_is(page, "整改中")
    rows = page.locator("#rectifications tr[data-rectification]")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text=COMMITMENTS[0][0])).to_contain_text(URBAN)
    expect(rows.filter(has_text=COMMITMENTS[0][0])).to_contain_text("待整改")
    expect(rows.filter(has_text=COMMITMENTS[1][0])).to_contain_text(HOUSING)


def _unit_answers_its_item(page, tmp_path) -> None:
    menu(page, "整改事项")
    expect(page.locator("#rectification-count")).to_have_text("1")
    table = page.locator("#rectification-table")
    expect(table).not_to_contain_text(COMMITMENTS[1][0])  # the housing bureau's
    press(page, table.get_by_role("link", name=COMMITMENTS[0][0], exact=True))
    expect(page.locator("#source")).to_contain_text("专题询问承诺")
    evidence = tmp_path / "占道经营长效管理办法.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% renda browser test evidence\n")
    form = open_action(page, "submit_rectification")
    form.get_by_label("整改结果").fill("已印发占道经营长效管理办法，重点路段实现常态化巡查。")
    form.get_by_label("整改佐证材料").set_input_files(str(evidence))
    do(page, "submit_rectification")
    flash(page, "已申请销号，等待督办机构审核。")
    expect(page.locator("#rectification-status")).to_have_text("申请销号")
    expect(page.locator("#reports")).to_contain_text("占道经营长效管理办法.pdf")
    screenshot(page, "inquiry-unit-answered")
    # The body sees the inquiry it attended.
    menu(page, "专题询问")
    expect(page.locator("#inquiry-table")).to_contain_text(TOPIC)


def _office_verifies(page, inquiry_url: str) -> None:
    page.goto(inquiry_url)
    rows = page.locator("#rectifications tr[data-rectification]")
    item = rows.filter(has_text=COMMITMENTS[0][0])
    expect(item.locator("[data-status]")).to_have_text("申请销号")
    press(page, item.get_by_role("link", name=COMMITMENTS[0][0]))
    form = open_action(page, "verify_rectification")
    form.get_by_label("审核意见").fill("经实地查看，整改到位。")
    do(page, "verify_rectification")
    flash(page, "已销号。")
    expect(page.locator("#rectification-status")).to_have_text("已销号")
    page.goto(inquiry_url)
    expect(item.locator("[data-status]")).to_have_attribute("data-status", "verified")
    expect(item.locator("[data-status]")).to_have_text("已销号")
    other = rows.filter(has_text=COMMITMENTS[1][0])
    expect(other.locator("[data-status]")).to_have_text("待整改")


def _deputy_sees_the_inquiry(page) -> None:
    menu(page, "专题询问")
    table = page.locator("#inquiry-table")
    expect(table).to_contain_text(TOPIC)
    press(page, table.get_by_role("link", name=TOPIC))
    expect(page.locator("#inquiry-topic")).to_have_text(TOPIC)
    expect(question_row(page, 0)).to_contain_text(QUESTIONS[0][2])
    expect(question_row(page, 0).locator("[data-rate]")).to_have_text(QUESTIONS[0][5])
    expect(page.locator("#no-actions")).to_be_visible()  # a deputy reads; the office acts
    screenshot(page, "inquiry-deputy-view")


# -- the test ---------------------------------------------------------------------------------


def test_urban_management_inquiry(world, new_page, live_server, time_machine, tmp_path):
    p = world.p
    public_url = live_server.url + reverse("supervision:public_inquiries")

    # Preparation: the office arranges the inquiry, its attendees and questions, and the answers
    # the bodies sent in writing.
    office = signed_in(new_page, live_server, p.social_staff)
    _office_arranges(office)
    inquiry_url = office.url
    _office_adds_attendees(office)
    _office_adds_questions(office)
    _office_records_answers(office)
    screenshot(office, "inquiry-prepared")

    # The day of the meeting: the inquiry is held, each question voted on, the list drawn up.
    time_machine.move_to(at(date(2026, 9, 24), 15))
    log_in(office, live_server, p.social_staff.username, PASSWORD)  # the session expired
    office.goto(inquiry_url)
    _office_holds(office)
    _office_records_votes(office)
    _office_lists_commitments(office)
    screenshot(office, "inquiry-held")

    # Three weeks later the urban-management bureau answers its item; the office verifies it.
    time_machine.move_to(at(date(2026, 10, 15), 9))
    urban = signed_in(new_page, live_server, world.other_unit_user)
    _unit_answers_its_item(urban, tmp_path)
    log_in(office, live_server, p.social_staff.username, PASSWORD)
    _office_verifies(office, inquiry_url)

    # The deputy who asked a question sees the inquiry.
    deputy = signed_in(new_page, live_server, p.deputy)
    _deputy_sees_the_inquiry(deputy)

    # The public sees nothing until the office publishes it.
    public = new_page()
    public.goto(public_url)
    expect(public.locator("#public-count")).to_have_text("0")
    expect(public.locator("main")).to_contain_text("暂无公开的专题询问。")
    office.goto(inquiry_url)
    do(office, "publish_inquiry")
    flash(office, "专题询问已向社会公开。")
    expect(office.locator("#inquiry-published")).to_have_text("已公开")
    screenshot(office, "inquiry-published")

    public.reload()
    expect(public.locator("#public-count")).to_have_text("1")
    article = public.locator("article[data-inquiry]")
    expect(article).to_contain_text(TOPIC)
    for n, (_, _, question, answer, _, rate) in enumerate(QUESTIONS):
        entry = article.locator("li[data-question]").nth(n)
        expect(entry).to_contain_text(question)
        expect(entry).to_contain_text(answer)
        expect(entry.locator("[data-rate]")).to_have_text(rate)
    verified = article.locator("tr[data-rectification]").filter(has_text=COMMITMENTS[0][0])
    expect(verified).to_contain_text("已销号")
    screenshot(public, "inquiry-public")

    inquiry = Inquiry.objects.get()
    assert inquiry.status == InquiryStatus.RECTIFYING and inquiry.is_published
    statuses = dict(Rectification.objects.values_list("title", "status"))
    assert statuses == {
        COMMITMENTS[0][0]: RectificationStatus.VERIFIED,
        COMMITMENTS[1][0]: RectificationStatus.ASSIGNED,
    }
    for page in (office, urban, deputy, public):
        assert page.watch.failures == []

"""The statistics page and its downloads: who may open them, which session they show, what they
contain, and the files open as real workbooks and documents."""

from __future__ import annotations

import json
import re
from datetime import date
from io import BytesIO

import docx
import openpyxl
import pytest
from django.urls import reverse

from renda.suggestions import actions
from tests.suggestions.factories import at

pytestmark = pytest.mark.django_db

ASSIGNED = date(2026, 3, 2)
TODAY = date(2026, 7, 1)  # the assigned ones (due 2026-06-02) are overdue


@pytest.fixture
def session(world, time_machine):
    """Session 18-5: one closed (A, 满意, on time), one open overdue, one accepted, one key."""
    time_machine.move_to(at(ASSIGNED), tick=False)
    closed = world.rated("satisfied", code="A")
    overdue = world.assigned(title="关于整治背街小巷积水的建议")
    accepted = world.accepted(title="关于增设社区养老服务站的建议")
    actions.flag_key(
        acting_user=world.p.leader,
        suggestion=overdue,
        leader=world.p.leader,
        office=world.org.deputy_office,
    )
    time_machine.move_to(at(TODAY), tick=False)
    return {"closed": closed, "overdue": overdue, "accepted": accepted}


def page(client, user, **params):
    client.force_login(user)
    return client.get(reverse("suggestions:statistics"), params)


def chart_json(html: str) -> dict:
    match = re.search(r'<script id="statistics-data" type="application/json">(.*?)</script>', html)
    assert match, "the chart data block is on the page"
    return json.loads(match.group(1))


def test_the_page_shows_the_figures(client, world, session):
    response = page(client, world.p.staff)
    assert response.status_code == 200
    html = response.content.decode()
    assert "区十八届人大五次会议代表建议办理情况" in html
    stats = response.context["stats"]
    assert stats.total == 3
    assert str(stats.on_time_rate) == "50%（1/2）"  # the overdue one counts as late
    assert str(stats.satisfaction_rate) == "100%（1/1）"
    assert 'id="total">3<' in html
    assert "50%" in html and "100%" in html
    assert world.org.unit.name in html
    overdue_list = html.split('id="overdue-units"')[1].split("</ul>")[0]
    assert world.org.unit.name in overdue_list and "1 件" in overdue_list
    key_list = html.split('id="key-suggestions"')[1].split("</ul>")[0]
    assert "关于整治背街小巷积水的建议" in key_list


def test_chart_data_is_a_json_block_and_scripts_are_files(client, world, session):
    html = page(client, world.p.leader).content.decode()
    data = chart_json(html)
    assert data["rates"][0] == {"name": "按期答复率", "value": 50.0}
    assert {"name": "待交办", "value": 1} in data["byState"]
    assert data["units"]["overdue"] == [1]
    # CSP: no inline script, only the JSON data block and script files.
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert 'src="' in tag or 'type="application/json"' in tag, tag
    assert "vendor/echarts/echarts.min.js" in html and "suggestions/statistics.js" in html
    assert " style=" not in html


def test_default_session_is_the_latest_with_suggestions(client, world, session):
    world.draft(session_number=7)  # a draft does not make a session with statistics
    world.accepted(session_number=6, title="关于下次会议的建议")
    response = page(client, world.p.admin)
    assert (response.context["stats"].term_number, response.context["stats"].session_number) == (
        18,
        6,
    )
    assert response.context["stats"].total == 1
    response = page(client, world.p.admin, session="18-5")
    assert response.context["stats"].total == 3
    assert 'value="18-5" selected' in response.content.decode()


def test_a_session_without_data(client, world):
    response = page(client, world.p.staff, session="18-9")
    assert response.status_code == 200
    html = response.content.decode()
    assert "该次会议尚无立案的建议。" in html
    assert "暂无数据" in html
    assert chart_json(html)["rates"][0]["value"] is None
    # The current session is offered even before anything is numbered.
    response = page(client, world.p.staff)
    assert (response.context["stats"].term_number, response.context["stats"].session_number) == (
        18,
        5,
    )


def test_a_malformed_session_falls_back_to_the_default(client, world, session):
    for value in ("", "x", "18-", "-5", "0-0", "18-5-3"):
        response = page(client, world.p.staff, session=value)
        assert response.status_code == 200
        assert response.context["stats"].total == 3, value


def test_staff_of_any_office_reads_the_statistics(client, world, session):
    assert page(client, world.p.social_staff).status_code == 200


@pytest.mark.parametrize("role", ["street", "deputy", "unit"])
def test_other_roles_are_refused(client, world, role):
    user = world.p.by_role()[role]
    client.force_login(user)
    for name in ("statistics", "statistics_xlsx", "handling_report"):
        assert client.get(reverse(f"suggestions:{name}")).status_code == 403


def test_page_query_count_is_constant(client, world, session, django_assert_num_queries):
    client.force_login(world.p.staff)
    url = reverse("suggestions:statistics")
    # session, user, roles, the base page (congress, unread notifications) and 9 of the page.
    with django_assert_num_queries(14) as few:
        client.get(url, {"session": "18-5"})
    for _ in range(3):
        world.rated("basically", code="B")
        s = world.assigned()
        actions.flag_key(
            acting_user=world.p.leader,
            suggestion=s,
            leader=world.p.leader,
            office=world.org.deputy_office,
        )
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url, {"session": "18-5"})
    assert response.context["stats"].total == 9


def test_xlsx_download(client, world, session):
    client.force_login(world.p.leader)
    response = client.get(reverse("suggestions:statistics_xlsx"), {"session": "18-5"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert "attachment" in response["Content-Disposition"]
    assert ".xlsx" in response["Content-Disposition"]
    book = openpyxl.load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["概况", "按状态", "按类别", "按答复类别", "按承办单位", "重点督办"]
    overview = {row[0]: row for row in book["概况"].iter_rows(min_row=3, values_only=True)}
    assert overview["建议总数"][1] == 3
    assert overview["按期答复率"][2:4] == (1, 2)
    units = [row for row in book["按承办单位"].iter_rows(min_row=3, values_only=True)]
    assert units[0][:5] == (world.org.unit.name, 2, 1, 1, 1)
    keys = [row for row in book["重点督办"].iter_rows(min_row=3, values_only=True)]
    assert keys[0][1] == "关于整治背街小巷积水的建议"


def test_handling_report_download(client, world, session):
    client.force_login(world.p.admin)
    response = client.get(reverse("suggestions:handling_report"), {"session": "18-5"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    document = docx.Document(BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "关于区十八届人大五次会议代表建议办理情况的报告" in text
    assert "按期答复率为50%（按期答复1件，共2件）" in text
    table = document.tables[0]
    assert table.rows[1].cells[0].text == world.org.unit.name
    assert table.rows[1].cells[4].text == "1"  # overdue, open


def test_downloads_follow_the_chosen_session(client, world, session):
    world.accepted(session_number=6)
    client.force_login(world.p.staff)
    response = client.get(reverse("suggestions:statistics_xlsx"), {"session": "18-6"})
    book = openpyxl.load_workbook(BytesIO(response.content))
    overview = {row[0]: row for row in book["概况"].iter_rows(min_row=3, values_only=True)}
    assert overview["建议总数"][1] == 1
    html = page(client, world.p.staff, session="18-6").content.decode()
    assert f"{reverse('suggestions:statistics_xlsx')}?session=18-6" in html
    assert f"{reverse('suggestions:handling_report')}?session=18-6" in html

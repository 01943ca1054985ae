"""The year-end evaluation page and its downloads, and the Excel round-trip through the pages:
who may open them, what they show, that the files open, and a query count independent of the
number of items."""

from __future__ import annotations

import re
from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import docx
import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from renda.plans import actions
from renda.plans.models import ChangeRequest, ItemStatus, PlanItem, PlanKind, ProgressReport
from tests.plans.factories import item_fields, pdf

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
STARTED = date(2026, 3, 10)
TODAY = date(2026, 6, 15)  # a milestone of 5-31 is late; no report since March is stale
# session, user, roles; years, offices, rules, rows, counts; congress and notifications (base.html)
EVALUATION_QUERIES = 10


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=SHANGHAI)


def approved_plan(planning, *, kind=PlanKind.SUPERVISION, items: int = 4, other_office=True):
    plan = planning.draft(kind=kind, items=items)
    if other_office:
        actions.add_item(
            acting_user=planning.p.social_staff,
            plan=plan,
            values=item_fields(planning.org.deputy_office, title="代表培训"),
        )
    plan = actions.submit_plan(acting_user=planning.p.social_staff, plan=plan)
    return actions.approve_plan(
        acting_user=planning.p.leader,
        plan=plan,
        meeting=planning.meeting,
        party_committee_date=date(2026, 2, 10),
    )


@pytest.fixture
def year(planning, time_machine):
    """2026: one completed and graded 优, one in progress with a late milestone (graded 一般),
    one cancelled, one stale, and the deputy office's training (stale too)."""
    time_machine.move_to(at(STARTED), tick=False)
    staff, leader = planning.p.social_staff, planning.p.leader
    plan = approved_plan(planning)
    done, late, cancelled, stale = plan.items.filter(parent=None).order_by("position")[:4]
    actions.report_progress(acting_user=staff, item=done, text="召开座谈会", percent=50)
    actions.complete_item(
        acting_user=staff, item=done, result_statement="执法检查报告经常委会审议", evidence=[pdf()]
    )
    actions.report_progress(acting_user=staff, item=late, text="起草方案", percent=40)
    actions.add_milestone(acting_user=staff, item=late, title="方案印发", due_on=date(2026, 5, 31))
    change = actions.request_change(
        acting_user=staff,
        item=cancelled,
        kind=ChangeRequest.Kind.CANCEL,
        reason="与专题询问合并开展",
    )
    actions.decide_change(acting_user=leader, change=change, approve=True)
    for item, grade in ((done, "excellent"), (late, "fair")):
        actions.self_assess(acting_user=staff, item=item, text=f"{item.title}自评")
        actions.grade_item(acting_user=leader, item=item, grade=grade)
    time_machine.move_to(at(TODAY), tick=False)
    return {"plan": plan, "done": done, "late": late, "cancelled": cancelled, "stale": stale}


def get(client, user, name, **params):
    client.force_login(user)
    return client.get(reverse(name), params)


def test_the_page_lists_each_item_with_its_evaluation(client, planning, year):
    response = get(client, planning.p.leader, "plans:evaluation")
    assert response.status_code == 200
    report = response.context["report"]
    assert report.title == "机关2026年度工作计划落实情况评估报告"
    assert report.total == 5
    assert dict(report.by_state) == {"未开始": 2, "推进中": 1, "已完成": 1, "已取消": 1}
    assert dict(report.by_grade) == {"优": 1, "良": 0, "一般": 1, "差": 0, "未评定": 2}
    rows = {row.title: row for row in report.rows}
    done = rows["《安全生产法》执法检查"]
    assert (done.grade_label, done.health, done.evidence_count, done.progress) == (
        "优",
        "completed",
        1,
        100,
    )
    assert done.result_statement == "执法检查报告经常委会审议"
    assert done.self_assessment == "《安全生产法》执法检查自评"
    late = rows["第2项工作"]
    assert (late.health, late.grade_label, late.progress) == ("overdue", "一般", 40)
    assert rows["第3项工作"].cancel_reason == "与专题询问合并开展"
    assert (rows["第4项工作"].health, rows["第4项工作"].is_stale) == ("at_risk", True)
    html = response.content.decode()
    table = html.split('id="evaluation-rows"')[1]
    assert "执法检查报告经常委会审议" in table and "已逾期" in table and "无进展" in table
    assert reverse("plans:item", args=[year["done"].pk]) in table
    grades = html.split('id="table-grade"')[1].split("</table>")[0]
    assert '<td>优</td><td class="text-end">1</td>' in grades
    # CSP: no inline script or style.
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert 'src="' in tag or 'type="application/json"' in tag, tag
    assert " style=" not in html


def test_one_office_and_the_year(client, planning, year):
    office = planning.org.deputy_office
    response = get(client, planning.p.staff, "plans:evaluation", office=office.pk, year=2026)
    report = response.context["report"]
    assert report.title == "人事代表工作室2026年度工作计划落实情况评估报告"
    assert [row.title for row in report.rows] == ["代表培训"]
    html = response.content.decode()
    assert f'<option value="{office.pk}" selected>' in html
    assert f"year=2026&amp;office={office.pk}" in html  # the downloads keep the choice
    # A year without binding plans is offered and empty; nonsense falls back to the latest.
    response = get(client, planning.p.staff, "plans:evaluation", year=2025)
    assert response.context["report"].total == 0
    assert "2025年度机关没有列入已审定计划的事项。" in response.content.decode()
    for value in ("x", "", "99999"):
        response = get(client, planning.p.staff, "plans:evaluation", year=value, office="y")
        assert response.context["report"].year == 2026, value
        assert response.context["report"].office_name == ""


def test_a_draft_plan_is_not_evaluated(client, planning, year):
    planning.draft(kind=PlanKind.STUDY, items=3)
    response = get(client, planning.p.admin, "plans:evaluation")
    assert response.context["report"].total == 5


def test_query_count_does_not_grow_with_items(
    client, planning, year, django_assert_num_queries, time_machine
):
    client.force_login(planning.p.leader)
    url = reverse("plans:evaluation")
    client.get(url)  # the first request of a session writes the session
    with django_assert_num_queries(EVALUATION_QUERIES):
        client.get(url)
    time_machine.move_to(at(STARTED), tick=False)
    plan = approved_plan(planning, kind=PlanKind.WORK_POINTS, items=12)
    for item in plan.items.all()[:6]:
        actions.report_progress(
            acting_user=planning.p.social_staff, item=item, text="推进", percent=10
        )
    time_machine.move_to(at(TODAY), tick=False)
    with django_assert_num_queries(EVALUATION_QUERIES):
        response = client.get(url)
    assert response.context["report"].total == 5 + 13


def test_the_word_report(client, planning, year):
    response = get(client, planning.p.leader, "plans:evaluation_docx", office=planning.office.pk)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    assert "attachment" in response["Content-Disposition"]
    document = docx.Document(BytesIO(response.content))
    texts = [p.text for p in document.paragraphs]
    assert "社会建设工作室2026年度工作计划落实情况评估报告" in texts
    assert "（截至2026年6月15日）" in texts
    whole = "\n".join(texts)
    assert "列入已审定计划的事项共4项" in whole
    assert "评为优1项、良0项、一般1项、差0项，尚未评定1项" in whole
    problems = whole.split("三、存在的问题")[1]
    assert "逾期未完成。“第2项工作”（社会建设工作室）" in problems
    assert "计划未落实。“第4项工作”（社会建设工作室）" in problems
    assert "调整取消。“第3项工作”" in problems and "与专题询问合并开展" in problems
    (table,) = document.tables
    assert len(table.rows) == 1 + 4
    assert [c.text for c in table.rows[1].cells][4] == "优"


def test_the_excel_report(client, planning, year):
    response = get(client, planning.p.staff, "plans:evaluation_xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "机关2026年度工作计划落实情况评估报告"
    assert len(rows) == 2 + 5
    titles = {row[2]: row for row in rows[2:]}
    assert titles["《安全生产法》执法检查"][9] == "优"
    assert titles["第2项工作"][12] == "已逾期"


def test_roles_outside_the_organ_are_refused(client, planning, year):
    for user in (planning.p.street, planning.p.deputy, planning.p.unit):
        for name in ("plans:evaluation", "plans:evaluation_docx", "plans:evaluation_xlsx"):
            assert get(client, user, name).status_code == 403


# ---------------------------------------------------------------------------------------------
# The round-trip through the pages


def upload(data: bytes, name: str = "计划表.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def test_export_fill_import_through_the_pages(client, planning, year):
    plan = year["plan"]
    client.force_login(planning.p.social_staff)
    response = client.get(reverse("plans:export_xlsx", args=[plan.pk]))
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(BytesIO(response.content))
    table = workbook.worksheets[0]
    numbers = [table.cell(row=r, column=1).value for r in range(3, 8)]
    assert numbers == ["1", "2", "3", "4", "5"]
    assert table.cell(row=3, column=13).value == "已完成"
    table.cell(row=6, column=15, value="召开座谈会，形成初稿")  # 第4项工作: 本次进展
    table.cell(row=6, column=16, value=60)  # 本次进度
    buffer = BytesIO()
    workbook.save(buffer)
    url = reverse("plans:import", args=[plan.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"file": upload(buffer.getvalue())})
    assert response.status_code == 302 and response["Location"] == reverse(
        "plans:detail", args=[plan.pk]
    )
    stale = PlanItem.objects.get(pk=year["stale"].pk)
    assert (stale.progress, stale.status, stale.last_report_on) == (
        60,
        ItemStatus.IN_PROGRESS,
        TODAY,
    )
    # Now it is no longer stale on the evaluation page.
    report = get(client, planning.p.leader, "plans:evaluation").context["report"]
    assert {r.title: r.health for r in report.rows}["第4项工作"] == "on_track"


def test_import_errors_are_listed_and_nothing_changes(client, planning, year):
    plan = year["plan"]
    client.force_login(planning.p.social_staff)
    reports = ProgressReport.objects.count()
    response = client.post(
        reverse("plans:import", args=[plan.pk]), {"file": upload(b"plain text", "计划表.xlsx")}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "本次未导入任何内容" in html
    errors = html.split('id="import-errors"')[1]
    assert "文件不是 Excel 工作簿（.xlsx）" in errors
    assert ProgressReport.objects.count() == reports
    response = client.post(reverse("plans:import", args=[plan.pk]), {})
    assert response.status_code == 200 and response.context["form"].errors["file"]


def test_who_may_import_through_the_pages(client, planning, year):
    draft = planning.draft(kind=PlanKind.STUDY)
    client.force_login(planning.p.staff)  # another office: not the drafting office
    assert client.get(reverse("plans:import", args=[draft.pk])).status_code == 403
    # …but on the binding plan it owns an item (代表培训).
    assert client.get(reverse("plans:import", args=[year["plan"].pk])).status_code == 200
    client.force_login(planning.p.leader)
    assert client.get(reverse("plans:import", args=[draft.pk])).status_code == 403
    assert client.get(reverse("plans:export_xlsx", args=[draft.pk])).status_code == 200
    client.force_login(planning.p.unit)
    assert client.get(reverse("plans:export_xlsx", args=[draft.pk])).status_code == 403

"""Role-matrix entries (see tests/core/test_role_matrix.py for the format) for /api/v1/plans.

The matrix calls a builder once per role and once anonymously, so every builder makes a fresh
plan in the state its operation needs, through the real actions. Plans are drafted by the
persona staff's office (人事代表工作室), so that staff — and the admin — may act on them; each
fresh plan takes the next year, as an office has one plan of a kind per year."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from renda.core.models import Office
from renda.meetings.models import Meeting
from renda.plans import actions
from renda.plans.actions import ItemFields
from renda.plans.exports import PLAN_COLUMNS, build_plan_xlsx
from renda.plans.models import Evidence, Plan, PlanItem, PlanKind
from renda.plans.reports import plan_sheet
from tests.core.factories import Multipart
from tests.plans.factories import pdf
from tests.suggestions.matrix_api import field_messages, refused, send  # noqa: F401  (shared)

READERS = {"admin", "leader", "staff"}
DRAFTERS = {"admin", "staff"}
OWNERS = {"admin", "staff"}
LEADERS = {"admin", "leader"}
BASE = "/api/v1/plans"


def office_of(p) -> Office:
    return Office.objects.get(pk=next(iter(p.staff.roles.office_ids)))


def next_year(p) -> int:
    p.__dict__["_plan_years"] = p.__dict__.get("_plan_years", 0) + 1
    return 2026 + p.__dict__["_plan_years"]


def director_meeting() -> Meeting:
    meeting, _ = Meeting.objects.get_or_create(
        kind=Meeting.Kind.DIRECTOR, term_number=18, number=1, defaults={"date": "2026-03-02"}
    )
    return meeting


def fields_for(office: Office, year: int, **overrides) -> ItemFields:
    values = {
        "title": "代表履职培训",
        "owner_office": office,
        "objective": "提高代表履职能力",
        "expected_result": "举办培训班两期，覆盖全体区人大代表",
        "measure": "参训率不低于90%，培训后测评合格",
        "starts_on": date(year, 3, 1),
        "ends_on": date(year, 11, 30),
        "invited_deputies": 20,
    }
    values.update(overrides)
    return ItemFields(**values)


def draft(p, **overrides) -> Plan:
    year = next_year(p)
    office = office_of(p)
    plan = actions.create_plan(
        acting_user=p.staff,
        kind=PlanKind.DEPUTY_WORK,
        year=year,
        title=f"{year}年代表工作计划",
        office=office,
    )
    actions.add_item(acting_user=p.staff, plan=plan, values=fields_for(office, year, **overrides))
    return Plan.objects.get(pk=plan.pk)


def submitted(p) -> Plan:
    return actions.submit_plan(acting_user=p.staff, plan=draft(p))


def approve_body(plan: Plan) -> dict:
    return {
        "meeting_id": director_meeting().pk,
        "party_committee_date": f"{plan.year}-02-10",
        "party_committee_note": "区委常委会第5次会议同意",
    }


def import_request(plan: Plan) -> tuple[str, Multipart]:
    """The draft plan's own workbook with one new item appended: a valid import."""
    book = openpyxl.load_workbook(BytesIO(build_plan_xlsx(plan_sheet(plan))))
    table = book.worksheets[0]
    row = max(c.row for c in table["A"] if c.value not in (None, "")) + 1
    cells = {
        "序号": "2",
        "事项": "代表培训",
        "责任机构": plan.office.name,
        "预期成果": "培训代表 200 人次",
        "衡量方式": "签到名册",
        "完成期限": date(plan.year, 11, 30),
    }
    for name, value in cells.items():
        table.cell(row=row, column=PLAN_COLUMNS.index(name) + 1, value=value)
    buffer = BytesIO()
    book.save(buffer)
    workbook = SimpleUploadedFile("计划.xlsx", buffer.getvalue())
    return f"{BASE}/{plan.pk}/import", Multipart(file=workbook)


def approved(p) -> Plan:
    plan = submitted(p)
    body = approve_body(plan)
    return actions.approve_plan(
        acting_user=p.leader,
        plan=plan,
        meeting=director_meeting(),
        party_committee_date=date.fromisoformat(body["party_committee_date"]),
    )


def first_item(plan: Plan) -> PlanItem:
    return plan.items.order_by("position", "id").first()


def draft_item(p) -> PlanItem:
    return first_item(draft(p))


def open_item(p) -> PlanItem:
    """An item of an approved plan, not yet reported on."""
    return first_item(approved(p))


def with_result_evidence(p) -> PlanItem:
    """Reported on, with result evidence already attached (uploaded before completing)."""
    item = open_item(p)
    actions.report_progress(acting_user=p.staff, item=item, text="第一期培训已举办", percent=50)
    attach_result_evidence(item, p.staff)
    return item


def attach_result_evidence(item: PlanItem, user) -> None:
    actions.add_evidence(
        acting_user=user, item=item, purpose=Evidence.Purpose.RESULT, files=[pdf("培训总结.pdf")]
    )


def milestone(p):
    item = open_item(p)
    return actions.add_milestone(
        acting_user=p.staff, item=item, title="第一期培训", due_on=date(item.plan.year, 5, 31)
    )


def change_requested(p):
    item = open_item(p)
    return actions.request_change(
        acting_user=p.staff,
        item=item,
        kind="postpone",
        reason="培训场地改造，需顺延",
        new_ends_on=date(item.plan.year, 12, 20),
    )


def self_assessed(p) -> PlanItem:
    item = open_item(p)
    return actions.self_assess(acting_user=p.staff, item=item, text="按计划推进，成效明显")


def item_body(p, **overrides) -> dict:
    body = {
        "title": "街道代表联络站建设",
        "owner_office_id": office_of(p).pk,
        "objective": "每个街道建成标准化联络站",
        "expected_result": "建成联络站12个",
        "measure": "验收合格数",
        "starts_on": "2027-03-01",
        "ends_on": "2027-10-31",
    }
    body.update(overrides)
    return body


def _new_item(p) -> tuple[str, dict]:
    plan = draft(p)
    year = plan.year
    body = item_body(p, starts_on=f"{year}-03-01", ends_on=f"{year}-10-31")
    return f"{BASE}/{plan.pk}/items", body


def _edit_item(p) -> tuple[str, dict]:
    item = draft_item(p)
    year = item.plan.year
    body = item_body(p, starts_on=f"{year}-03-01", ends_on=f"{year}-10-31")
    return f"{BASE}/items/{item.pk}", body


def _create(p) -> tuple[str, dict]:
    return f"{BASE}/", {
        "kind": "office",
        "year": next_year(p),
        "title": "人事代表工作室工作计划",
        "office_id": office_of(p).pk,
    }


def _approve(p) -> tuple[str, dict]:
    plan = submitted(p)
    return f"{BASE}/{plan.pk}/approve", approve_body(plan)


def _postpone(p) -> tuple[str, dict]:
    item = open_item(p)
    return f"{BASE}/items/{item.pk}/changes", {
        "kind": "postpone",
        "reason": "培训场地改造，需顺延",
        "new_ends_on": f"{item.plan.year}-12-20",
    }


PLAN_API: dict = {
    ("GET", "/plans/"): (READERS, lambda p: (f"{BASE}/", None), 200),
    ("POST", "/plans/"): (DRAFTERS, _create, 201),
    ("GET", "/plans/attention"): (READERS, lambda p: (f"{BASE}/attention?list=stale", None), 200),
    ("GET", "/plans/dashboard"): (
        READERS,
        lambda p: (f"{BASE}/dashboard?year=2026&group_by=kind", None),
        200,
    ),
    ("GET", "/plans/{int:plan_id}"): (READERS, lambda p: (f"{BASE}/{approved(p).pk}", None), 200),
    ("GET", "/plans/{int:plan_id}/export.xlsx"): (
        READERS,
        lambda p: (f"{BASE}/{approved(p).pk}/export.xlsx", None),
        200,
    ),
    ("POST", "/plans/{int:plan_id}/import"): (
        DRAFTERS,
        lambda p: import_request(draft(p)),
        200,
    ),
    ("GET", "/plans/evaluation"): (READERS, lambda p: (f"{BASE}/evaluation?year=2026", None), 200),
    ("PUT", "/plans/{int:plan_id}"): (
        DRAFTERS,
        lambda p: (f"{BASE}/{draft(p).pk}", {"title": "代表工作计划（修改稿）"}),
        200,
    ),
    ("POST", "/plans/{int:plan_id}/submit"): (
        DRAFTERS,
        lambda p: (f"{BASE}/{draft(p).pk}/submit", {}),
        200,
    ),
    ("POST", "/plans/{int:plan_id}/return"): (
        LEADERS,
        lambda p: (f"{BASE}/{submitted(p).pk}/return", {"reason": "请细化衡量方式"}),
        200,
    ),
    ("POST", "/plans/{int:plan_id}/approve"): (LEADERS, _approve, 200),
    ("POST", "/plans/{int:plan_id}/publish"): (
        READERS,
        lambda p: (f"{BASE}/{approved(p).pk}/publish", {}),
        200,
    ),
    ("POST", "/plans/{int:plan_id}/items"): (DRAFTERS, _new_item, 201),
    ("GET", "/plans/items/{int:item_id}"): (
        READERS,
        lambda p: (f"{BASE}/items/{open_item(p).pk}", None),
        200,
    ),
    ("PUT", "/plans/items/{int:item_id}"): (DRAFTERS, _edit_item, 200),
    ("DELETE", "/plans/items/{int:item_id}"): (
        DRAFTERS,
        lambda p: (f"{BASE}/items/{draft_item(p).pk}", None),
        204,
    ),
    ("POST", "/plans/items/{int:item_id}/milestones"): (
        OWNERS,
        lambda p: (
            f"{BASE}/items/{(i := open_item(p)).pk}/milestones",
            {"title": "第一期培训", "due_on": f"{i.plan.year}-05-31"},
        ),
        201,
    ),
    ("POST", "/plans/milestones/{int:milestone_id}/complete"): (
        OWNERS,
        lambda p: (f"{BASE}/milestones/{milestone(p).pk}/complete", {"note": "如期举办"}),
        200,
    ),
    ("POST", "/plans/items/{int:item_id}/progress"): (
        OWNERS,
        lambda p: (
            f"{BASE}/items/{open_item(p).pk}/progress",
            {"text": "第一期培训已举办", "percent": 50},
        ),
        201,
    ),
    ("POST", "/plans/items/{int:item_id}/evidence"): (
        OWNERS,
        lambda p: (
            f"{BASE}/items/{open_item(p).pk}/evidence",
            Multipart(purpose="result", files=pdf("培训总结.pdf")),
        ),
        201,
    ),
    ("POST", "/plans/items/{int:item_id}/complete"): (
        OWNERS,
        lambda p: (
            f"{BASE}/items/{with_result_evidence(p).pk}/complete",
            {"result_statement": "两期培训共培训代表236人次"},
        ),
        200,
    ),
    ("POST", "/plans/items/{int:item_id}/changes"): (OWNERS, _postpone, 201),
    ("POST", "/plans/changes/{int:change_id}/decide"): (
        LEADERS,
        lambda p: (f"{BASE}/changes/{change_requested(p).pk}/decide", {"approve": True}),
        200,
    ),
    ("POST", "/plans/items/{int:item_id}/self-assessment"): (
        OWNERS,
        lambda p: (
            f"{BASE}/items/{open_item(p).pk}/self-assessment",
            {"text": "按计划推进，成效明显"},
        ),
        200,
    ),
    ("POST", "/plans/items/{int:item_id}/grade"): (
        LEADERS,
        lambda p: (f"{BASE}/items/{self_assessed(p).pk}/grade", {"grade": "good"}),
        200,
    ),
}

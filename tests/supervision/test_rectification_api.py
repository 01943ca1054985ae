"""The rectification API: the list with the page's filters (a constant number of queries), the
item, every move through the same actions, and the one error shape (400 refusals with field
errors, 403 not_allowed, 404 for what the caller cannot see, 409 stale, 422 bad bodies)."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from renda.supervision.models import Rectification, RectificationEvidence
from tests.api_versions import with_current_version
from tests.plans.factories import APRIL, at
from tests.supervision.factories import pdf
from tests.supervision.matrix_rectification import BASE
from tests.supervision.rect_factories import rect_fixture  # noqa: F401  (the `rect` fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(at(APRIL), tick=False)


def get(client, user, path, **params):
    client.force_login(user)
    return client.get(path, params)


def post(client, user, path, body=None):
    client.force_login(user)
    path, body = with_current_version("POST", path, body)
    return client.post(path, data=body or {}, content_type="application/json")


@pytest.fixture
def items(rect, supervision, time_machine):
    made = {
        "late": rect.open("opinion", title="老旧小区加装电梯", due_on=date(2026, 4, 30)),
        "working": rect.in_progress(source="problem", title="工地扬尘治理"),
        "other": rect.open("inquiry", unit=supervision.org.other_unit, title="道路破损修复"),
    }
    time_machine.move_to(at(date(2026, 5, 15)), tick=False)
    return made


# ---------------------------------------------------------------------------------------------
# Reads


def test_the_list_filters_and_scopes_like_the_page(client, supervision, items):
    p = supervision.p
    body = get(client, p.leader, BASE).json()
    assert body["count"] == 3
    assert [r["title"] for r in body["items"]] == [
        "老旧小区加装电梯",
        "工地扬尘治理",
        "道路破损修复",
    ]
    late = body["items"][0]
    assert (late["is_overdue"], late["status_name"], late["source_name"], late["source_title"]) == (
        True,
        "待整改",
        "审议意见",
        "关于城市管理工作情况报告的审议意见",
    )
    assert get(client, p.leader, BASE, overdue="true").json()["count"] == 1
    assert get(client, p.leader, BASE, status="todo", source="problem").json()["count"] == 1
    assert get(client, p.leader, BASE, q="电梯").json()["items"][0]["id"] == items["late"].pk
    assert get(client, p.leader, BASE, due_after="2026-05-01").json()["count"] == 2
    assert [r["title"] for r in get(client, p.unit, BASE).json()["items"]] == [
        "老旧小区加装电梯",
        "工地扬尘治理",
    ]
    page = get(client, p.leader, BASE, offset=1, limit=1).json()
    assert (page["count"], page["offset"], page["limit"], len(page["items"])) == (3, 1, 1, 1)


def test_a_bad_list_filter_is_a_422_in_chinese(client, supervision, items):
    response = get(client, supervision.p.leader, BASE, status="nonsense", due_after="x")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert {e["field"] for e in body["errors"]} == {"status", "due_after"}


def test_list_query_count_does_not_grow_with_rows(
    client, rect, supervision, django_assert_num_queries
):
    client.force_login(supervision.p.leader)
    rect.open()
    with django_assert_num_queries(5):
        assert client.get(BASE).status_code == 200
    for source in ("opinion", "problem", "inquiry", "problem"):
        rect.in_progress(source=source)
    with django_assert_num_queries(5):
        assert client.get(BASE).status_code == 200


def test_the_item_with_its_moves(client, supervision, items):
    item = items["working"]
    body = get(client, supervision.p.unit, f"{BASE}/{item.pk}").json()
    assert body["status"] == "in_progress" and body["problem_id"] == item.problem_id
    assert body["actions"] == [
        "add_rectification_evidence",
        "report_rectification",
        "submit_rectification",
    ]
    assert [r["percent"] for r in body["reports"]] == [40]
    assert [(e["verb"], e["to_state_name"]) for e in body["timeline"]] == [
        ("open", "待整改"),
        ("report", "整改中"),
    ]
    staff = get(client, supervision.p.social_staff, f"{BASE}/{item.pk}").json()
    assert staff["actions"] == ["change_rectification_deadline"]


def test_what_the_caller_cannot_see_is_404(client, supervision, items):
    for path in (f"{BASE}/{items['other'].pk}", f"{BASE}/999999"):
        response = get(client, supervision.p.unit, path)
        assert response.status_code == 404 and response.json()["code"] == "not_found"
    response = post(
        client,
        supervision.p.unit,
        f"{BASE}/{items['other'].pk}/report",
        {
            "text": "x",
            "percent": 5,
        },
    )
    assert response.status_code == 404
    assert Rectification.objects.get(pk=items["other"].pk).version == 1


# ---------------------------------------------------------------------------------------------
# The whole round: report, attach, ask, reject, ask again, verify


def test_the_round_trip(client, supervision, items):
    p = supervision.p
    item = items["late"]
    path = f"{BASE}/{item.pk}"
    response = post(
        client, p.unit, f"{path}/report", {"text": "已开工", "percent": 20, "version": 1}
    )
    assert response.status_code == 201, response.content
    assert (response.json()["status"], response.json()["progress"]) == ("in_progress", 20)
    # Asking to close without proof is refused; proof goes up as multipart.
    response = post(client, p.unit, f"{path}/submit", {"result": "已完成"})
    assert response.status_code == 400
    assert response.json() == {
        "code": "evidence_required",
        "message": "申请销号须上传整改佐证材料（如整改报告、文件、照片）。",
        "errors": [{"field": "evidence", "message": "请上传佐证材料"}],
    }
    response = client.post(f"{path}/evidence", data={"files": [pdf("验收单.pdf"), pdf("照片.pdf")]})
    assert response.status_code == 201
    assert [e["name"] for e in response.json()["evidence"]] == ["验收单.pdf", "照片.pdf"]
    response = post(client, p.unit, f"{path}/submit", {"result": "已完成加装"})
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    response = post(client, p.social_staff, f"{path}/reject", {"reason": "缺少验收报告"})
    assert response.json()["rejection_count"] == 1
    assert response.json()["last_rejection"] == "缺少验收报告"
    post(client, p.unit, f"{path}/submit", {"result": "已补充验收报告"})
    response = post(client, p.social_staff, f"{path}/verify", {"note": "核查属实"})
    body = response.json()
    assert (body["status"], body["progress"], body["verified_by"]) == (
        "verified",
        100,
        "社建室干部",
    )
    assert body["actions"] == []


def test_the_office_changes_the_deadline(client, supervision, items):
    item = items["late"]
    response = post(
        client,
        supervision.p.social_staff,
        f"{BASE}/{item.pk}/deadline",
        {"due_on": "2026-08-31", "reason": "资金下半年到位"},
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["due_on"], body["is_overdue"]) == ("2026-08-31", False)
    assert body["due_basis"] == "2026-05-15 由 2026-04-30 调整：资金下半年到位"


# ---------------------------------------------------------------------------------------------
# Refusals: one error shape, nothing changed


def test_refusals(client, supervision, items):
    p = supervision.p
    item = items["working"]
    path = f"{BASE}/{item.pk}"
    response = post(client, p.unit, f"{path}/report", {"text": "x", "percent": 100})
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "percent", "message": "0–99"}]
    response = post(client, p.unit, f"{path}/report", {"percent": 5})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "text"
    response = post(client, p.unit, f"{path}/report", {"text": "x", "percent": 5, "version": 1})
    assert response.status_code == 409 and response.json()["code"] == "stale_version"
    response = post(client, p.staff, f"{path}/deadline", {"due_on": "2026-09-01", "reason": "x"})
    assert response.status_code == 403
    assert response.json() == {
        "code": "not_allowed",
        "message": "只有督办机构（社会建设工作室）可以办理该整改事项。",
        "errors": [],
    }
    response = post(client, p.social_staff, f"{path}/verify")
    assert response.status_code == 400
    assert response.json()["message"] == "当前状态为“整改中”，不能销号。"
    response = post(
        client, p.social_staff, f"{path}/deadline", {"due_on": "2026-05-01", "reason": "x"}
    )
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "due_on"
    response = post(client, p.leader, f"{path}/verify")
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    client.force_login(p.unit)
    response = client.post(f"{path}/evidence", data={})
    assert response.status_code == 422
    fake = SimpleUploadedFile("照片.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = client.post(f"{path}/evidence", data={"files": [fake]})
    assert response.status_code == 400 and response.json()["code"] == "invalid_upload"
    assert Rectification.objects.get(pk=item.pk).version == item.version
    assert not RectificationEvidence.objects.filter(rectification=item).exists()

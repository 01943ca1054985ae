"""Every plan and item action through its page: the allowed move changes the record and redirects
with a message; a refused one re-renders with the action's Chinese message and changes nothing;
a stale form is refused with 409."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from renda.core.models import TimelineEvent
from renda.plans import actions
from renda.plans.models import (
    ChangeRequest,
    Evidence,
    ItemStatus,
    Plan,
    PlanItem,
    PlanStatus,
)
from tests.plans.factories import pdf

pytestmark = pytest.mark.django_db
TODAY = date(2026, 5, 15)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime(2026, 5, 15, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)


def post(client, user, name: str, pk: int, data=None):
    client.force_login(user)
    return client.post(reverse(f"plans:{name}", args=[pk]), data or {})


def item_values(planning, **overrides) -> dict:
    values = {
        "title": "城市管理专题询问",
        "owner_office": planning.office.pk,
        "leader": planning.p.leader.pk,
        "objective": "推动城市管理难点问题解决",
        "expected_result": "形成询问整改清单",
        "measure": "整改清单全部销号",
        "starts_on": "2026-04-01",
        "ends_on": "2026-09-30",
        "invited_deputies": "8",
        "weight": "2",
    }
    values.update(overrides)
    return values


def events(row) -> int:
    return TimelineEvent.objects.for_object(row).count()


# -- plan actions ------------------------------------------------------------------------------


def test_update_plan_by_the_drafting_office(client, planning):
    plan = planning.draft()
    response = post(
        client,
        planning.p.social_staff,
        "update_plan",
        plan.pk,
        {"title": "2026年监督工作计划（修订）", "note": "", "version": plan.version},
    )
    assert response.status_code == 302 and response["Location"] == reverse(
        "plans:detail", args=[plan.pk]
    )
    plan.refresh_from_db()
    assert plan.title == "2026年监督工作计划（修订）"


def test_update_plan_refused_for_another_office(client, planning):
    plan = planning.draft()
    response = post(
        client, planning.p.staff, "update_plan", plan.pk, {"title": "改", "version": plan.version}
    )
    assert response.status_code == 403
    assert "只有社会建设工作室可以编写该计划" in response.content.decode()
    plan.refresh_from_db()
    assert plan.title == "2026年监督工作计划"


def test_stale_version_is_a_409_page(client, planning):
    plan = planning.draft()
    response = post(
        client,
        planning.p.social_staff,
        "update_plan",
        plan.pk,
        {"title": "新名称", "version": plan.version - 1 if plan.version > 1 else 999},
    )
    assert response.status_code == 409
    assert "已被他人修改" in response.content.decode()
    plan.refresh_from_db()
    assert plan.title == "2026年监督工作计划"


def test_add_item_with_parent(client, planning):
    plan = planning.draft()
    parent = planning.item(plan)
    response = post(
        client,
        planning.p.social_staff,
        "add_item",
        plan.pk,
        item_values(planning, parent=parent.pk),
    )
    assert response.status_code == 302
    child = PlanItem.objects.get(title="城市管理专题询问")
    assert child.parent == parent and child.weight == 2 and child.leader == planning.p.leader


def test_add_item_refused_with_leader_who_is_not_a_leader(client, planning):
    plan = planning.draft()
    response = post(
        client,
        planning.p.social_staff,
        "add_item",
        plan.pk,
        item_values(planning, leader=planning.p.staff.pk),
    )
    assert response.status_code == 400
    assert not PlanItem.objects.filter(title="城市管理专题询问").exists()


def test_submit_refused_names_the_items_without_measurable_result(client, planning):
    plan = planning.draft()
    actions.add_item(
        acting_user=planning.p.social_staff,
        plan=plan,
        values=actions.ItemFields(title="代表培训", owner_office=planning.office),
    )
    plan.refresh_from_db()
    version = plan.version
    response = post(
        client, planning.p.social_staff, "submit_plan", plan.pk, {"version": plan.version}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "以下事项缺少预期成果、成果衡量方式或完成期限，不能提交：“代表培训”" in html
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and plan.version == version


def test_submit_plan(client, planning):
    plan = planning.draft()
    response = post(
        client, planning.p.social_staff, "submit_plan", plan.pk, {"version": plan.version}
    )
    assert response.status_code == 302
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.SUBMITTED


def test_approve_plan_at_a_director_meeting(client, planning):
    plan = planning.submitted()
    response = post(
        client,
        planning.p.leader,
        "approve_plan",
        plan.pk,
        {
            "meeting": planning.meeting.pk,
            "party_committee_date": "2026-02-10",
            "party_committee_note": "区委常委会第5次会议",
            "version": plan.version,
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.approved_meeting == planning.meeting
    assert plan.party_committee_note == "区委常委会第5次会议"


def test_approve_refused_without_party_committee_date(client, planning):
    plan = planning.submitted()
    response = post(
        client,
        planning.p.leader,
        "approve_plan",
        plan.pk,
        {"meeting": planning.meeting.pk, "version": plan.version},
    )
    assert response.status_code == 400
    assert "还须经区委常委会审定" in response.content.decode()
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.SUBMITTED


def test_approve_refused_for_staff(client, planning):
    plan = planning.submitted()
    response = post(client, planning.p.staff, "approve_plan", plan.pk, {"meeting": 1})
    assert response.status_code == 403
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.SUBMITTED


def test_return_plan_with_reason_shows_on_the_plan(client, planning):
    plan = planning.submitted()
    response = post(
        client,
        planning.p.leader,
        "return_plan",
        plan.pk,
        {"reason": "请细化成果衡量方式", "version": plan.version},
    )
    assert response.status_code == 302
    client.force_login(planning.p.social_staff)
    html = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "请细化成果衡量方式" in html and 'id="return-reason"' in html


def test_return_plan_refused_without_reason(client, planning):
    plan = planning.submitted()
    response = post(client, planning.p.leader, "return_plan", plan.pk, {"version": plan.version})
    assert response.status_code == 400
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.SUBMITTED


def test_publish_plan(client, planning):
    plan = planning.approved()
    response = post(client, planning.p.leader, "publish_plan", plan.pk, {"version": plan.version})
    assert response.status_code == 302
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.PUBLISHED


def test_publish_refused_for_another_office(client, planning):
    plan = planning.approved()
    response = post(client, planning.p.staff, "publish_plan", plan.pk, {"version": plan.version})
    assert response.status_code == 403
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.APPROVED


# -- item actions while drafting ---------------------------------------------------------------


def test_update_item(client, planning):
    item = planning.item(planning.draft())
    response = post(
        client,
        planning.p.social_staff,
        "update_item",
        item.pk,
        item_values(planning, version=item.version),
    )
    assert response.status_code == 302 and response["Location"] == reverse(
        "plans:item", args=[item.pk]
    )
    assert PlanItem.objects.get(pk=item.pk).title == "城市管理专题询问"


def test_update_item_refused_after_approval(client, planning):
    item = planning.item(planning.approved())
    response = post(
        client,
        planning.p.social_staff,
        "update_item",
        item.pk,
        item_values(planning, version=item.version),
    )
    assert response.status_code == 400
    assert "已不能直接修改" in response.content.decode()
    assert PlanItem.objects.get(pk=item.pk).title == "《安全生产法》执法检查"


def test_remove_item(client, planning):
    plan = planning.draft(items=2)
    item = planning.item(plan, 1)
    response = post(client, planning.p.social_staff, "remove_item", item.pk)
    assert response.status_code == 302 and response["Location"] == reverse(
        "plans:detail", args=[plan.pk]
    )
    assert not PlanItem.objects.filter(pk=item.pk).exists()


def test_remove_item_refused_for_another_office(client, planning):
    item = planning.item(planning.draft())
    assert post(client, planning.p.staff, "remove_item", item.pk).status_code == 403
    assert PlanItem.objects.filter(pk=item.pk).exists()


# -- implementation ----------------------------------------------------------------------------


def test_add_and_complete_milestone(client, planning):
    item = planning.item(planning.approved())
    response = post(
        client,
        planning.p.social_staff,
        "add_milestone",
        item.pk,
        {"title": "印发检查方案", "due_on": "2026-04-30"},
    )
    assert response.status_code == 302
    milestone = item.milestones.get()
    response = post(
        client,
        planning.p.social_staff,
        "complete_milestone",
        item.pk,
        {"milestone": milestone.pk, "done_on": "2026-05-10", "note": "已印发"},
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.done_on == date(2026, 5, 10)


def test_milestone_after_item_end_is_refused(client, planning):
    item = planning.item(planning.approved())
    response = post(
        client,
        planning.p.social_staff,
        "add_milestone",
        item.pk,
        {"title": "晚节点", "due_on": "2026-12-30"},
    )
    assert response.status_code == 400
    assert "节点期限不能晚于事项完成期限" in response.content.decode()
    assert not item.milestones.exists()


def test_report_progress_with_several_evidence_files(client, planning):
    item = planning.item(planning.approved())
    response = post(
        client,
        planning.p.social_staff,
        "report_progress",
        item.pk,
        {
            "text": "召开座谈会两次",
            "percent": "40",
            "evidence": [pdf("座谈会纪要.pdf"), pdf("现场照片说明.pdf")],
            "version": item.version,
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.progress == 40 and item.status == ItemStatus.IN_PROGRESS
    report = item.reports.get()
    assert sorted(report.evidence.values_list("name", flat=True)) == [
        "座谈会纪要.pdf",
        "现场照片说明.pdf",
    ]


def test_report_progress_refused_for_another_office(client, planning):
    item = planning.item(planning.approved())
    response = post(
        client,
        planning.p.staff,
        "report_progress",
        item.pk,
        {"text": "x", "percent": "10", "version": item.version},
    )
    assert response.status_code == 403
    assert not item.reports.exists()


def test_complete_item_refused_without_evidence(client, planning):
    item = planning.in_progress()
    before = events(item)
    response = post(
        client,
        planning.p.social_staff,
        "complete_item",
        item.pk,
        {"result_statement": "检查报告已审议", "version": item.version},
    )
    assert response.status_code == 400
    assert "完成事项须上传成果佐证材料" in response.content.decode()
    item.refresh_from_db()
    assert item.status == ItemStatus.IN_PROGRESS and events(item) == before


def test_complete_item_with_evidence(client, planning):
    item = planning.in_progress()
    response = post(
        client,
        planning.p.social_staff,
        "complete_item",
        item.pk,
        {"result_statement": "检查报告已审议", "evidence": [pdf()], "version": item.version},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.COMPLETED and item.progress == 100
    assert item.evidence.filter(purpose=Evidence.Purpose.RESULT).count() == 1


def test_request_and_approve_postponement(client, planning):
    item = planning.item(planning.approved())
    response = post(
        client,
        planning.p.social_staff,
        "request_change",
        item.pk,
        {"kind": "postpone", "reason": "配合市人大部署", "new_ends_on": "2026-12-15"},
    )
    assert response.status_code == 302
    response = post(
        client, planning.p.leader, "decide_change", item.pk, {"decision": "approve", "note": ""}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.ends_on == date(2026, 12, 15)
    assert item.changes.get().status == ChangeRequest.Status.APPROVED


def test_postponement_without_a_later_date_is_refused(client, planning):
    item = planning.item(planning.approved())
    response = post(
        client,
        planning.p.social_staff,
        "request_change",
        item.pk,
        {"kind": "postpone", "reason": "需要时间"},
    )
    assert response.status_code == 400
    assert "延期须填写晚于现完成期限" in response.content.decode()
    assert not item.changes.exists()


def test_refusing_a_change_needs_a_reason(client, planning):
    item = planning.item(planning.approved())
    actions.request_change(
        acting_user=planning.p.social_staff, item=item, kind="cancel", reason="情况变化"
    )
    response = post(client, planning.p.leader, "decide_change", item.pk, {"decision": "refuse"})
    assert response.status_code == 400
    assert "请写明不同意的理由" in response.content.decode()
    assert item.changes.get().status == ChangeRequest.Status.REQUESTED


def test_decide_change_refused_for_staff(client, planning):
    item = planning.item(planning.approved())
    actions.request_change(
        acting_user=planning.p.social_staff, item=item, kind="cancel", reason="情况变化"
    )
    response = post(
        client, planning.p.social_staff, "decide_change", item.pk, {"decision": "approve"}
    )
    assert response.status_code == 403
    assert item.changes.get().status == ChangeRequest.Status.REQUESTED


def test_self_assess_then_grade(client, planning):
    item = planning.completed()
    response = post(
        client,
        planning.p.social_staff,
        "self_assess",
        item.pk,
        {"text": "按期完成，成效明显", "evidence": [pdf("自评材料.pdf")]},
    )
    assert response.status_code == 302
    response = post(client, planning.p.leader, "grade_item", item.pk, {"grade": "excellent"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.grade == "excellent" and item.self_assessment == "按期完成，成效明显"


def test_grade_refused_before_self_assessment(client, planning):
    item = planning.completed()
    response = post(client, planning.p.leader, "grade_item", item.pk, {"grade": "good"})
    assert response.status_code == 400
    assert "尚未自评" in response.content.decode()
    assert PlanItem.objects.get(pk=item.pk).grade == ""


def test_grade_refused_for_staff(client, planning):
    item = planning.completed()
    actions.self_assess(acting_user=planning.p.social_staff, item=item, text="完成")
    response = post(client, planning.p.social_staff, "grade_item", item.pk, {"grade": "good"})
    assert response.status_code == 403
    assert PlanItem.objects.get(pk=item.pk).grade == ""


def test_link_item_to_a_meeting(client, planning):
    item = planning.item(planning.approved())
    response = post(
        client, planning.p.social_staff, "link_item", item.pk, {"meeting": planning.meeting.pk}
    )
    assert response.status_code == 302
    assert item.links.get().label == planning.meeting.title


def test_link_item_needs_exactly_one_target(client, planning):
    item = planning.item(planning.approved())
    response = post(client, planning.p.social_staff, "link_item", item.pk, {"suggestion": "99999"})
    assert response.status_code == 400
    assert "没有这件建议" in response.content.decode()
    response = post(client, planning.p.social_staff, "link_item", item.pk, {})
    assert response.status_code == 400
    assert not item.links.exists()


def test_action_page_get_refused_when_not_available(client, planning):
    item = planning.item(planning.draft())
    client.force_login(planning.p.social_staff)
    response = client.get(reverse("plans:report_progress", args=[item.pk]))
    assert response.status_code == 403
    assert "您当前不能进行“报告进展”" in response.content.decode()

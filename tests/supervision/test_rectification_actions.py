"""Rectification moves: each allowed move (its state, its timeline event, its notifications) and
each refused move — wrong role, wrong unit or office, wrong state, bad input — proven to change
nothing. The body is personas.unit (区住房和城乡建设局); the supervising office is the
social-construction office (personas.social_staff)."""

from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from renda.core.errors import ConflictError, DomainError, NotAllowed
from renda.supervision import queries
from renda.supervision.actions import rectification as actions
from renda.supervision.models import (
    Rectification,
    RectificationEvidence,
    RectificationReport,
)
from tests.plans.factories import APRIL, at
from tests.supervision.factories import Mark, pdf, refused
from tests.supervision.rect_factories import rect_fixture  # noqa: F401  (the `rect` fixture)

pytestmark = pytest.mark.django_db

WRONG_UNIT = "只有整改责任单位（区住房和城乡建设局）可以办理该整改事项。"
WRONG_OFFICE = "只有督办机构（社会建设工作室）可以办理该整改事项。"


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(at(APRIL), tick=False)


def fresh(item) -> Rectification:
    return Rectification.objects.get(pk=item.pk)


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def fake_pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("整改报告.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")


# ---------------------------------------------------------------------------------------------
# Opening (the helper other areas call)


def test_an_opened_item_has_the_default_deadline_and_tells_the_unit(rect, supervision):
    mark = Mark(rect.unit)
    item = rect.open()
    assert (item.status, item.progress, item.version) == ("assigned", 0, 1)
    # 2026-04-01 + 3 months = 07-01 (a Wednesday): the deadline explains itself.
    assert item.due_on == date(2026, 7, 1)
    assert item.due_basis == "交办日 2026-04-01 + 3 个月 = 2026-07-01"
    assert mark.event(item).verb == "open"
    assert mark.notified() == {"p_unit": ["新交办整改事项 1 项"]}


def test_new_rectification_takes_its_source_links(rect, supervision):
    for source in ("opinion", "problem", "inquiry"):
        item = rect.open(source)
        assert item.source == source
    kinds = Rectification.objects.values_list("source", "point_id", "problem_id", "question_id")
    assert all(sum(1 for x in row[1:] if x) == 1 for row in kinds)


# ---------------------------------------------------------------------------------------------
# Reporting progress


def test_the_first_report_starts_the_work(rect, supervision, settings):
    item = rect.open()
    mark = Mark(item)
    report = actions.report_rectification(
        acting_user=supervision.p.unit,
        item=item,
        text="已制定整改方案，召开专题会议",
        percent=30,
        measures="开展专项整治行动",
        evidence=[pdf("方案.pdf")],
        version=1,
    )
    item = fresh(item)
    assert (item.status, item.progress, item.measures, item.version) == (
        "in_progress",
        30,
        "开展专项整治行动",
        2,
    )
    assert (report.text, report.percent, report.reported_by) == (
        "已制定整改方案，召开专题会议",
        30,
        supervision.p.unit,
    )
    evidence = RectificationEvidence.objects.get(rectification=item)
    assert (evidence.report, evidence.name, evidence.uploaded_by) == (
        report,
        "方案.pdf",
        supervision.p.unit,
    )
    assert len(stored_files(settings)) == 1
    event = mark.event()
    assert (event.verb, event.from_state, event.to_state) == ("report", "assigned", "in_progress")
    assert event.summary == "报告整改进展：30%，佐证 方案.pdf"
    assert mark.notified() == {}


def test_a_later_report_keeps_the_state_and_the_measures(rect, supervision):
    item = rect.in_progress(percent=30)
    mark = Mark(item)
    actions.report_rectification(acting_user=supervision.p.unit, item=item, text="过半", percent=60)
    item = fresh(item)
    assert (item.status, item.progress, item.measures) == ("in_progress", 60, "")
    event = mark.event()
    assert (event.summary, event.from_state, event.to_state) == ("报告整改进展：60%", "", "")
    assert item.reports.count() == 2


def test_report_refused_to_others(rect, supervision):
    item = rect.open()
    p = supervision.p

    def report(user):
        return lambda: actions.report_rectification(
            acting_user=user, item=item, text="x", percent=5
        )

    refused(item, report(supervision.other_unit_user), WRONG_UNIT, NotAllowed)
    refused(item, report(p.social_staff), WRONG_UNIT, NotAllowed)
    refused(item, report(p.admin), WRONG_UNIT, NotAllowed)
    refused(item, report(p.leader), WRONG_UNIT, NotAllowed)


@pytest.mark.parametrize(("status", "label"), [("submitted", "申请销号"), ("verified", "已销号")])
def test_report_refused_once_out_of_the_units_hands(rect, supervision, status, label):
    item = rect.in_state(status)
    refused(
        item,
        lambda: actions.report_rectification(
            acting_user=supervision.p.unit, item=item, text="继续整改", percent=50
        ),
        f"当前状态为“{label}”，不能报告整改进展。",
    )


@pytest.mark.parametrize("percent", [100, -1, "50", True, None])
def test_report_refuses_a_bad_percent(rect, supervision, percent):
    item = rect.open()
    error = refused(
        item,
        lambda: actions.report_rectification(
            acting_user=supervision.p.unit, item=item, text="进展", percent=percent
        ),
        "进度应为 0 到 99 的整数；整改完成请“申请销号”。",
    )
    assert error.field_errors == {"percent": "0–99"}
    assert not RectificationReport.objects.filter(rectification=item).exists()


def test_report_refuses_empty_text_a_bad_file_and_a_stale_form(rect, supervision, settings):
    item = rect.open()
    unit = supervision.p.unit
    error = refused(
        item,
        lambda: actions.report_rectification(acting_user=unit, item=item, text="  ", percent=5),
        "请填写整改进展。",
    )
    assert error.field_errors == {"text": "请填写整改进展"}
    refused(
        item,
        lambda: actions.report_rectification(
            acting_user=unit, item=item, text="进展", percent=5, evidence=[pdf(), fake_pdf()]
        ),
        "文件内容与扩展名 .pdf 不符，可能已损坏或被改名，请检查后重新上传。",
    )
    refused(
        item,
        lambda: actions.report_rectification(
            acting_user=unit, item=item, text="进展", percent=5, version=7
        ),
        "该整改事项已被他人修改，请刷新页面后重新操作。（您的修改未保存）",
        ConflictError,
    )
    assert stored_files(settings) == []
    assert not RectificationReport.objects.filter(rectification=item).exists()


def test_a_failing_transaction_leaves_no_file_behind(rect, supervision, settings, monkeypatch):
    item = rect.open()

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(actions.common, "event", broken)
    with pytest.raises(RuntimeError):
        actions.report_rectification(
            acting_user=supervision.p.unit, item=item, text="进展", percent=5, evidence=[pdf()]
        )
    assert stored_files(settings) == []
    assert fresh(item).status == "assigned"
    assert not RectificationEvidence.objects.exists()


# ---------------------------------------------------------------------------------------------
# Attaching proof


def test_evidence_can_be_added_while_open(rect, supervision):
    for status in ("assigned", "submitted"):
        item = rect.in_state(status)
        mark = Mark(item)
        rows = actions.add_rectification_evidence(
            acting_user=supervision.p.unit, item=item, files=[pdf("照片.pdf"), pdf("台账.pdf")]
        )
        assert [r.name for r in rows] == ["照片.pdf", "台账.pdf"]
        assert all(r.report is None for r in rows)
        event = mark.event()
        assert (event.verb, event.summary) == ("add_evidence", "上传整改佐证：照片.pdf、台账.pdf")
        assert fresh(item).status == status and fresh(item).version == item.version + 1


def test_evidence_refused(rect, supervision, settings):
    p = supervision.p
    item = rect.open()

    def add(user, files):
        return lambda: actions.add_rectification_evidence(acting_user=user, item=item, files=files)

    refused(item, add(supervision.other_unit_user, [pdf()]), WRONG_UNIT, NotAllowed)
    refused(item, add(p.social_staff, [pdf()]), WRONG_UNIT, NotAllowed)
    error = refused(item, add(p.unit, []), "请选择要上传的文件。")
    assert error.field_errors == {"files": "请选择文件"}
    refused(
        item,
        add(p.unit, [SimpleUploadedFile("a.exe", b"MZ")]),
        "不支持该文件类型（.exe），只能上传：pdf、docx、xlsx、doc、xls、jpg、png、txt。",
    )
    verified = rect.verified()
    before = stored_files(settings)
    refused(
        verified,
        lambda: actions.add_rectification_evidence(
            acting_user=p.unit, item=verified, files=[pdf()]
        ),
        "当前状态为“已销号”，不能上传整改佐证。",
    )
    assert stored_files(settings) == before


# ---------------------------------------------------------------------------------------------
# Asking to close (申请销号)


def test_submit_with_proof_tells_the_office(rect, supervision):
    item = rect.in_progress()
    mark = Mark(item)
    actions.submit_rectification(
        acting_user=supervision.p.unit,
        item=item,
        result="已完成全部整改，建立长效机制",
        evidence=[pdf("整改报告.pdf")],
        version=item.version,
    )
    item = fresh(item)
    assert (item.status, item.result, item.progress) == (
        "submitted",
        "已完成全部整改，建立长效机制",
        40,
    )
    assert item.submitted_at is not None
    closing = item.reports.latest("id")
    assert (closing.percent, closing.text) == (100, "已完成全部整改，建立长效机制")
    assert closing.evidence.get().name == "整改报告.pdf"
    event = mark.event()
    assert (event.verb, event.from_state, event.to_state) == ("submit", "in_progress", "submitted")
    assert mark.notified() == {"p_social": [f"整改事项申请销号：{item.title}"]}


def test_submit_straight_from_assigned_with_proof_already_attached(rect, supervision):
    item = rect.open()
    actions.add_rectification_evidence(acting_user=supervision.p.unit, item=item, files=[pdf()])
    actions.submit_rectification(acting_user=supervision.p.unit, item=item, result="已整改")
    assert fresh(item).status == "submitted"


def test_submit_refused(rect, supervision):
    p = supervision.p
    item = rect.in_progress()

    def submit(user, result="已整改", evidence=()):
        return lambda: actions.submit_rectification(
            acting_user=user, item=item, result=result, evidence=evidence
        )

    error = refused(item, submit(p.unit), "申请销号须上传整改佐证材料（如整改报告、文件、照片）。")
    assert (error.code, error.field_errors) == ("evidence_required", {"evidence": "请上传佐证材料"})
    refused(item, submit(p.unit, result="", evidence=[pdf()]), "请填写整改结果。")
    refused(item, submit(supervision.other_unit_user, evidence=[pdf()]), WRONG_UNIT, NotAllowed)
    refused(item, submit(p.social_staff, evidence=[pdf()]), WRONG_UNIT, NotAllowed)
    for status, label in (("submitted", "申请销号"), ("verified", "已销号")):
        done = rect.in_state(status)
        refused(
            done,
            lambda done=done: actions.submit_rectification(
                acting_user=p.unit, item=done, result="再次申请", evidence=[pdf()]
            ),
            f"当前状态为“{label}”，不能申请销号。",
        )


# ---------------------------------------------------------------------------------------------
# Verifying (销号) and rejecting


@pytest.mark.parametrize("who", ["social_staff", "admin"])
def test_the_office_verifies(rect, supervision, who):
    user = getattr(supervision.p, who)
    item = rect.submitted()
    mark = Mark(item)
    actions.verify_rectification(acting_user=user, item=item, note="经实地核查，整改到位")
    item = fresh(item)
    assert (item.status, item.progress, item.verified_by) == ("verified", 100, user)
    assert item.verified_at is not None
    event = mark.event()
    assert (event.verb, event.from_state, event.to_state, event.note) == (
        "verify",
        "submitted",
        "verified",
        "经实地核查，整改到位",
    )
    assert mark.notified() == {"p_unit": [f"整改事项已销号：{item.title}"]}
    assert not item.is_open


def test_verify_refused(rect, supervision):
    p = supervision.p
    item = rect.submitted()
    for user in (p.staff, p.leader, p.unit):
        refused(
            item,
            lambda user=user: actions.verify_rectification(acting_user=user, item=item),
            WRONG_OFFICE,
            NotAllowed,
        )
    refused(
        item,
        lambda: actions.verify_rectification(acting_user=p.social_staff, item=item, version=1),
        "该整改事项已被他人修改，请刷新页面后重新操作。（您的修改未保存）",
        ConflictError,
    )
    for status, label in (
        ("assigned", "待整改"),
        ("in_progress", "整改中"),
        ("verified", "已销号"),
    ):
        other = rect.in_state(status)
        refused(
            other,
            lambda other=other: actions.verify_rectification(
                acting_user=p.social_staff, item=other
            ),
            f"当前状态为“{label}”，不能销号。",
        )


def test_rejecting_sends_it_back_and_counts(rect, supervision):
    p = supervision.p
    item = rect.submitted()
    mark = Mark(item)
    actions.reject_rectification(acting_user=p.social_staff, item=item, reason="佐证材料不完整")
    item = fresh(item)
    assert (item.status, item.rejection_count, item.last_rejection) == (
        "in_progress",
        1,
        "佐证材料不完整",
    )
    event = mark.event()
    assert (event.verb, event.from_state, event.to_state, event.summary) == (
        "reject",
        "submitted",
        "in_progress",
        "退回继续整改（第 1 次）",
    )
    assert mark.notified() == {"p_unit": [f"整改事项被退回：{item.title}"]}
    # The unit works on, asks again (the proof already attached counts), and is sent back again.
    actions.report_rectification(acting_user=p.unit, item=item, text="补充材料", percent=90)
    actions.submit_rectification(acting_user=p.unit, item=item, result="已补充")
    second = Mark(item)
    actions.reject_rectification(acting_user=p.admin, item=item, reason="仍未整改到位")
    item = fresh(item)
    assert (item.rejection_count, item.last_rejection) == (2, "仍未整改到位")
    assert second.notified() == {"p_unit": [f"整改事项被退回：{item.title}"]}


def test_reject_refused(rect, supervision):
    p = supervision.p
    item = rect.submitted()
    error = refused(
        item,
        lambda: actions.reject_rectification(acting_user=p.social_staff, item=item, reason=" "),
        "请填写退回理由。",
    )
    assert error.field_errors == {"reason": "请填写退回理由"}
    for user in (p.staff, p.leader, p.unit):
        refused(
            item,
            lambda user=user: actions.reject_rectification(acting_user=user, item=item, reason="x"),
            WRONG_OFFICE,
            NotAllowed,
        )
    for status, label in (
        ("assigned", "待整改"),
        ("in_progress", "整改中"),
        ("verified", "已销号"),
    ):
        other = rect.in_state(status)
        refused(
            other,
            lambda other=other: actions.reject_rectification(
                acting_user=p.social_staff, item=other, reason="不到位"
            ),
            f"当前状态为“{label}”，不能退回。",
        )


# ---------------------------------------------------------------------------------------------
# Changing the deadline


@pytest.mark.parametrize("status", ["assigned", "in_progress", "submitted"])
def test_the_office_changes_the_deadline_while_open(rect, supervision, status):
    item = rect.in_state(status)
    mark = Mark(item)
    actions.change_rectification_deadline(
        acting_user=supervision.p.social_staff,
        item=item,
        due_on=date(2026, 9, 30),
        reason="涉及资金安排，需纳入下半年预算",
        version=item.version,
    )
    item = fresh(item)
    assert (item.due_on, item.status) == (date(2026, 9, 30), status)
    assert item.due_basis == "2026-04-01 由 2026-07-01 调整：涉及资金安排，需纳入下半年预算"
    event = mark.event()
    assert (event.verb, event.summary, event.note) == (
        "change_deadline",
        "整改期限由 2026-07-01 调整为 2026-09-30",
        "涉及资金安排，需纳入下半年预算",
    )
    assert mark.notified() == {"p_unit": [f"整改期限已调整为 2026-09-30：{item.title}"]}


def test_an_overdue_item_can_be_given_a_new_deadline_from_today(rect, supervision, time_machine):
    item = rect.open()
    time_machine.move_to(at(date(2026, 7, 10)), tick=False)
    assert Rectification.objects.overdue(date(2026, 7, 10)).filter(pk=item.pk).exists()
    actions.change_rectification_deadline(
        acting_user=supervision.p.social_staff, item=item, due_on=date(2026, 7, 10), reason="延期"
    )
    assert not Rectification.objects.overdue(date(2026, 7, 10)).filter(pk=item.pk).exists()


def test_deadline_change_refused(rect, supervision):
    p = supervision.p
    item = rect.open()

    def change(user=p.social_staff, due_on=date(2026, 9, 30), reason="资金未到位"):
        return lambda: actions.change_rectification_deadline(
            acting_user=user, item=item, due_on=due_on, reason=reason
        )

    error = refused(item, change(due_on=date(2026, 3, 31)), "整改期限不能早于今天。")
    assert error.field_errors == {"due_on": "早于今天"}
    refused(item, change(due_on=date(2026, 7, 1)), "新期限与现期限（2026-07-01）相同。")
    refused(item, change(due_on=date(2032, 1, 1)), "整改期限不能晚于2031年。")
    refused(item, change(due_on=None), "请填写新的整改期限。")
    refused(item, change(reason=""), "请填写调整理由。")
    for user in (p.staff, p.leader, p.unit):
        refused(item, change(user=user), WRONG_OFFICE, NotAllowed)
    done = rect.verified()
    refused(
        done,
        lambda: actions.change_rectification_deadline(
            acting_user=p.social_staff, item=done, due_on=date(2026, 9, 30), reason="x"
        ),
        "当前状态为“已销号”，不能调整整改期限。",
    )


# ---------------------------------------------------------------------------------------------
# The moves offered are exactly the moves the actions accept


def _attempt(name: str, user, item) -> bool:
    """Whether the action accepts the move (with valid input), rolled back either way."""
    calls = {
        "report_rectification": lambda: actions.report_rectification(
            acting_user=user, item=item, text="进展", percent=50
        ),
        "submit_rectification": lambda: actions.submit_rectification(
            acting_user=user, item=item, result="已整改", evidence=[pdf()]
        ),
        "add_rectification_evidence": lambda: actions.add_rectification_evidence(
            acting_user=user, item=item, files=[pdf()]
        ),
        "verify_rectification": lambda: actions.verify_rectification(acting_user=user, item=item),
        "reject_rectification": lambda: actions.reject_rectification(
            acting_user=user, item=item, reason="不到位"
        ),
        "change_rectification_deadline": lambda: actions.change_rectification_deadline(
            acting_user=user, item=item, due_on=date(2026, 12, 31), reason="延期"
        ),
    }
    try:
        with transaction.atomic():
            calls[name]()
            transaction.set_rollback(True)
    except DomainError as error:
        assert error.code in ("not_allowed", "invalid_transition"), error.message
        return False
    return True


ACTION_NAMES = (
    "report_rectification",
    "submit_rectification",
    "add_rectification_evidence",
    "verify_rectification",
    "reject_rectification",
    "change_rectification_deadline",
)


@pytest.mark.parametrize("status", ["assigned", "in_progress", "submitted", "verified"])
def test_offered_moves_match_the_actions(rect, supervision, status):
    p = supervision.p
    item = rect.in_state(status)
    users = [p.admin, p.leader, p.staff, p.social_staff, p.unit, supervision.other_unit_user]
    for user in users:
        offered = queries.rectification_actions(user, fresh(item))
        accepted = {name for name in ACTION_NAMES if _attempt(name, user, fresh(item))}
        assert offered == accepted, (user.username, status)

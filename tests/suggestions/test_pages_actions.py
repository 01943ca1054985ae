"""Every action through its page: an allowed user moves the suggestion on (with a success message),
a refused one gets 403/404 or the action's Chinese message, and nothing changes."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from renda.suggestions import actions
from renda.suggestions.models import Answer, Assignment, Attachment, Status, Suggestion
from tests.suggestions.factories import (
    answer_category,
    answer_draft,
    at,
    category,
    frozen,  # noqa: F401  (fixture)
    reload,
    state_of,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def url(name: str, s: Suggestion) -> str:
    return reverse(f"suggestions:{name}", args=[s.pk])


def post(client, user, name, s, data=None):
    client.force_login(user)
    return client.post(url(name, s), data or {})


def done(client, user, name, s, data=None, *, message: str) -> Suggestion:
    """Post the action's form; expect the redirect to the suggestion and the success message."""
    client.force_login(user)
    response = client.post(url(name, s), data or {}, follow=True)
    assert response.redirect_chain[0] == (reverse("suggestions:detail", args=[s.pk]), 302), (
        response.content.decode()[:3000]
    )
    assert message in response.content.decode()
    return reload(s)


def refused(client, user, name, s, data=None, *, status: int, message: str = ""):
    before = state_of(s)
    response = post(client, user, name, s, data)
    assert response.status_code == status, response.content.decode()[:3000]
    if message:
        assert message in response.content.decode()
    assert state_of(s) == before
    return response


def versioned(s: Suggestion, **data) -> dict:
    return {"version": s.version, **data}


# -- drafting ----------------------------------------------------------------------------------


def draft_data(**overrides) -> dict:
    data = {
        "title": "关于增设社区养老服务站的建议",
        "content": "建议在泉城路街道增设社区养老服务站，方便老年人就近养老。",
        "category": category("社会保障").pk,
        "kind": "suggestion",
        "timing": "between",
        "term_number": 18,
        "session_number": 5,
    }
    data.update(overrides)
    return data


def test_deputy_drafts_their_own_with_cosigners(client, world):
    client.force_login(world.p.deputy)
    page = client.get(reverse("suggestions:create")).content.decode()
    assert 'name="deputy"' not in page and 'name="cosigners"' in page
    response = client.post(
        reverse("suggestions:create"),
        draft_data(cosigners=[world.cosigner.deputy.pk], wants_face_to_face="on"),
    )
    s = Suggestion.objects.get()
    assert response["Location"] == reverse("suggestions:detail", args=[s.pk])
    assert (s.status, s.deputy, s.created_by) == ("draft", world.p.deputy.deputy, world.p.deputy)
    assert s.timing == "between" and s.wants_face_to_face and s.category.name == "社会保障"
    assert [(c.deputy_id, c.status) for c in s.cosigners.all()] == [
        (world.cosigner.deputy.pk, "pending")
    ]


def test_office_enters_a_suggestion_on_a_deputys_behalf(client, world):
    client.force_login(world.p.staff)
    page = client.get(reverse("suggestions:create")).content.decode()
    assert 'name="deputy"' in page and "data-filterable" in page
    client.post(reverse("suggestions:create"), draft_data(deputy=world.p.deputy.deputy.pk))
    s = Suggestion.objects.get()
    assert (s.deputy, s.created_by) == (world.p.deputy.deputy, world.p.staff)


def test_drafting_refusals_save_nothing(client, world):
    client.force_login(world.p.social_staff)  # staff of another office
    response = client.get(reverse("suggestions:create"))
    assert (
        response.status_code == 403
        and "代为录入建议须由代表工作机构办理。" in response.content.decode()
    )
    assert client.post(reverse("suggestions:create"), draft_data()).status_code == 403
    client.force_login(world.p.deputy)
    response = client.post(reverse("suggestions:create"), draft_data(title=""))
    assert response.status_code == 400
    response = client.post(
        reverse("suggestions:create"), draft_data(cosigners=[world.p.deputy.deputy.pk])
    )
    assert response.status_code == 400
    assert "领衔代表不必再列为联名代表。" in response.content.decode()
    client.force_login(world.p.unit)
    assert client.get(reverse("suggestions:create")).status_code == 403
    assert not Suggestion.objects.exists()


def test_edit_a_draft_and_a_stale_form_is_refused(client, world):
    s = world.draft()
    client.force_login(world.p.deputy)
    page = client.get(reverse("suggestions:edit", args=[s.pk])).content.decode()
    assert "关于解决老旧小区停车难的建议" in page and f'value="{s.version}"' in page
    stale = s.version
    response = client.post(
        reverse("suggestions:edit", args=[s.pk]), draft_data(title="改过的标题", version=stale)
    )
    assert response.status_code == 302 and reload(s).title == "改过的标题"
    before = state_of(s)
    response = client.post(
        reverse("suggestions:edit", args=[s.pk]), draft_data(title="第二次", version=stale)
    )
    assert response.status_code == 409
    assert "该建议已被他人修改，请刷新页面后重新操作。" in response.content.decode()
    assert state_of(s) == before
    client.force_login(world.cosigner)
    assert client.get(reverse("suggestions:edit", args=[s.pk])).status_code == 404


def test_submit(client, world):
    s = world.draft()
    assert post(client, world.p.staff, "submit", s).status_code == 404  # not theirs to see
    refused(client, world.p.deputy, "submit", s, {"version": s.version - 1}, status=409)
    s = done(client, world.p.deputy, "submit", s, versioned(s), message="建议已提交")
    assert s.status == Status.SUBMITTED


def test_delete_draft(client, world):
    submitted = world.submitted()
    refused(client, world.p.deputy, "delete_draft", submitted, status=400, message="只能删除草稿。")
    s = world.draft()
    client.force_login(world.p.deputy)
    response = client.post(url("delete_draft", s), follow=True)
    assert response.redirect_chain[0] == (reverse("suggestions:list"), 302)
    assert "草稿已删除。" in response.content.decode()
    assert not Suggestion.objects.filter(pk=s.pk).exists()


def test_withdraw(client, world):
    s = world.submitted(cosign=True)
    refused(
        client,
        world.cosigner,
        "withdraw",
        s,
        versioned(s),
        status=403,
        message="只有起草人可以撤回。",
    )
    s = done(client, world.p.deputy, "withdraw", s, versioned(s), message="撤回为草稿")
    assert s.status == Status.DRAFT


def test_reply_cosign(client, world):
    s = world.submitted(cosign=True)
    client.force_login(world.p.deputy)
    assert client.get(url("reply_cosign", s)).status_code == 403  # not invited: no form
    refused(
        client,
        world.p.deputy,
        "reply_cosign",
        s,
        {"decision": "confirm"},
        status=403,
        message="您不是该建议的联名代表。",
    )
    refused(client, world.cosigner, "reply_cosign", s, {"decision": "maybe"}, status=400)
    done(client, world.cosigner, "reply_cosign", s, {"decision": "confirm"}, message="已确认联名。")
    assert s.cosigners.get().status == "confirmed"


# -- review ------------------------------------------------------------------------------------


def test_accept(client, world):
    s = world.submitted()
    refused(
        client,
        world.p.social_staff,
        "accept",
        s,
        versioned(s),
        status=403,
        message="只有代表工作机构可以审查建议。",
    )
    refused(client, world.p.leader, "accept", s, versioned(s), status=403)
    refused(client, world.p.staff, "accept", s, {"version": s.version + 5}, status=409)
    s = done(client, world.p.staff, "accept", s, versioned(s), message="已立案，编为第1号。")
    assert s.status == Status.ACCEPTED and s.number == 1
    # The page of an action no longer available says so.
    client.force_login(world.p.staff)
    response = client.get(url("accept", s))
    assert (
        response.status_code == 403
        and "您当前不能对这件建议进行“立案”。" in response.content.decode()
    )
    refused(client, world.p.staff, "accept", s, versioned(s), status=400, message="不能立案")


def test_decline(client, world):
    s = world.submitted()
    refused(client, world.p.staff, "decline", s, versioned(s, reason=""), status=400)
    s = done(
        client, world.p.staff, "decline", s, versioned(s, reason="属于议案。"), message="不予立案"
    )
    assert s.status == Status.DECLINED and s.decline_reason == "属于议案。"


def test_convert_motion(client, world):
    plain = world.submitted()
    refused(
        client,
        world.p.staff,
        "convert_motion",
        plain,
        versioned(plain),
        status=400,
        message="只有待审查的议案可以转为建议。",
    )
    s = world.submitted(kind="motion")
    s = done(client, world.p.staff, "convert_motion", s, versioned(s), message="已将议案转为建议")
    assert s.kind == "suggestion"


def test_merge(client, world):
    main = world.accepted()
    s = world.submitted(title="关于增设停车泊位的建议")
    refused(
        client,
        world.p.staff,
        "merge",
        s,
        versioned(s, into_number=99),
        status=400,
        message="本次会议没有第99号建议。",
    )
    s = done(
        client,
        world.p.staff,
        "merge",
        s,
        versioned(s, into_number=main.number),
        message="已编为第2号，并入第1号建议办理。",
    )
    assert s.status == Status.MERGED and s.merged_into == main


def test_assign(client, world):
    s = world.accepted()
    org = world.org
    client.force_login(world.p.staff)
    page = client.get(url("assign", s)).content.decode()
    assert 'name="lead_unit"' in page and 'name="separate_units"' in page
    refused(
        client,
        world.p.staff,
        "assign",
        s,
        versioned(s, mode="separate", separate_units=[org.unit.pk]),
        status=400,
        message="分办至少需要两个承办单位",
    )
    refused(client, world.p.staff, "assign", s, versioned(s, mode="lead"), status=400)
    refused(client, world.p.unit, "assign", s, versioned(s, mode="lead"), status=403)
    s = done(
        client,
        world.p.staff,
        "assign",
        s,
        versioned(s, mode="lead", lead_unit=org.unit.pk, co_units=[org.other_unit.pk]),
        message="已交办，答复期限 2026-06-02。",
    )
    assert s.status == Status.ASSIGNED and s.due_at == date(2026, 6, 2)
    assert {(a.unit_id, a.role) for a in s.assignments.all()} == {
        (org.unit.pk, "lead"),
        (org.other_unit.pk, "co"),
    }


# -- the units' part ---------------------------------------------------------------------------


def test_sign_for(client, world):
    s = world.assigned(co_unit=False)
    assert post(client, world.co_unit_user, "sign_for", s).status_code == 404  # not assigned
    s = done(client, world.p.unit, "sign_for", s, message="区住房和城乡建设局已签收。")
    assert s.status == Status.HANDLING
    refused(client, world.p.unit, "sign_for", s, status=400)  # nothing left to sign


def test_request_adjustment(client, world, time_machine):
    s = world.assigned(co_unit=False)
    refused(client, world.p.unit, "request_adjustment", s, {"reason": ""}, status=400)
    done(
        client,
        world.p.unit,
        "request_adjustment",
        s,
        {"reason": "该事项属于街道职责。"},
        message="调整申请已提交",
    )
    assert s.assignments.get().status == Assignment.Status.ADJUST_REQUESTED
    late = world.assigned(co_unit=False)
    time_machine.move_to(at(date(2026, 3, 10)), tick=False)
    refused(
        client,
        world.p.unit,
        "request_adjustment",
        late,
        {"reason": "不属于本单位。"},
        status=400,
        message="申请调整的期限已过",
    )


def test_decide_adjustment_reassign_or_insist(client, world):
    s = world.assigned(co_unit=False)
    first = s.assignments.get()
    actions.request_adjustment(acting_user=world.p.unit, assignment=first, reason="不属于本单位。")
    refused(
        client,
        world.p.staff,
        "decide_adjustment",
        s,
        {"decision": "insist", "note": ""},
        status=400,
        message="请填写不予调整的说明。",
    )
    refused(client, world.p.staff, "decide_adjustment", s, {"decision": "reassign"}, status=400)
    refused(client, world.p.unit, "decide_adjustment", s, {"decision": "insist"}, status=403)
    done(
        client,
        world.p.staff,
        "decide_adjustment",
        s,
        {"decision": "reassign", "reassign_to": world.org.other_unit.pk},
        message="已改交其他单位办理。",
    )
    first.refresh_from_db()
    assert first.status == "withdrawn"
    assert s.assignments.get(status="pending").unit == world.org.other_unit

    other = world.assigned(co_unit=False)
    part = other.assignments.get()
    actions.request_adjustment(acting_user=world.p.unit, assignment=part, reason="不属于本单位。")
    done(
        client,
        world.p.staff,
        "decide_adjustment",
        other,
        {"decision": "insist", "note": "属于住建职责。"},
        message="已决定仍由原单位办理。",
    )
    part.refresh_from_db()
    assert part.status == "pending" and part.adjust_refused


def test_record_contact(client, world):
    s = world.handling(co_unit=False)
    data = {"stage": "before", "method": "face", "summary": "到现场察看，商定先施划停车位。"}
    refused(
        client,
        world.p.unit,
        "record_contact",
        s,
        {**data, "contacted_on": "2026-03-03"},
        status=400,
        message="沟通日期不能晚于今天。",
    )
    refused(
        client,
        world.p.staff,
        "record_contact",
        s,
        {**data, "contacted_on": "2026-03-02"},
        status=403,
    )
    done(
        client,
        world.p.unit,
        "record_contact",
        s,
        {**data, "contacted_on": "2026-03-02"},
        message="已记录沟通情况。",
    )
    contact = s.contacts.get()
    assert (contact.stage, contact.method, contact.unit) == ("before", "face", world.org.unit)


def test_submit_opinion(client, world):
    s = world.handling()
    # The lead unit has no co-unit part to give an opinion for.
    refused(client, world.p.unit, "submit_opinion", s, {"opinion": "同意。"}, status=400)
    done(
        client,
        world.co_unit_user,
        "submit_opinion",
        s,
        {"opinion": "同意主办单位意见。"},
        message="会办意见已提交主办单位。",
    )
    assert world.assignment(s, world.org.other_unit).opinion == "同意主办单位意见。"


def answer_data(**overrides) -> dict:
    data = {
        "category": answer_category("B").pk,
        "document_number": "泉住建函〔2026〕12号",
        "text": "已将停车泊位施划列入今年计划。",
        "signer": "王局长",
        "contact_person": "赵联络员",
        "contact_phone": "0531-88001234",
    }
    data.update(overrides)
    return data


def test_answer(client, world):
    s = world.handling()
    client.force_login(world.p.unit)
    assert client.get(url("answer", s)).status_code == 403  # waits for the co-unit's opinion
    refused(
        client,
        world.p.unit,
        "answer",
        s,
        answer_data(),
        status=400,
        message="协办单位尚未提交会办意见：区城市管理局。",
    )
    s = world.opinion_given()
    refused(client, world.p.unit, "answer", s, answer_data(text=""), status=400)
    refused(client, world.co_unit_user, "answer", s, answer_data(), status=403)
    s = done(client, world.p.unit, "answer", s, answer_data(), message="已答复（B类）。")
    assert s.status == Status.ANSWERED
    answer = s.answers.get()
    assert (answer.category.code, answer.document_number) == ("B", "泉住建函〔2026〕12号")


def test_return_answer(client, world):
    s = world.answered()
    refused(client, world.p.leader, "return_answer", s, versioned(s, reason="x"), status=403)
    refused(client, world.p.staff, "return_answer", s, versioned(s, reason=""), status=400)
    s = done(
        client,
        world.p.staff,
        "return_answer",
        s,
        versioned(s, reason="未与代表沟通。"),
        message="答复已退回承办单位重新办理。",
    )
    assert s.status == Status.HANDLING and s.answers.get().status == Answer.Status.RETURNED


def test_correct_category(client, world):
    s = world.answered("B")
    answer = s.answers.get()
    refused(
        client,
        world.p.staff,
        "correct_category",
        s,
        {"answer": answer.pk, "category": answer_category("B").pk},
        status=400,
        message="类别未改变。",
    )
    done(
        client,
        world.p.staff,
        "correct_category",
        s,
        {"answer": answer.pk, "category": answer_category("A").pk, "note": "已解决"},
        message="答复类别已更正为 A 类。",
    )
    answer.refresh_from_db()
    assert (answer.category.code, answer.original_category.code) == ("A", "B")


def test_rate(client, world):
    s = world.answered()
    refused(
        client,
        world.p.deputy,
        "rate",
        s,
        versioned(s, attitude="satisfied", result="not_satisfied"),
        status=400,
        message="选择“不满意”时，请写明具体意见。",
    )
    refused(
        client,
        world.p.deputy,
        "rate",
        s,
        {"version": s.version - 1, "attitude": "satisfied", "result": "satisfied"},
        status=409,
    )
    s = done(
        client,
        world.p.deputy,
        "rate",
        s,
        versioned(s, attitude="satisfied", result="satisfied"),
        message="已评价",
    )
    assert s.status == Status.CLOSED and s.ratings.get().result == "satisfied"


def test_rating_a_joint_suggestion_asks_whether_cosigners_were_consulted(client, world):
    s = world.answered(cosign=True)
    client.force_login(world.p.deputy)
    assert 'name="cosigners_consulted"' in client.get(url("rate", s)).content.decode()
    refused(
        client,
        world.cosigner,
        "rate",
        s,
        versioned(s, attitude="satisfied", result="satisfied"),
        status=403,
        message="只有领衔代表可以评价办理情况。",
    )
    data = versioned(s, attitude="basically", result="not_satisfied", comment="仍未施划。")
    refused(client, world.p.deputy, "rate", s, data, status=400, message="请确认已征求意见")
    s = done(
        client,
        world.p.deputy,
        "rate",
        s,
        {**data, "cosigners_consulted": "on"},
        message="已评价",
    )
    assert s.status == Status.HANDLING and s.ratings.get().cosigners_consulted
    simple = world.answered()
    client.force_login(world.p.deputy)
    assert 'name="cosigners_consulted"' not in client.get(url("rate", simple)).content.decode()


def test_confirm_face_to_face(client, world):
    s = world.opinion_given(cosign=True)
    actions.answer(
        acting_user=world.p.unit, suggestion=s, draft=answer_draft("A", is_face_to_face=True)
    )
    answer = s.answers.get()
    refused(client, world.cosigner, "confirm_face_to_face", s, {"answer": answer.pk}, status=403)
    done(
        client,
        world.p.deputy,
        "confirm_face_to_face",
        s,
        {"answer": answer.pk},
        message="已确认当面答复。",
    )
    answer.refresh_from_db()
    assert answer.face_to_face_confirmed_at is not None


def test_close(client, world):
    s = world.answered()
    refused(client, world.p.unit, "close", s, versioned(s), status=403)
    s = done(client, world.p.staff, "close", s, versioned(s, note="代表未评价。"), message="已办结")
    assert s.status == Status.CLOSED
    refused(client, world.p.staff, "close", s, versioned(s), status=400, message="不能办结")


# -- deadlines ---------------------------------------------------------------------------------


def test_request_and_decide_an_extension(client, world):
    s = world.handling(co_unit=False)
    refused(
        client,
        world.p.unit,
        "request_extension",
        s,
        {"new_due": "2026-12-31", "reason": "需要调研。"},
        status=400,
        message="答复期限最长不得超过交办之日起 6 个月",
    )
    done(
        client,
        world.p.unit,
        "request_extension",
        s,
        {"new_due": "2026-07-02", "reason": "需要调研。"},
        message="延期申请已提交",
    )
    refused(
        client,
        world.p.staff,
        "decide_extension",
        s,
        {"decision": "refuse", "note": ""},
        status=400,
        message="请写明不同意延期的理由。",
    )
    refused(client, world.p.unit, "decide_extension", s, {"decision": "approve"}, status=403)
    s = done(
        client,
        world.p.staff,
        "decide_extension",
        s,
        {"decision": "approve"},
        message="已同意延期。",
    )
    assert s.due_at == date(2026, 7, 2) and s.extensions.get().status == "approved"


def test_extend_deadline(client, world):
    s = world.handling(co_unit=False)
    refused(
        client,
        world.p.staff,
        "extend_deadline",
        s,
        {"new_due": "2026-05-01", "reason": "情况复杂。"},
        status=400,
        message="延期日期应晚于现答复期限",
    )
    s = done(
        client,
        world.p.staff,
        "extend_deadline",
        s,
        {"new_due": "2026-08-03", "reason": "情况复杂。"},
        message="答复期限已延至 2026-08-03。",
    )
    assert s.due_at == date(2026, 8, 3)


# -- key suggestions, publication ---------------------------------------------------------------


def test_flag_and_unflag_key(client, world):
    s = world.accepted()
    data = {"leader": world.p.leader.pk, "office": world.org.deputy_office.pk}
    refused(client, world.p.staff, "flag_key", s, data, status=403)
    refused(
        client, world.p.leader, "flag_key", s, {"office": world.org.deputy_office.pk}, status=400
    )
    refused(
        client, world.p.leader, "flag_key", s, {**data, "leader": world.p.staff.pk}, status=400
    )  # not among the leaders
    s = done(client, world.p.leader, "flag_key", s, data, message="已列为重点督办建议。")
    assert s.is_key and s.key_leader == world.p.leader and s.key_office == world.org.deputy_office
    s = done(
        client, world.p.leader, "unflag_key", s, {"note": "已解决"}, message="已取消重点督办。"
    )
    assert not s.is_key
    refused(client, world.p.leader, "unflag_key", s, status=400, message="该建议不是重点督办建议。")


def test_publish_unpublish_and_confidentiality(client, world):
    s = world.accepted()
    refused(client, world.p.street, "publish", s, status=403)
    s = done(client, world.p.staff, "publish", s, message="已向社会公开。")
    assert s.published_at is not None
    refused(client, world.p.staff, "unpublish", s, {"reason": ""}, status=400)
    s = done(
        client, world.p.staff, "unpublish", s, {"reason": "内容需核实。"}, message="已撤回公开。"
    )
    assert s.published_at is None
    refused(
        client,
        world.p.staff,
        "unpublish",
        s,
        {"reason": "再撤"},
        status=400,
        message="该建议尚未公开。",
    )
    refused(
        client,
        world.p.staff,
        "set_confidential",
        s,
        {"confidential": "1", "reason": ""},
        status=400,
        message="请填写不予公开的理由。",
    )
    s = done(
        client,
        world.p.staff,
        "set_confidential",
        s,
        {"confidential": "1", "reason": "涉及个人隐私。"},
        message="已设为不予公开。",
    )
    assert s.is_confidential
    refused(client, world.p.staff, "publish", s, status=400, message="不予公开")


# -- attachments -------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


NOTE = "小区停车情况说明".encode()


def upload(name="情况说明.txt", content=NOTE):
    return SimpleUploadedFile(name, content)


def test_attach_download_and_remove_files(client, world, media):
    s = world.draft()
    client.force_login(world.p.deputy)
    response = client.post(url("add_attachment", s), {"file": upload("假文件.pdf", b"not a pdf")})
    assert response.status_code == 400 and "文件内容与扩展名 .pdf 不符" in response.content.decode()
    assert not Attachment.objects.exists()
    done(client, world.p.deputy, "add_attachment", s, {"file": upload()}, message="已上传附件")
    attachment = Attachment.objects.get()
    download = reverse("suggestions:attachment", args=[attachment.pk])
    response = client.get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content) == (
        "小区停车情况说明".encode()
    )
    client.force_login(world.p.unit)
    assert client.get(download).status_code == 404  # cannot see the suggestion
    client.force_login(world.p.deputy)
    remove = reverse("suggestions:remove_attachment", args=[attachment.pk])
    assert "情况说明.txt" in client.get(remove).content.decode()
    response = client.post(remove)
    assert response["Location"] == reverse("suggestions:detail", args=[s.pk])
    assert not Attachment.objects.exists()


def test_files_cannot_be_removed_once_submitted_except_by_the_office(client, world, media):
    s = world.draft()
    attachment = actions.add_attachment(acting_user=world.p.deputy, suggestion=s, upload=upload())
    s = actions.submit(acting_user=world.p.deputy, suggestion=s)
    remove = reverse("suggestions:remove_attachment", args=[attachment.pk])
    client.force_login(world.p.deputy)
    assert client.get(remove).status_code == 403
    response = client.post(remove)
    assert response.status_code == 403
    assert "只有起草人（草稿阶段）或代表工作机构可以删除附件。" in response.content.decode()
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    client.force_login(world.p.staff)
    assert client.post(remove).status_code == 302
    assert not Attachment.objects.filter(pk=attachment.pk).exists()


def test_a_unit_attaches_files_to_its_answer(client, world, media):
    s = world.handling(co_unit=False)
    refused(client, world.p.unit, "add_attachment", s, {"file": upload()}, status=403)
    actions.answer(acting_user=world.p.unit, suggestion=s, draft=answer_draft())
    done(client, world.p.unit, "add_attachment", s, {"file": upload()}, message="已上传附件")
    attachment = Attachment.objects.get()
    assert attachment.answer == s.answers.get()
    client.force_login(world.p.deputy)
    html = client.get(reverse("suggestions:detail", args=[s.pk])).content.decode()
    assert "区住房和城乡建设局答复附件" in html

"""The suggestions API: answering, returning, correcting the category, rating, closing."""

import pytest

from renda.suggestions.models import Answer, Rating
from tests.suggestions.factories import answer_category
from tests.suggestions.matrix_api import (
    BASE,
    answer_body,
    field_messages,
    refused,
    send,
    state_of,
)

pytestmark = pytest.mark.django_db


def post(client, user, s, verb: str, body: dict | None = None):
    return send(client, user, "POST", f"{BASE}/{s.pk}/{verb}", {} if body is None else body)


def test_lead_unit_answers(client, world):
    s = world.opinion_given()
    response = post(client, world.p.unit, s, "answer", answer_body("B"))
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["category"], created["unit"], created["round"]) == (
        "B",
        "区住房和城乡建设局",
        1,
    )
    assert state_of(s)[0] == "answered"
    client.force_login(world.p.deputy)
    detail = client.get(f"{BASE}/{s.pk}").json()
    assert [a["id"] for a in detail["answers"]] == [created["id"]]
    assert "rate" in detail["actions"] and detail["answered_on_time"] is True


def test_answer_refusals_change_nothing(client, world):
    s = world.handling()  # the co-unit has not given its opinion yet
    before = state_of(s)
    reply = refused(post(client, world.p.unit, s, "answer", answer_body()), 400, "opinions_missing")
    assert "区城市管理局" in reply["message"]
    refused(post(client, world.co_unit_user, s, "answer", answer_body()), 403, "not_allowed")
    refused(post(client, world.p.staff, s, "answer", answer_body()), 403, "forbidden")
    assert state_of(s) == before and not Answer.objects.exists()
    s = world.handling(co_unit=False)
    before = state_of(s)
    reply = refused(
        post(client, world.p.unit, s, "answer", {**answer_body(), "signer": " "}), 400, "required"
    )
    assert field_messages(reply) == {"signer": "请填写签发人"}
    reply = refused(
        post(client, world.p.unit, s, "answer", {**answer_body(), "category_id": 999}),
        400,
        "invalid",
    )
    assert field_messages(reply) == {"category_id": "答复类别不存在"}
    reply = refused(post(client, world.p.unit, s, "answer", {"text": "已解决"}), 422, "invalid")
    assert field_messages(reply)["category_id"] == "必填项不能为空"
    assert state_of(s) == before and not Answer.objects.exists()
    post(client, world.p.unit, s, "answer", answer_body())
    before = state_of(s)
    reply = refused(
        post(client, world.p.unit, s, "answer", answer_body()), 400, "invalid_transition"
    )
    assert reply["message"] == "当前状态为“已答复”，不能答复。"
    assert state_of(s) == before and Answer.objects.count() == 1


def test_return_answer_for_redrafting(client, world):
    s = world.answered()
    before = state_of(s)
    refused(post(client, world.p.staff, s, "return-answer", {"reason": ""}), 400, "required")
    refused(
        post(client, world.p.staff, s, "return-answer", {"reason": "x", "version": 1}),
        409,
        "stale_version",
    )
    refused(post(client, world.p.unit, s, "return-answer", {"reason": "x"}), 403, "forbidden")
    assert state_of(s) == before
    response = post(client, world.p.staff, s, "return-answer", {"reason": "未与代表沟通。"})
    body = response.json()
    assert body["status"] == "handling"
    assert [(a["status"], a["return_reason"]) for a in body["answers"]] == [
        ("returned", "未与代表沟通。")
    ]
    before = state_of(s)
    refused(
        post(client, world.p.staff, s, "return-answer", {"reason": "再退"}),
        400,
        "invalid_transition",
    )
    assert state_of(s) == before


def test_office_corrects_the_category(client, world):
    s = world.answered("A")
    answer = s.answers.get()
    path = f"{BASE}/answers/{answer.pk}/category"
    a_id, b_id = answer_category("A").pk, answer_category("B").pk
    refused(send(client, world.p.staff, "POST", path, {"category_id": a_id}), 400, "invalid")
    refused(send(client, world.p.unit, "POST", path, {"category_id": b_id}), 403, "forbidden")
    refused(
        send(client, world.p.social_staff, "POST", path, {"category_id": b_id}), 403, "not_allowed"
    )
    assert Answer.objects.get(pk=answer.pk).category_id == a_id
    response = send(
        client, world.p.staff, "POST", path, {"category_id": b_id, "note": "尚在计划中"}
    )
    corrected = response.json()["answers"][0]
    assert (corrected["category"], corrected["original_category"]) == ("B", "A")
    refused(
        send(
            client, world.p.staff, "POST", f"{BASE}/answers/999999/category", {"category_id": b_id}
        ),
        404,
        "not_found",
    )


def rating(result: str = "satisfied", **overrides) -> dict:
    values = {"attitude": "satisfied", "result": result, "comment": ""}
    values.update(overrides)
    return values


def test_rate_not_satisfied_needs_a_comment_and_reopens(client, world):
    s = world.answered("B")
    before = state_of(s)
    reply = refused(
        post(client, world.p.deputy, s, "rate", rating("not_satisfied")), 400, "comment_required"
    )
    assert field_messages(reply) == {"comment": "请写明不满意的具体意见"}
    reply = refused(post(client, world.p.deputy, s, "rate", rating("so-so")), 422, "invalid")
    assert field_messages(reply) == {"result": "不是允许的取值"}
    refused(
        post(client, world.p.deputy, s, "rate", rating(version=s.version - 1)), 409, "stale_version"
    )
    refused(post(client, world.p.staff, s, "rate", rating()), 403, "forbidden")
    refused(post(client, world.cosigner, s, "rate", rating()), 404, "not_found")
    assert state_of(s) == before and not Rating.objects.exists()
    response = post(
        client, world.p.deputy, s, "rate", rating("not_satisfied", comment="车位仍不足。")
    )
    assert response.status_code == 201
    assert (response.json()["result_name"], response.json()["round"]) == ("不满意", 1)
    client.force_login(world.p.deputy)
    detail = client.get(f"{BASE}/{s.pk}").json()
    assert (detail["status"], detail["round"], detail["not_satisfied_streak"]) == ("handling", 2, 1)
    assert "不满意反馈日" in detail["deadline"]["explanation"]
    before = state_of(s)
    reply = refused(post(client, world.p.deputy, s, "rate", rating()), 400, "invalid_transition")
    assert "不能评价" in reply["message"]
    assert state_of(s) == before


def test_jointly_signed_rating_confirms_cosigners_were_heard(client, world):
    s = world.answered("A", cosign=True)
    refused(post(client, world.p.deputy, s, "rate", rating()), 400, "consult_cosigners")
    response = post(client, world.p.deputy, s, "rate", rating(cosigners_consulted=True))
    assert response.status_code == 201 and state_of(s)[0] == "closed"


def test_confirm_face_to_face_answer(client, world):
    s = world.handling(co_unit=False)
    post(client, world.p.unit, s, "answer", {**answer_body("A"), "is_face_to_face": True})
    answer = s.answers.get()
    path = f"{BASE}/answers/{answer.pk}/confirm-face-to-face"
    refused(send(client, world.p.unit, "POST", path), 403, "forbidden")
    client.force_login(world.p.deputy)
    assert "confirm_face_to_face" in client.get(f"{BASE}/{s.pk}").json()["actions"]
    response = send(client, world.p.deputy, "POST", path)
    assert response.status_code == 200
    assert response.json()["answers"][0]["face_to_face_confirmed_at"]
    before = state_of(s)
    refused(send(client, world.p.deputy, "POST", path), 400, "already_confirmed")
    assert state_of(s) == before


def test_close(client, world):
    s = world.answered()
    before = state_of(s)
    refused(post(client, world.p.leader, s, "close"), 403, "forbidden")
    refused(post(client, world.p.staff, s, "close", {"version": 1}), 409, "stale_version")
    assert state_of(s) == before
    response = post(client, world.p.staff, s, "close", {"note": "代表逾期未评价。"})
    assert response.json()["status"] == "closed" and response.json()["closed_at"]
    handling = world.handling(co_unit=False)
    before = state_of(handling)
    reply = refused(post(client, world.p.staff, handling, "close"), 400, "invalid_transition")
    assert reply["message"] == "当前状态为“办理中”，不能办结。"
    assert state_of(handling) == before

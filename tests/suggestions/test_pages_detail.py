"""The suggestion page: what it shows, and exactly the actions each persona may take now."""

import re
from datetime import date

import pytest
from django.urls import reverse

from renda.suggestions import actions
from renda.suggestions.models import Status, Suggestion
from renda.suggestions.permissions import available_actions
from tests.suggestions.factories import (
    answer_category,
    answer_draft,
    at,
    category,
    frozen,  # noqa: F401  (fixture)
    person,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

PEOPLE = [
    "admin",
    "leader",
    "staff",
    "social_staff",
    "street",
    "deputy",
    "unit",
    "cosigner",
    "co_unit_user",
    "nobody",
]
ACTION = re.compile(r'data-action="([a-z_]+)"')


def detail(client, user, s):
    client.force_login(user)
    return client.get(reverse("suggestions:detail", args=[s.pk]))


def shown_actions(response) -> set[str]:
    return set(ACTION.findall(response.content.decode()))


@pytest.mark.parametrize("status", Status.values)
def test_each_persona_sees_exactly_the_actions_it_may_take(client, world, status):
    s = world.in_state(status, cosign=status not in ("merged",))
    seen_by = set()
    for name in PEOPLE:
        user = person(world, name)
        response = detail(client, user, s)
        if name == "nobody":  # no role at all: refused before the suggestion is looked up
            assert response.status_code == 403
            continue
        if response.status_code == 404:
            continue
        assert response.status_code == 200, name
        seen_by.add(name)
        allowed = available_actions(user, s, today=date(2026, 3, 2))
        # No attachment yet, so there is nothing to remove.
        assert shown_actions(response) == allowed - {"remove_attachment"}, (name, status)
    # Who may see it at all: the office and leaders once submitted, the lead deputy always,
    # the street by the deputy's street, the co-signer once submitted, units once assigned.
    expected = {"deputy"}
    if status != Status.DRAFT:
        expected |= {"admin", "leader", "staff", "social_staff", "street", "cosigner"}
    if status in ("assigned", "handling", "answered", "follow_up", "closed"):
        expected |= {"unit", "co_unit_user"}
    if status == Status.MERGED:
        expected -= {"cosigner"}  # the merged one was built without a co-signer
    assert seen_by == expected


def test_a_draft_is_seen_only_by_its_deputy(client, world):
    s = world.draft()
    for name in ("admin", "leader", "staff", "street", "unit", "cosigner"):
        assert detail(client, person(world, name), s).status_code == 404, name
    html = detail(client, world.p.deputy, s).content.decode()
    assert f'href="{reverse("suggestions:edit", args=[s.pk])}"' in html
    assert shown_actions(client.get(reverse("suggestions:detail", args=[s.pk]))) == {
        "save_draft",
        "submit",
        "delete_draft",
        "add_attachment",
    }


def test_the_page_shows_signers_units_deadline_answers_ratings_and_the_timeline(client, world):
    s = world.rated(result="not_satisfied", code="B", cosign=True)
    html = detail(client, world.p.staff, s).content.decode()
    assert "关于解决老旧小区停车难的建议" in html and "泉城路街道多个老旧小区停车位严重不足" in html
    assert "李联名" in html and "联名·已确认" in html
    assert "区住房和城乡建设局</strong>（主办）" in html and "区城市管理局</strong>（协办）" in html
    assert "同意主办单位意见，我局负责道路两侧停车泊位施划。" in html  # the co-unit's opinion
    assert "会办意见（期限 2026-04-02）" in html
    assert "泉住建函〔2026〕12号" in html and "签发人 王局长" in html and "B类" in html
    assert "办理态度<strong>满意</strong>，办理结果<strong>不满意</strong>" in html
    assert "停车位仍然不足，未见实际增加。" in html
    assert "已征求联名代表意见" in html
    # Re-handling after 不满意: due one month from the rating, with how it was computed.
    s.refresh_from_db()
    assert s.due_at.isoformat() in html and s.due_explanation in html
    assert "不满意反馈日" in s.due_explanation
    assert "立案，编为第1号" in html and "代表评价：态度满意、结果不满意，重新办理" in html
    answer = s.answers.get()
    assert reverse("suggestions:letter_docx", args=[answer.pk]) in html
    assert reverse("suggestions:letter_pdf", args=[answer.pk]) in html


def test_the_deadline_explains_itself_and_says_when_it_is_provisional(client, world, time_machine):
    # Assigned in November 2026: due in 2027, a year whose holidays nobody has entered yet.
    time_machine.move_to(at(date(2026, 11, 2)), tick=False)
    s = world.assigned()
    html = detail(client, world.p.unit, s).content.decode()
    assert "交办日 2026-11-02" in html
    assert 'id="provisional-note"' in html and "2027 年节假日安排未录入" in html
    time_machine.move_to(at(date(2027, 6, 1)), tick=False)
    html = detail(client, world.p.unit, s).content.decode()
    assert "已逾期" in html


def test_returned_answers_and_corrected_categories_show_what_happened(client, world):
    s = world.answered("B")
    actions.correct_category(
        acting_user=world.p.staff, answer=s.answers.get(), category=answer_category("A")
    )
    html = detail(client, world.p.deputy, s).content.decode()
    assert "A类" in html and "单位原标 B 类，已更正" in html
    actions.return_answer(acting_user=world.p.staff, suggestion=s, reason="未与代表沟通。")
    html = detail(client, world.p.unit, s).content.decode()
    assert "已退回" in html and "退回理由：未与代表沟通。" in html


def test_merged_suggestion_shows_the_main_answer_and_links_each_way(client, world):
    main = world.answered()
    other = actions.save_draft(
        acting_user=world.cosigner,
        deputy=world.cosigner.deputy,
        title="关于增设停车泊位的建议",
        content="建议增设停车泊位。",
        category=category(),
        timing=Suggestion.Timing.DURING_SESSION,
    )
    actions.submit(acting_user=world.cosigner, suggestion=other)
    merged = actions.merge(acting_user=world.p.staff, suggestion=other, into=main)
    # The merged deputy reads the main suggestion's answer under their own number.
    html = detail(client, world.cosigner, merged).content.decode()
    assert 'id="merged-into"' in html and "第1号建议" in html
    assert "经实地调查，已完成小区停车位施划 120 个。" in html
    answer = main.answers.get()
    assert f"{reverse('suggestions:letter_docx', args=[answer.pk])}?suggestion={merged.pk}" in html
    # They follow the main suggestion (it answers them too), so it is linked.
    assert reverse("suggestions:detail", args=[main.pk]) in html
    assert detail(client, world.cosigner, main).status_code == 200
    html = detail(client, world.p.staff, main).content.decode()
    assert f"第{merged.number}号 关于增设停车泊位的建议" in html and "李联名" in html


def test_declined_reason_is_shown_to_the_deputy(client, world):
    s = world.declined()
    html = detail(client, world.p.deputy, s).content.decode()
    assert "不予立案理由" in html and "属于议案范畴。" in html
    assert 'id="no-actions"' in html


def test_detail_query_count_is_bounded(client, world, django_assert_max_num_queries):
    s = world.rated(result="not_satisfied", code="B", cosign=True)
    client.force_login(world.p.staff)
    with django_assert_max_num_queries(35):
        assert client.get(reverse("suggestions:detail", args=[s.pk])).status_code == 200


def test_key_suggestion_shows_its_leader_and_office(client, world):
    s = world.accepted()
    actions.flag_key(
        acting_user=world.p.leader,
        suggestion=s,
        leader=world.p.leader,
        office=world.org.deputy_office,
    )
    html = detail(client, world.p.leader, s).content.decode()
    assert "重点督办" in html and "李主任 · 人事代表工作室" in html
    assert "unflag_key" in shown_actions(detail(client, world.p.leader, s))


def test_answering_twice_in_follow_up_is_offered_to_the_unit(client, world):
    s = world.follow_up()
    assert "answer" in shown_actions(detail(client, world.p.unit, s))
    actions.answer(acting_user=world.p.unit, suggestion=s, draft=answer_draft("A"))
    assert "answer" not in shown_actions(detail(client, world.p.unit, s))
    assert "close" in shown_actions(detail(client, world.p.staff, s))

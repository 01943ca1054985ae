"""The public pages: published, non-confidential suggestions and their current answers, with no
personal data beyond the deputies' names."""

from __future__ import annotations

import pytest
from django.urls import reverse

from renda.suggestions import actions
from renda.suggestions.models import Suggestion
from tests.suggestions.factories import answer_draft, category

pytestmark = pytest.mark.django_db


def publish(world, s: Suggestion) -> Suggestion:
    return actions.publish(acting_user=world.p.staff, suggestion=s)


def detail_url(s: Suggestion) -> str:
    return reverse("suggestions:public_detail", args=[s.term_number, s.session_number, s.number])


def personal_data(world) -> list[str]:
    """What must never reach a public page: phones and id numbers of the deputies, the answering
    unit's contact person and phone, the signing head."""
    lead = world.p.deputy.deputy
    cosigner = world.cosigner.deputy
    draft = answer_draft()
    values = [lead.phone, lead.id_number, cosigner.phone, draft.contact_phone, draft.contact_person]
    assert all(values)
    return [*values, draft.signer]


@pytest.fixture
def published(world):
    """An answered co-signed suggestion, published; it was returned once for redrafting."""
    s = world.opinion_given(cosign=True)
    actions.answer(
        acting_user=world.p.unit,
        suggestion=s,
        draft=answer_draft("C", text="初稿：因资金原因暂缓。"),
    )
    actions.return_answer(acting_user=world.p.staff, suggestion=s, reason="未与代表沟通")
    actions.answer(acting_user=world.p.unit, suggestion=s, draft=answer_draft("B"))
    return publish(world, Suggestion.objects.get(pk=s.pk))


def test_anonymous_reads_the_list(client, published, world):
    response = client.get(reverse("suggestions:public_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert published.title in html and f"第{published.number}号" in html
    assert "城乡建设" in html and "张代表" in html
    assert world.org.unit.name in html and f"{world.org.other_unit.name}（协办）" in html
    assert "已答复" in html
    assert detail_url(published) in html


def test_the_list_leaves_out_unpublished_confidential_and_withdrawn(client, published, world):
    unpublished = world.accepted(title="关于未公开事项的建议")
    confidential = world.accepted(title="关于涉密事项的建议")
    actions.set_confidential(
        acting_user=world.p.staff, suggestion=confidential, confidential=True, reason="涉及个人隐私"
    )
    withdrawn = publish(world, world.accepted(title="关于撤回公开事项的建议"))
    actions.unpublish(acting_user=world.p.staff, suggestion=withdrawn, reason="内容需核实")
    html = client.get(reverse("suggestions:public_list")).content.decode()
    assert published.title in html
    for hidden in (unpublished, confidential, withdrawn):
        assert hidden.title not in html
        assert client.get(detail_url(hidden)).status_code == 404
    assert client.get(reverse("suggestions:public_detail", args=[18, 5, 99])).status_code == 404


def test_a_published_suggestion_made_confidential_disappears(client, published, world):
    actions.set_confidential(
        acting_user=world.p.staff, suggestion=published, confidential=True, reason="涉及商业秘密"
    )
    assert client.get(detail_url(published)).status_code == 404
    assert published.title not in client.get(reverse("suggestions:public_list")).content.decode()


def test_detail_shows_content_and_current_answers_only(client, published, world):
    response = client.get(detail_url(published))
    assert response.status_code == 200
    html = response.content.decode()
    assert published.content in html
    assert "张代表" in html and "李联名" in html  # names of the signers only
    current = answer_draft("B")
    assert current.text in html and "B类" in html and "正在解决或列入计划逐步解决" in html
    assert world.org.unit.name in html
    answered_on = published.answers.get(status="sent").answered_on
    assert f"{answered_on.year}年{answered_on.month}月{answered_on.day}日" in html
    assert "初稿：因资金原因暂缓。" not in html  # returned for redrafting: not in force
    assert "未与代表沟通" not in html  # the office's reason is internal
    assert "提交建议" not in html and "立案，编为" not in html  # no timeline


def test_no_personal_data_on_either_page(client, published, world):
    pages = [
        client.get(reverse("suggestions:public_list")).content.decode(),
        client.get(detail_url(published)).content.decode(),
    ]
    for html in pages:
        for value in personal_data(world):
            assert value not in html
        # Nor the record's internal id in a link.
        assert reverse("suggestions:detail", args=[published.pk]) not in html


def test_filters(client, world):
    parking = publish(world, world.accepted(title="关于增设停车位的建议"))
    school = publish(
        world,
        world.accepted(
            title="关于新建中学的建议",
            content="学位紧张，建议新建一所中学。",
            category=category("教育"),
        ),
    )
    next_session = publish(
        world, world.accepted(title="关于下次会议停车问题的建议", session_number=6)
    )
    url = reverse("suggestions:public_list")

    def titles(**params) -> set[str]:
        html = client.get(url, params).content.decode()
        return {s.title for s in (parking, school, next_session) if s.title in html}

    assert titles() == {parking.title, school.title, next_session.title}
    assert titles(session="18-5") == {parking.title, school.title}
    assert titles(category=category("教育").pk) == {school.title}
    assert titles(q="停车") == {parking.title, next_session.title}
    assert titles(q="学位") == {school.title}  # the content is searched too
    assert titles(session="18-6", q="停车") == {next_session.title}
    assert titles(session="nonsense", category="x") == {
        parking.title,
        school.title,
        next_session.title,
    }
    html = client.get(url).content.decode()
    assert 'value="18-6"' in html and 'value="18-5"' in html


def test_pagination(client, world):
    for n in range(21):
        publish(world, world.accepted(title=f"关于第{n + 1}条道路修缮的建议"))
    url = reverse("suggestions:public_list")
    first = client.get(url).content.decode()
    assert "第 1 / 2 页" in first
    assert "关于第1条道路修缮的建议" in first and "关于第21条道路修缮的建议" not in first
    second = client.get(url, {"page": 2}).content.decode()
    assert "关于第21条道路修缮的建议" in second


def test_list_query_count_is_constant(client, world, django_assert_num_queries):
    publish(world, world.assigned(title="关于一号道路的建议"))
    url = reverse("suggestions:public_list")
    with django_assert_num_queries(6) as few:
        client.get(url, {"q": "道路"})
    for n in range(4):
        publish(world, world.assigned(title=f"关于{n}号道路的建议", category=category("交通")))
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url, {"q": "道路"})
    assert response.context["page"].paginator.count == 5


def test_detail_query_count_is_constant(client, published, world, django_assert_num_queries):
    with django_assert_num_queries(5):
        client.get(detail_url(published))
    s = world.handling(separate=True, cosign=True)
    for user in (world.p.unit, world.co_unit_user):
        actions.answer(acting_user=user, suggestion=s, draft=answer_draft("A"))
    s = publish(world, Suggestion.objects.get(pk=s.pk))
    with django_assert_num_queries(5):
        response = client.get(detail_url(s))
    assert len(response.context["answers"]) == 2


def test_logged_in_users_read_the_same_pages(client, published, world):
    client.force_login(world.p.unit)
    assert client.get(detail_url(published)).status_code == 200
    assert client.get(reverse("suggestions:public_list")).status_code == 200

"""The 交办会 page: a session's accepted suggestions assigned in one submit, all or none."""

from datetime import date

import pytest
from django.urls import reverse

from renda.suggestions.models import Status, Suggestion
from tests.core.factories import UnitFactory
from tests.suggestions.factories import (
    frozen,  # noqa: F401  (fixture)
    reload,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

BATCH = reverse("suggestions:assign_batch")


def row(s: Suggestion, **fields) -> dict:
    return {f"s{s.pk}-{name}": value for name, value in fields.items()}


def statuses(*rows) -> list[str]:
    return [reload(s).status for s in rows]


def test_the_page_lists_the_sessions_accepted_suggestions(client, world):
    first, second = world.accepted(), world.accepted(title="关于增设公交站点的建议")
    world.submitted()  # not reviewed yet
    world.accepted(term_number=18, session_number=6)  # another session
    client.force_login(world.p.staff)
    response = client.get(BATCH)
    assert [f.suggestion for f in response.context["forms"]] == [first, second]
    html = response.content.decode()
    assert "第1号" in html and "关于增设公交站点的建议" in html
    assert f'name="s{first.pk}-lead_unit"' in html and "区城市管理局" in html
    other = client.get(BATCH, {"session": "18-6"})
    assert len(other.context["forms"]) == 1


def test_one_submit_assigns_every_included_row(client, world):
    org = world.org
    lead, separate, later = world.accepted(), world.accepted(), world.accepted()
    client.force_login(world.p.staff)
    data = {
        "session": "18-5",
        **row(lead, mode="lead", lead_unit=org.unit.pk, co_units=[org.other_unit.pk]),
        **row(
            separate,
            mode="separate",
            separate_units=[org.unit.pk, org.other_unit.pk],
            is_difficult="on",
        ),
        **row(later, mode=""),  # left for a later meeting
    }
    response = client.post(BATCH, data, follow=True)
    assert "已交办 2 件建议。" in response.content.decode()
    assert response.redirect_chain[0][0] == reverse("suggestions:list") + (
        "?status=assigned&session=18-5"
    )
    assert statuses(lead, separate, later) == [Status.ASSIGNED, Status.ASSIGNED, Status.ACCEPTED]
    lead, separate = reload(lead), reload(separate)
    assert lead.due_at == date(2026, 6, 2) and separate.due_at == date(2026, 9, 2)
    assert sorted(lead.assignments.values_list("role", flat=True)) == ["co", "lead"]
    assert list(separate.assignments.values_list("role", flat=True)) == ["separate", "separate"]


def test_a_wrong_row_is_named_and_nothing_is_assigned(client, world):
    org = world.org
    good, bad, worse = world.accepted(), world.accepted(), world.accepted()
    client.force_login(world.p.staff)
    data = {
        **row(good, mode="lead", lead_unit=org.unit.pk),
        **row(bad, mode="lead"),  # no lead unit
        **row(worse, mode="separate", separate_units=[org.unit.pk]),  # one unit only
    }
    response = client.post(BATCH, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "本批均未交办" in html
    assert f'data-suggestion="{bad.pk}" class="table-danger" data-row-error' in html
    assert f'data-suggestion="{worse.pk}" class="table-danger" data-row-error' in html
    assert f'data-suggestion="{good.pk}">' in html
    assert "请选择主办单位。" in html and "分办至少需要两个承办单位" in html
    assert statuses(good, bad, worse) == [Status.ACCEPTED] * 3


def test_a_refusal_by_the_action_rolls_the_whole_batch_back(client, world):
    org = world.org
    first, second = world.accepted(), world.accepted()
    client.force_login(world.p.staff)
    data = {
        **row(first, mode="lead", lead_unit=org.unit.pk),
        # The same unit twice: only the action sees it, after the first row was assigned.
        **row(
            second, mode="separate", separate_units=[org.unit.pk, org.unit.pk, org.other_unit.pk]
        ),
    }
    response = client.post(BATCH, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "第2号 关于解决老旧小区停车难的建议：同一单位不能重复交办。（本批均未交办）" in html
    assert statuses(first, second) == [Status.ACCEPTED, Status.ACCEPTED]
    assert not first.assignments.exists()


def test_nothing_chosen_is_refused(client, world):
    s = world.accepted()
    client.force_login(world.p.staff)
    response = client.post(BATCH, row(s, mode=""))
    assert response.status_code == 400
    assert "请至少为一件建议选择办理方式。" in response.content.decode()


def test_only_active_units_are_offered(client, world):
    world.accepted()
    UnitFactory(name="区已撤销局", is_active=False)
    client.force_login(world.p.staff)
    assert "区已撤销局" not in client.get(BATCH).content.decode()


def test_only_the_assigning_office_holds_the_meeting(client, world):
    s = world.accepted()
    data = row(s, mode="lead", lead_unit=world.org.unit.pk)
    client.force_login(world.p.social_staff)
    response = client.post(BATCH, data)
    assert (
        response.status_code == 403
        and "只有代表工作机构可以交办建议。" in response.content.decode()
    )
    for user in (world.p.leader, world.p.unit, world.p.deputy):
        client.force_login(user)
        assert client.post(BATCH, data).status_code == 403
    assert reload(s).status == Status.ACCEPTED


def test_batch_page_query_count_does_not_grow_with_rows(client, world, django_assert_num_queries):
    for _ in range(3):
        world.accepted()
    client.force_login(world.p.staff)
    with django_assert_num_queries(10) as few:
        client.get(BATCH)
    for _ in range(20):
        world.accepted()
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(BATCH)
    assert len(response.context["forms"]) == 23

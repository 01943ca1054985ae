"""Deputy groups: every action allowed and refused (wrong role, other street, duplicate name, a
group in use, a move that would strand its members), refusals changing nothing; the list by
street with its counts in constant queries; the pages and the API.

The personas' street (泉城路街道) has org.group, whose one member is 张代表 (a current district
mandate of that street)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from renda.core.errors import NotAllowed
from renda.core.models import TimelineEvent
from renda.deputies import actions_groups as actions
from renda.deputies.actions_groups import GroupFields
from renda.deputies.models import Group, Level, Mandate
from renda.deputies.queries_groups import group_actions, group_list
from tests.deputies.factories import DeputyFactory, MandateFactory
from tests.plans.factories import Mark, refused
from tests.suggestions.matrix_api import field_messages, send
from tests.suggestions.matrix_api import refused as api_refused

pytestmark = pytest.mark.django_db
BASE = "/api/v1/deputies/groups"
NOT_KEEPER = "只有系统管理员、代表工作机构和小组所在街道的人大工委可以进行此操作。"
NOT_ADDER = "只有系统管理员、代表工作机构和街道人大工委可以设立代表小组。"


def fields(**overrides) -> GroupFields:
    return GroupFields(
        **{"name": "芙蓉社区代表小组", "street": None, "sort_order": 100, **overrides}
    )


def other_group(org, **overrides) -> Group:
    values = {"name": "大明湖街道代表小组", "street": org.other_street, "term_number": 18}
    return Group.objects.create(**{**values, **overrides})


def member(group, street, *, level=Level.DISTRICT, ended: bool = False, name=None) -> Mandate:
    deputy = DeputyFactory(full_name=name) if name else DeputyFactory()
    extra = {"ended_on": date(2025, 6, 30), "end_reason": "resigned"} if ended else {}
    return MandateFactory(deputy=deputy, street=street, group=group, level=level, **extra)


def events_of(group) -> list[str]:
    return [e.summary for e in TimelineEvent.objects.for_object(group).order_by("id")]


# ---------------------------------------------------------------------------------------------
# Adding


def test_roster_keeper_adds_a_group_of_any_street_in_the_current_term(org, personas):
    group = actions.add_group(
        acting_user=personas.staff, values=fields(street=org.other_street, sort_order=3)
    )
    assert (group.term_number, group.street, group.sort_order) == (18, org.other_street, 3)
    assert events_of(group) == ["设立代表小组：芙蓉社区代表小组（第18届，大明湖街道）"]
    # The next term's groups may be prepared before it begins; without a street too.
    nxt = actions.add_group(acting_user=personas.admin, values=fields(), term_number=19)
    assert (nxt.term_number, nxt.street) == (19, None)


def test_street_committee_adds_a_group_of_its_own_street_only(org, personas):
    group = actions.add_group(acting_user=personas.street, values=fields(street=org.street))
    assert group.street == org.street and len(events_of(group)) == 1
    count = Group.objects.count()
    error = refused(
        org.group,
        lambda: actions.add_group(
            acting_user=personas.street, values=fields(name="别处小组", street=org.other_street)
        ),
        "只能选择本街道。",
    )
    assert error.field_errors == {"street": "只能选择本街道"}
    refused(
        org.group,
        lambda: actions.add_group(acting_user=personas.street, values=fields(name="无街道小组")),
        "请选择本街道。",
    )
    assert Group.objects.count() == count


@pytest.mark.parametrize("role", ["leader", "social_staff", "deputy", "unit", "nobody"])
def test_other_roles_may_not_add_a_group(org, personas, role):
    count = Group.objects.count()
    refused(
        org.group,
        lambda: actions.add_group(acting_user=getattr(personas, role), values=fields()),
        NOT_ADDER,
        NotAllowed,
    )
    assert Group.objects.count() == count


def test_add_refuses_duplicate_names_bad_terms_and_bad_input(org, personas):
    count = Group.objects.count()
    error = refused(
        org.group,
        lambda: actions.add_group(
            acting_user=personas.staff, values=fields(name=" 泉城路街道代表小组 ")
        ),
        "第18届已有名为“泉城路街道代表小组”的代表小组。",
    )
    assert error.field_errors == {"name": "第18届已有名为“泉城路街道代表小组”的代表小组"}
    refused(
        org.group,
        lambda: actions.add_group(acting_user=personas.staff, values=fields(), term_number=20),
        "届次须为 1 到 19 之间的整数。",
    )
    error = refused(
        org.group,
        lambda: actions.add_group(
            acting_user=personas.staff, values=fields(name="  ", sort_order=-1)
        ),
        "2 处填写有误：请填写名称等。",
    )
    assert set(error.field_errors) == {"name", "sort_order"}
    org.other_street.is_active = False
    org.other_street.save()
    refused(
        org.group,
        lambda: actions.add_group(
            acting_user=personas.staff, values=fields(street=org.other_street)
        ),
        "大明湖街道已停用。",
    )
    assert Group.objects.count() == count
    # The same name in another term is another group.
    assert (
        actions.add_group(
            acting_user=personas.staff, values=fields(name="泉城路街道代表小组"), term_number=17
        ).term_number
        == 17
    )


# ---------------------------------------------------------------------------------------------
# Updating


def test_street_committee_renames_and_reorders_its_group(org, personas):
    mark = Mark(org.group)
    group = actions.update_group(
        acting_user=personas.street,
        group=org.group,
        values=fields(name="泉城路第一代表小组", street=org.street, sort_order=1),
    )
    assert (group.name, group.sort_order) == ("泉城路第一代表小组", 1)
    assert mark.event().summary == "修改代表小组：名称、排序（原名“泉城路街道代表小组”）"
    refused(
        org.group,
        lambda: actions.update_group(
            acting_user=personas.street,
            group=org.group,
            values=fields(name="泉城路第一代表小组", street=org.street, sort_order=1),
        ),
        "没有修改任何内容。",
    )


def test_update_refused_to_other_streets_and_other_roles(org, personas):
    theirs = other_group(org)
    same = fields(name="改名", street=org.other_street)
    for user in (personas.street, personas.leader, personas.social_staff, personas.deputy):
        refused(
            theirs,
            lambda user=user: actions.update_group(acting_user=user, group=theirs, values=same),
            NOT_KEEPER,
            NotAllowed,
        )
    # Its own group, but not into another street.
    refused(
        org.group,
        lambda: actions.update_group(
            acting_user=personas.street,
            group=org.group,
            values=fields(name=org.group.name, street=org.other_street),
        ),
        "只能选择本街道。",
    )
    # Nor a name another group of the term has.
    refused(
        org.group,
        lambda: actions.update_group(
            acting_user=personas.staff,
            group=org.group,
            values=fields(name=" 大明湖街道代表小组", street=org.street),
        ),
        "第18届已有名为“大明湖街道代表小组”的代表小组。",
    )


def test_moving_a_group_with_current_members_of_another_street_is_refused(org, personas):
    member(org.group, org.street, name="李代表")
    member(org.group, org.other_street, name="王代表")  # already in the new street
    error = refused(
        org.group,
        lambda: actions.update_group(
            acting_user=personas.staff,
            group=org.group,
            values=fields(name=org.group.name, street=org.other_street),
        ),
        "代表小组“泉城路街道代表小组”有 2 名现任代表（李代表、张代表）所在街道不是大明湖街道，"
        "不能更换街道；请先调整这些代表的代表资格。",
    )
    assert error.code == "members_elsewhere" and set(error.field_errors) == {"street"}


def test_moving_a_group_whose_current_members_agree_is_allowed(org, personas):
    group = other_group(org, name="新编小组", street=org.street)
    member(group, org.other_street)  # current, already of the new street
    member(group, org.street, ended=True)  # a past member stays where they were
    mark = Mark(group)
    moved = actions.update_group(
        acting_user=personas.admin,
        group=group,
        values=fields(name="新编小组", street=org.other_street, sort_order=100),
    )
    assert moved.street == org.other_street
    assert mark.event().summary == "修改代表小组：所在街道（街道：泉城路街道 → 大明湖街道）"


# ---------------------------------------------------------------------------------------------
# Deleting


def test_an_unused_group_is_deleted_and_its_event_kept(org, personas):
    group = actions.add_group(acting_user=personas.street, values=fields(street=org.street))
    pk = group.pk
    actions.delete_group(acting_user=personas.street, group=group)
    assert not Group.objects.filter(pk=pk).exists()
    assert events_of(group)[-1] == "删除代表小组：芙蓉社区代表小组（第18届，泉城路街道）"


def test_a_group_in_use_is_never_deleted(org, personas):
    refused(
        org.group,
        lambda: actions.delete_group(acting_user=personas.staff, group=org.group),
        "代表小组“泉城路街道代表小组”有 1 个代表资格（其中现任 1 个）属于该小组，"
        "不能删除；代表的小组记录须保留。",
    )
    past = other_group(org)
    member(past, org.other_street, ended=True)
    refused(
        past,
        lambda: actions.delete_group(acting_user=personas.admin, group=past),
        "代表小组“大明湖街道代表小组”有 1 个代表资格（其中现任 0 个）属于该小组，"
        "不能删除；代表的小组记录须保留。",
    )


def test_delete_refused_to_other_streets_and_roles(org, personas):
    theirs = other_group(org)
    for user in (personas.street, personas.leader, personas.social_staff, personas.unit):
        refused(
            theirs,
            lambda user=user: actions.delete_group(acting_user=user, group=theirs),
            NOT_KEEPER,
            NotAllowed,
        )
    assert Group.objects.filter(pk=theirs.pk).exists()


# ---------------------------------------------------------------------------------------------
# Reading


def test_group_list_counts_current_members_by_level_and_scopes_streets(org, personas):
    member(org.group, org.street)
    member(org.group, org.street, level=Level.MUNICIPAL)
    member(org.group, org.street, ended=True)  # a past member is not counted
    theirs = other_group(org)
    other_group(org, name="第十七届小组", term_number=17)  # another term
    rows = list(group_list(personas.leader))
    assert [g.name for g in rows] == ["泉城路街道代表小组", "大明湖街道代表小组"]
    ours = rows[0]
    assert (ours.district_count, ours.municipal_count, ours.provincial_count) == (2, 1, 0)
    assert [g.pk for g in group_list(personas.street)] == [org.group.pk]
    assert list(group_list(personas.deputy)) == []
    assert [g.name for g in group_list(personas.staff, 17)] == ["第十七届小组"]
    # Who may do what: keepers edit; delete only a group no mandate ever belonged to.
    assert group_actions(personas.street, ours) == {"update_group"}
    assert group_actions(personas.staff, rows[1]) == {"update_group", "delete_group"}
    assert group_actions(personas.street, rows[1]) == set()
    assert group_actions(personas.leader, ours) == set()
    assert theirs.pk == rows[1].pk


# ---------------------------------------------------------------------------------------------
# Pages


def _more_groups(org, n):
    for i in range(n):
        group = other_group(org, name=f"第{i}组", street=org.street if i % 2 else org.other_street)
        member(group, group.street)
        member(group, group.street, level=Level.PROVINCIAL)


def test_group_page_lists_by_street_in_constant_queries(
    client, org, personas, django_assert_num_queries
):
    other_group(org)
    url = reverse("deputies:groups")
    client.force_login(personas.staff)
    client.get(url)  # warm the per-process caches
    with django_assert_num_queries(9) as few:
        response = client.get(url)
    html = response.content.decode()
    row = html.split(f'data-group="{org.group.pk}"')[1].split("</tr>")[0]
    assert f'href="{reverse("deputies:list")}?group={org.group.pk}"' in row
    assert '<td class="text-end" data-count="district">1</td>' in row
    assert reverse("deputies:update_group", args=[org.group.pk]) in row
    assert reverse("deputies:delete_group", args=[org.group.pk]) not in row  # in use
    assert html.index("泉城路街道</h2>") < html.index("大明湖街道</h2>")
    _more_groups(org, 6)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count('data-group="') == 8


def test_group_link_opens_the_roster_of_that_group(client, org, personas):
    member(org.group, org.other_street, name="赵代表", ended=True)
    client.force_login(personas.leader)
    html = client.get(f"{reverse('deputies:list')}?group={org.group.pk}").content.decode()
    assert "张代表" in html and "赵代表" not in html


def test_street_sees_its_own_groups_and_no_actions_on_others(client, org, personas):
    theirs = other_group(org)
    client.force_login(personas.street)
    html = client.get(reverse("deputies:groups")).content.decode()
    assert f'data-group="{org.group.pk}"' in html and f'data-group="{theirs.pk}"' not in html
    assert 'id="add-group"' in html
    assert client.get(reverse("deputies:update_group", args=[theirs.pk])).status_code == 404
    client.force_login(personas.leader)
    html = client.get(reverse("deputies:groups")).content.decode()
    assert (
        f'data-group="{theirs.pk}"' in html and "add-group" not in html and "修改</a>" not in html
    )


def test_add_page_creates_or_shows_errors(client, org, personas):
    client.force_login(personas.street)
    url = reverse("deputies:add_group")
    data = {
        "name": "泉城路街道代表小组",
        "street": org.street.pk,
        "sort_order": 5,
        "term_number": 18,
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "第18届已有名为“泉城路街道代表小组”的代表小组" in response.content.decode()
    assert Group.objects.count() == 1
    response = client.post(url, {**data, "name": "芙蓉代表小组"})
    assert response.status_code == 302 and response["Location"].endswith("?term=18")
    assert Group.objects.get(name="芙蓉代表小组").street == org.street
    client.force_login(personas.leader)
    assert client.get(url).status_code == 403


def test_update_page_saves_or_refuses_the_move(client, org, personas):
    client.force_login(personas.staff)
    url = reverse("deputies:update_group", args=[org.group.pk])
    assert 'value="泉城路街道代表小组"' in client.get(url).content.decode()
    data = {"name": org.group.name, "street": org.other_street.pk, "sort_order": 100}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "所在街道不是大明湖街道" in response.content.decode()
    assert Group.objects.get(pk=org.group.pk).street == org.street
    response = client.post(url, {**data, "street": org.street.pk, "sort_order": 2})
    assert response.status_code == 302
    assert Group.objects.get(pk=org.group.pk).sort_order == 2


def test_delete_page_only_for_a_group_never_used(client, org, personas):
    client.force_login(personas.street)
    url = reverse("deputies:delete_group", args=[org.group.pk])
    response = client.get(url)
    assert response.status_code == 403 and "不能进行此操作" in response.content.decode()
    response = client.post(url)
    assert response.status_code == 400 and "不能删除" in response.content.decode()
    assert Group.objects.filter(pk=org.group.pk).exists()
    spare = other_group(org, name="备用小组", street=org.street)
    url = reverse("deputies:delete_group", args=[spare.pk])
    assert "删除后不能恢复" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not Group.objects.filter(pk=spare.pk).exists()


def test_hub_links_to_groups(client, personas):
    client.force_login(personas.leader)
    html = client.get(reverse("deputies:index")).content.decode()
    assert f'href="{reverse("deputies:groups")}"' in html


# ---------------------------------------------------------------------------------------------
# API


def test_api_crud(client, org, personas):
    body = {"name": "芙蓉代表小组", "street_id": org.street.pk, "sort_order": 3}
    response = send(client, personas.street, "POST", f"{BASE}/", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["term_number"] == 18 and created["street"] == "泉城路街道"
    assert created["members"] == 0 and created["actions"] == ["delete_group", "update_group"]
    pk = created["id"]
    response = send(client, personas.street, "PUT", f"{BASE}/{pk}", {**body, "name": "芙蓉小组"})
    assert response.status_code == 200 and response.json()["name"] == "芙蓉小组"
    listed = send(client, personas.leader, "GET", f"{BASE}/").json()
    ours = next(g for g in listed if g["id"] == org.group.pk)
    assert ours["members"] == 1 and ours["by_level"]["district"] == 1 and ours["actions"] == []
    assert send(client, personas.street, "DELETE", f"{BASE}/{pk}").status_code == 204
    assert not Group.objects.filter(pk=pk).exists()


def test_api_refusals_in_one_shape_change_nothing(client, org, personas):
    theirs = other_group(org)
    before = list(Group.objects.order_by("id").values())
    body = {"name": "泉城路街道代表小组", "street_id": org.street.pk}
    error = api_refused(send(client, personas.staff, "POST", f"{BASE}/", body), 400, "invalid")
    assert field_messages(error) == {"name": "第18届已有名为“泉城路街道代表小组”的代表小组"}
    moved = {"name": org.group.name, "street_id": org.other_street.pk}
    error = api_refused(
        send(client, personas.staff, "PUT", f"{BASE}/{org.group.pk}", moved),
        400,
        "members_elsewhere",
    )
    assert set(field_messages(error)) == {"street_id"}
    api_refused(send(client, personas.staff, "DELETE", f"{BASE}/{org.group.pk}"), 400, "in_use")
    api_refused(
        send(client, personas.social_staff, "DELETE", f"{BASE}/{theirs.pk}"), 403, "not_allowed"
    )
    assert send(client, personas.street, "DELETE", f"{BASE}/{theirs.pk}").status_code == 404
    api_refused(send(client, personas.leader, "POST", f"{BASE}/", body), 403, "forbidden")
    error = api_refused(
        send(client, personas.street, "POST", f"{BASE}/", {"name": "X", "street_id": 99999}),
        400,
        "invalid",
    )
    assert field_messages(error) == {"street_id": "没有该街道"}
    assert list(Group.objects.order_by("id").values()) == before


def test_api_list_in_constant_queries(client, org, personas, django_assert_num_queries):
    client.force_login(personas.admin)
    client.get(f"{BASE}/")
    with django_assert_num_queries(5) as few:
        assert len(client.get(f"{BASE}/").json()) == 1
    _more_groups(org, 5)
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(client.get(f"{BASE}/").json()) == 6
    assert client.get(f"{BASE}/?term=17").json() == []

"""The list of suggestions: who sees which, every filter, keyword search, sorting, paging, the
Excel export of exactly what is shown, and a query count independent of the rows."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from renda.suggestions import actions
from renda.suggestions.models import Suggestion
from renda.suggestions.presenters import LIST_HEADERS
from tests.core.factories import StreetFactory
from tests.deputies.factories import DeputyFactory, MandateFactory
from tests.suggestions.factories import (
    answer_draft,
    category,
    frozen,  # noqa: F401  (fixture)
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

LIST = reverse("suggestions:list")
EXPORT = reverse("suggestions:export")


def listed(client, user, **params) -> list[int]:
    client.force_login(user)
    response = client.get(LIST, params)
    assert response.status_code == 200
    return [s.pk for s, *_ in response.context["rows"]]


def exported(client, user, **params) -> list[list]:
    client.force_login(user)
    response = client.get(EXPORT, params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "代表建议" and rows[1] == LIST_HEADERS
    return rows[2:]


def other_deputy_suggestion(world, *, street=None, **fields):
    """A suggestion of another deputy (of another street), entered by the office."""
    deputy = DeputyFactory(full_name="赵代表")
    MandateFactory(deputy=deputy, street=street or StreetFactory(name="千佛山街道"))
    values = {
        "title": "关于增加学校周边交通设施的建议",
        "content": "建议在学校门口增设过街天桥。",
        "category": category("教育"),
        "timing": Suggestion.Timing.DURING_SESSION,
    }
    values.update(fields)
    s = actions.save_draft(acting_user=world.p.staff, deputy=deputy, **values)
    s = actions.submit(acting_user=world.p.staff, suggestion=s)
    return actions.accept(acting_user=world.p.staff, suggestion=s)


# -- who sees which ---------------------------------------------------------------------------


def test_each_role_lists_only_what_it_may_see(client, world):
    draft = world.draft()
    mine_assigned = world.assigned(co_unit=False)
    other = other_deputy_suggestion(world)
    p = world.p
    assert set(listed(client, p.deputy)) == {draft.pk, mine_assigned.pk}
    assert set(listed(client, p.staff)) == {mine_assigned.pk, other.pk}  # no one else's draft
    assert set(listed(client, p.leader)) == {mine_assigned.pk, other.pk}
    assert set(listed(client, p.street)) == {mine_assigned.pk}  # the deputy of its street
    assert set(listed(client, p.unit)) == {mine_assigned.pk}  # only what is assigned to it
    assert listed(client, world.co_unit_user) == []  # not assigned to the other unit
    assert listed(client, world.cosigner) == []


def test_the_list_shows_number_title_deputy_units_state_and_deadline(client, world):
    s = world.assigned()
    client.force_login(world.p.staff)
    html = client.get(LIST).content.decode()
    assert "第1号" in html and "关于解决老旧小区停车难的建议" in html and "张代表" in html
    assert "区住房和城乡建设局" in html and "（主办）" in html and "区城市管理局" in html
    assert "待签收" in html and s.due_at.isoformat() in html
    assert "data-overdue" not in html


# -- filters ---------------------------------------------------------------------------------


def test_filters_by_state_category_unit_session_deputy_and_street(client, world):
    handling = world.handling(co_unit=False)
    other = other_deputy_suggestion(world, street=world.org.other_street)
    next_session = world.accepted(term_number=18, session_number=6)
    staff = world.p.staff
    assert listed(client, staff, status="handling") == [handling.pk]
    assert set(listed(client, staff, status="accepted")) == {other.pk, next_session.pk}
    assert listed(client, staff, category=category("教育").pk) == [other.pk]
    assert listed(client, staff, unit=world.org.unit.pk) == [handling.pk]
    assert listed(client, staff, unit=world.org.other_unit.pk) == []
    assert set(listed(client, staff, session="18-5")) == {handling.pk, other.pk}
    assert listed(client, staff, session="18-6") == [next_session.pk]
    assert set(listed(client, staff, deputy=world.p.deputy.deputy.pk)) == {
        handling.pk,
        next_session.pk,
    }
    assert listed(client, staff, street=world.org.other_street.pk) == [other.pk]
    # Malformed values are ignored rather than failing.
    assert len(listed(client, staff, status="nonsense", unit="x", session="a-b")) == 3


def test_deputy_filter_includes_co_signed_suggestions(client, world):
    s = world.accepted(cosign=True)
    world.accepted()
    assert listed(client, world.p.staff, deputy=world.cosigner.deputy.pk) == [s.pk]


def test_keyword_search_finds_two_character_words_in_title_or_content(client, world):
    parking = world.accepted()  # 停车 in the title and content
    school = other_deputy_suggestion(world)  # 学校 in the title, nothing on 教育
    education = other_deputy_suggestion(
        world, title="关于加强社区养老服务的建议", content="推进老年教育进社区，办好老年大学。"
    )
    staff = world.p.staff
    assert listed(client, staff, q="停车") == [parking.pk]
    assert listed(client, staff, q="教育") == [education.pk]  # inside 老年教育, in the content
    assert listed(client, staff, q="学校") == [school.pk]
    assert listed(client, staff, q="老年 大学") == [education.pk]  # every word must appear
    assert listed(client, staff, q="老年 停车") == []


def test_overdue_key_and_escalated_filters_match_the_home_panel_links(client, world):
    with actions.as_of(date(2025, 10, 8)):
        late = world.assigned(co_unit=False)
    on_time = world.assigned(co_unit=False)
    key = world.accepted()
    actions.flag_key(
        acting_user=world.p.leader,
        suggestion=key,
        leader=world.p.leader,
        office=world.org.deputy_office,
    )
    escalated = world.rated(result="not_satisfied")
    actions.answer(acting_user=world.p.unit, suggestion=escalated, draft=answer_draft("A"))
    actions.rate(
        acting_user=world.p.deputy,
        suggestion=escalated,
        attitude="not_satisfied",
        result="not_satisfied",
        comment="仍未解决。",
    )
    leader = world.p.leader
    assert listed(client, leader, overdue="1") == [late.pk]
    assert listed(client, world.p.unit, overdue="1") == [late.pk]
    assert listed(client, leader, key="1") == [key.pk]
    assert listed(client, leader, escalated="1") == [escalated.pk]
    assert on_time.pk in listed(client, leader)
    client.force_login(leader)
    html = client.get(LIST, {"overdue": "1"}).content.decode()
    assert "data-overdue" in html and "逾期" in html
    # The home page panels link to these filtered lists.
    home = client.get(reverse("home")).content.decode()
    assert f'href="{LIST}?overdue=1"' in home and f'href="{LIST}?key=1"' in home
    assert f'href="{LIST}?escalated=1"' in home


def test_sorts_by_deadline_by_default_then_number_and_newest(client, world):
    with actions.as_of(date(2026, 1, 5)):
        early = world.assigned(co_unit=False)
    late = world.assigned(co_unit=False)
    unassigned = world.accepted()
    staff = world.p.staff
    assert listed(client, staff) == [early.pk, late.pk, unassigned.pk]  # no deadline: last
    assert listed(client, staff, sort="-created") == [unassigned.pk, late.pk, early.pk]
    assert listed(client, staff, sort="number") == [early.pk, late.pk, unassigned.pk]


# -- paging, export, query counts --------------------------------------------------------------


def make_accepted(world, count: int, **fields) -> list[Suggestion]:
    return [world.accepted(title=f"关于第{i}条道路停车问题的建议", **fields) for i in range(count)]


def test_pages_hold_thirty_and_keep_the_filters(client, world):
    make_accepted(world, 32)
    world.draft(title="草稿不在列表里")
    client.force_login(world.p.staff)
    response = client.get(LIST, {"q": "停车", "status": "accepted"})
    assert response.context["page"].paginator.count == 32
    assert len(response.context["rows"]) == 30
    html = response.content.decode()
    assert "q=%E5%81%9C%E8%BD%A6&amp;status=accepted&amp;page=2" in html
    second = client.get(LIST, {"q": "停车", "status": "accepted", "page": 2})
    assert len(second.context["rows"]) == 2


def test_export_is_exactly_the_filtered_rows_of_every_page(client, world):
    make_accepted(world, 31)
    assigned = world.assigned()
    other_deputy_suggestion(world)  # filtered out by the keyword
    params = {"q": "停车", "sort": "number"}
    client.force_login(world.p.staff)
    shown = []
    for page in (1, 2):
        response = client.get(LIST, {**params, "page": page})
        shown += [s.pk for s, *_ in response.context["rows"]]
    rows = exported(client, world.p.staff, **params)
    assert len(rows) == len(shown) == 32
    numbers = list(Suggestion.objects.filter(pk__in=shown).values_list("pk", "number"))
    by_pk = dict(numbers)
    assert [r[1] for r in rows] == [by_pk[pk] for pk in shown]
    last = rows[-1]
    assert last[:4] == ["18届5次", 32, "关于解决老旧小区停车难的建议", "张代表"]
    assert last[5] == "区住房和城乡建设局（主办）、区城市管理局（协办）"
    assert last[6] == "待签收" and last[7] == assigned.due_at.isoformat() and last[8] in ("", None)


def test_export_respects_visibility(client, world):
    world.assigned(co_unit=False)
    other_deputy_suggestion(world)
    assert len(exported(client, world.p.staff)) == 2
    assert len(exported(client, world.p.unit)) == 1
    assert exported(client, world.co_unit_user) == []


def test_list_query_count_does_not_grow_with_rows(client, world, django_assert_num_queries):
    def build(count):
        for _ in range(count):
            world.handling()

    build(3)
    client.force_login(world.p.staff)
    with django_assert_num_queries(14) as few:
        response = client.get(LIST)
    assert len(response.context["rows"]) == 3
    build(27)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(LIST)
    assert len(response.context["rows"]) == 30


def test_unit_list_query_count_does_not_grow_with_rows(client, world, django_assert_num_queries):
    for _ in range(3):
        world.assigned()
    client.force_login(world.p.unit)
    with django_assert_num_queries(11) as few:
        assert len(client.get(LIST, {"q": "停车"}).context["rows"]) == 3
    for _ in range(27):
        world.assigned()
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(LIST, {"q": "停车"})
    assert len(response.context["rows"]) == 30


def test_export_query_count_does_not_grow_with_rows(client, world, django_assert_num_queries):
    for _ in range(3):
        world.assigned()
    client.force_login(world.p.staff)
    # Session, user, roles, the count that decides request or worker, the rows, the units.
    with django_assert_num_queries(6) as few:
        client.get(EXPORT)
    for _ in range(27):
        world.assigned()
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(EXPORT)
    assert len(list(load_workbook(BytesIO(response.content)).active.iter_rows())) == 2 + 30

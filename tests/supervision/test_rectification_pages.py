"""Rectification pages: the list (who sees what, filters, paging, the overdue badge, a constant
number of queries), its Excel export, the item page (facts, reports, proof, timeline, only the
allowed moves), one page per move, the evidence download, the dashboard and the home panels."""

from datetime import date
from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse

from renda.supervision.actions import rectification as actions
from renda.supervision.home import supervision_panels
from renda.supervision.models import Rectification, RectificationEvidence
from tests.plans.factories import APRIL, at
from tests.supervision.factories import pdf
from tests.supervision.rect_factories import rect_fixture  # noqa: F401  (the `rect` fixture)

pytestmark = pytest.mark.django_db
LIST = reverse("supervision:rectifications")
EXPORT = reverse("supervision:rectifications_export")
DASHBOARD = reverse("supervision:rectification_dashboard")
TODAY = date(2026, 5, 15)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(at(APRIL), tick=False)


def later(time_machine, day: date = TODAY) -> None:
    time_machine.move_to(at(day), tick=False)


@pytest.fixture
def items(rect, supervision, time_machine):
    """Opened on 04-01. Ours (区住建局): an opinion item due 04-30 (overdue by 05-15), a problem
    item in progress due 07-01, an inquiry item asking to close; the other unit's item; one
    verified. Today is 05-15."""
    org = supervision.org
    made = {
        "late": rect.open("opinion", title="老旧小区加装电梯推进缓慢", due_on=date(2026, 4, 30)),
        "working": rect.in_progress(source="problem", title="建筑工地扬尘治理不到位"),
        "asking": rect.submitted(source="inquiry", title="占道经营整治"),
        "other": rect.open("opinion", unit=org.other_unit, title="城市道路破损修复"),
        "done": rect.verified(source="problem", title="安全生产培训不足"),
    }
    later(time_machine)
    return made


def listed(client, user, **params) -> list[int]:
    client.force_login(user)
    response = client.get(LIST, params)
    assert response.status_code == 200
    return [item.pk for item in response.context["page"].object_list]


def keys(items, *names) -> list[int]:
    return [items[n].pk for n in names]


# ---------------------------------------------------------------------------------------------
# The list


def test_the_organ_sees_every_item_by_deadline_and_a_unit_only_its_own(client, supervision, items):
    p = supervision.p
    every = sorted(items.values(), key=lambda i: (i.due_on, i.pk))
    for user in (p.admin, p.leader, p.staff, p.social_staff):
        assert listed(client, user) == [i.pk for i in every]
    assert set(listed(client, p.unit)) == set(keys(items, "late", "working", "asking", "done"))
    assert listed(client, supervision.other_unit_user) == keys(items, "other")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "in_progress"}, ["working"]),
        ({"status": "todo"}, ["late", "working", "other"]),
        ({"status": "open"}, ["late", "working", "asking", "other"]),
        ({"status": "verified"}, ["done"]),
        ({"source": "inquiry"}, ["asking"]),
        ({"overdue": "1"}, ["late"]),
        ({"q": "电梯"}, ["late"]),
        ({"q": "第4项问题"}, ["other"]),  # the description is searched too
        ({"due_before": "2026-04-30"}, ["late"]),
        ({"due_after": "2026-05-01", "source": "opinion"}, ["other"]),
        ({"status": "nonsense", "due_after": "x", "unit": "y"}, None),  # ignored, not refused
    ],
)
def test_filters(client, supervision, items, params, expected):
    rows = set(listed(client, supervision.p.leader, **params))
    assert rows == (set(keys(items, *expected)) if expected else {i.pk for i in items.values()})


def test_unit_and_office_filters(client, supervision, items, org):
    leader = supervision.p.leader
    assert set(listed(client, leader, unit=org.other_unit.pk)) == set(keys(items, "other"))
    assert listed(client, leader, office=org.deputy_office.pk) == []
    assert len(listed(client, leader, office=org.social_office.pk)) == 5


def test_the_overdue_badge(client, supervision, items):
    client.force_login(supervision.p.unit)
    html = client.get(LIST).content.decode()
    row = html.split(f'data-rectification="{items["late"].pk}"')[1].split("</tr>")[0]
    assert "data-overdue" in row and "2026-04-30" in row
    for name in ("working", "asking", "done"):
        row = html.split(f'data-rectification="{items[name].pk}"')[1].split("</tr>")[0]
        assert "data-overdue" not in row


def test_list_query_count_does_not_grow_with_rows(
    client, rect, supervision, django_assert_num_queries
):
    client.force_login(supervision.p.leader)
    rect.open()
    with django_assert_num_queries(9):
        assert client.get(LIST).status_code == 200
    for source in ("opinion", "problem", "inquiry", "opinion", "problem"):
        rect.in_progress(source=source)
    rect.submitted(source="inquiry")
    with django_assert_num_queries(9):
        assert client.get(LIST).status_code == 200


def test_the_list_pages(client, rect, supervision):
    for _ in range(31):
        rect.open()
    client.force_login(supervision.p.unit)
    first = client.get(LIST)
    assert first.context["page"].paginator.count == 31 and len(first.context["page"]) == 30
    assert len(client.get(LIST, {"page": 2}).context["page"]) == 1


# ---------------------------------------------------------------------------------------------
# The export


def exported(client, user, **params) -> list[list]:
    client.force_login(user)
    response = client.get(EXPORT, params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(min_row=3, values_only=True)]


def test_the_export_holds_exactly_the_filtered_rows(client, supervision, items):
    rows = exported(client, supervision.p.leader, status="todo")
    assert [r[1] for r in rows] == [
        "老旧小区加装电梯推进缓慢",
        "建筑工地扬尘治理不到位",
        "城市道路破损修复",
    ]
    late = rows[0]
    assert (late[0], late[3], late[4], late[5], late[9], late[10]) == (
        1,
        "审议意见",
        "关于城市管理工作情况报告的审议意见",
        "区住房和城乡建设局",
        "待整改",
        "逾期",
    )
    assert rows[1][4] == "《安全生产法》执法检查" and rows[1][11] == 40
    # A unit exports only its own items, and the page's filters apply.
    assert [r[1] for r in exported(client, supervision.other_unit_user)] == ["城市道路破损修复"]
    assert exported(client, supervision.p.unit, source="opinion", overdue="1")[0][1] == (
        "老旧小区加装电梯推进缓慢"
    )


def test_the_export_link_carries_the_filters(client, supervision, items):
    client.force_login(supervision.p.leader)
    response = client.get(LIST, {"status": "todo", "page": "1"})
    assert response.context["export_url"] == f"{EXPORT}?status=todo"


# ---------------------------------------------------------------------------------------------
# The item page


def detail(client, user, item):
    client.force_login(user)
    return client.get(reverse("supervision:rectification", args=[item.pk]))


def panels(response) -> set[str]:
    return {shown.page.name for shown in response.context["actions"]}


def test_the_item_page_shows_everything(client, supervision, items):
    item = items["asking"]
    response = detail(client, supervision.p.unit, item)
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "占道经营整治",
        "专题询问承诺",
        "城市管理专题询问",
        "占道经营如何治理",
        "区住房和城乡建设局",
        "社会建设工作室",
        "交办日 2026-04-01 + 3 个月 = 2026-07-01",
        "已制定整改方案",
        "已全部整改到位",
        "整改报告.pdf",
        "申请销号",
        'id="timeline"',
    ):
        assert text in html, text
    assert [e.verb for e in response.context["events"]] == ["open", "report", "submit"]


def test_the_item_page_offers_only_the_allowed_moves(client, supervision, items):
    p = supervision.p
    assert panels(detail(client, p.unit, items["working"])) == {
        "report_rectification",
        "submit_rectification",
        "add_rectification_evidence",
    }
    assert panels(detail(client, p.social_staff, items["working"])) == {
        "change_rectification_deadline"
    }
    assert panels(detail(client, p.social_staff, items["asking"])) == {
        "verify_rectification",
        "reject_rectification",
        "change_rectification_deadline",
    }
    assert panels(detail(client, p.unit, items["asking"])) == {"add_rectification_evidence"}
    for user in (p.leader, p.staff):
        response = detail(client, user, items["asking"])
        assert panels(response) == set() and 'id="no-actions"' in response.content.decode()
    assert panels(detail(client, p.admin, items["done"])) == set()


def test_another_units_item_is_not_found(client, supervision, items):
    assert detail(client, supervision.p.unit, items["other"]).status_code == 404
    assert detail(client, supervision.other_unit_user, items["late"]).status_code == 404


def test_the_overdue_item_page_says_so(client, supervision, items):
    html = detail(client, supervision.p.unit, items["late"]).content.decode()
    assert 'id="overdue-badge"' in html
    html = detail(client, supervision.p.unit, items["working"]).content.decode()
    assert 'id="overdue-badge"' not in html


def test_item_page_query_count_does_not_grow_with_reports(
    client, rect, supervision, django_assert_num_queries
):
    item = rect.in_progress()
    client.force_login(supervision.p.unit)
    url = reverse("supervision:rectification", args=[item.pk])
    with django_assert_num_queries(10):
        assert client.get(url).status_code == 200
    for n in range(3):
        actions.report_rectification(
            acting_user=supervision.p.unit, item=item, text=f"第{n}次", percent=50, evidence=[pdf()]
        )
    actions.add_rectification_evidence(acting_user=supervision.p.unit, item=item, files=[pdf()])
    with django_assert_num_queries(10):
        assert client.get(url).status_code == 200


# ---------------------------------------------------------------------------------------------
# The move pages


def move_url(name: str, item) -> str:
    return reverse(f"supervision:{name}", args=[item.pk])


def test_the_unit_reports_with_a_file_from_the_page(client, supervision, items):
    item = items["late"]
    client.force_login(supervision.p.unit)
    response = client.post(
        move_url("report_rectification", item),
        {
            "text": "已完成加装电梯 3 部",
            "percent": "60",
            "evidence": [pdf("照片.pdf")],
            "version": 1,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("supervision:rectification", args=[item.pk])
    item = Rectification.objects.get(pk=item.pk)
    assert (item.status, item.progress) == ("in_progress", 60)
    assert RectificationEvidence.objects.get(rectification=item).name == "照片.pdf"


def test_a_refused_move_re_renders_its_form_with_the_message(client, supervision, items):
    item = items["working"]
    client.force_login(supervision.p.unit)
    response = client.post(move_url("submit_rectification", item), {"result": "已整改"})
    assert response.status_code == 400
    assert "申请销号须上传整改佐证材料" in response.content.decode()
    assert Rectification.objects.get(pk=item.pk).status == "in_progress"
    response = client.post(move_url("report_rectification", item), {"text": "", "percent": "120"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"text", "percent"}


def test_a_stale_form_is_refused_with_409(client, supervision, items):
    item = items["asking"]
    client.force_login(supervision.p.social_staff)
    response = client.post(move_url("verify_rectification", item), {"version": "1"})
    assert response.status_code == 409
    assert "已被他人修改" in response.content.decode()
    assert Rectification.objects.get(pk=item.pk).status == "submitted"


def test_the_office_verifies_and_changes_the_deadline_from_the_pages(client, supervision, items):
    client.force_login(supervision.p.social_staff)
    asking = items["asking"]
    response = client.post(move_url("verify_rectification", asking), {"note": "核查属实"})
    assert response.status_code == 302
    assert Rectification.objects.get(pk=asking.pk).status == "verified"
    late = items["late"]
    response = client.post(
        move_url("change_rectification_deadline", late),
        {"due_on": "2026-08-31", "reason": "资金下半年到位"},
    )
    assert response.status_code == 302
    assert Rectification.objects.get(pk=late.pk).due_on == date(2026, 8, 31)


def test_a_move_page_the_user_may_not_take_now_is_refused(client, supervision, items):
    client.force_login(supervision.p.social_staff)
    response = client.get(move_url("verify_rectification", items["working"]))
    assert response.status_code == 403
    assert "您当前不能进行“审核销号”" in response.content.decode()
    client.force_login(supervision.p.staff)  # another office: allowed in, refused by the action
    response = client.post(move_url("verify_rectification", items["asking"]), {})
    assert response.status_code == 403
    assert "只有督办机构（社会建设工作室）" in response.content.decode()
    client.force_login(supervision.p.unit)
    assert client.get(move_url("verify_rectification", items["asking"])).status_code == 403
    assert client.get(move_url("report_rectification", items["other"])).status_code == 404


# ---------------------------------------------------------------------------------------------
# The evidence download


def test_evidence_is_served_only_to_those_who_see_the_item(client, supervision, items):
    evidence = RectificationEvidence.objects.get(rectification=items["asking"])
    url = reverse("supervision:rectification_evidence", args=[evidence.pk])
    for user in (supervision.p.unit, supervision.p.leader):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
        assert "attachment" in response["Content-Disposition"]
    client.force_login(supervision.other_unit_user)
    assert client.get(url).status_code == 404
    assert client.get(reverse("supervision:rectification_evidence", args=[9999])).status_code == 404


# ---------------------------------------------------------------------------------------------
# The dashboard


def test_the_dashboard_counts_per_unit_and_source(client, supervision, items, org):
    client.force_login(supervision.p.leader)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    rows = {
        row["label"]: {c["key"]: c["count"] for c in row["cells"]}
        for row in response.context["by_unit"]
    }
    assert rows["区住房和城乡建设局"] == {
        "total": 4,
        "open": 3,
        "overdue": 1,
        "due_soon": 0,
        "submitted": 1,
        "verified": 1,
    }
    assert rows["区城市管理局"]["open"] == 1 and rows["区城市管理局"]["overdue"] == 0
    by_source = {
        r["label"]: {c["key"]: c["count"] for c in r["cells"]}
        for r in response.context["by_source"]
    }
    assert by_source["审议意见"]["total"] == 2 and by_source["执法检查发现的问题"]["verified"] == 1
    assert [i.pk for i in response.context["overdue"]] == [items["late"].pk]
    # The units with overdue items come first.
    assert response.context["by_unit"][0]["label"] == "区住房和城乡建设局"


def test_the_dashboard_numbers_click_through_to_the_same_rows(client, supervision, items):
    client.force_login(supervision.p.leader)
    response = client.get(DASHBOARD)
    for row in response.context["by_unit"] + response.context["by_source"]:
        for cell in row["cells"]:
            path, _, query = cell["url"].partition("?")
            shown = client.get(path + "?" + query).context["page"].paginator.count
            assert shown == cell["count"], (row["label"], cell["key"])


def test_the_due_soon_number(client, supervision, rect, time_machine):
    rect.open(due_on=date(2026, 4, 7))
    rect.open(due_on=date(2026, 4, 9))
    client.force_login(supervision.p.leader)
    response = client.get(DASHBOARD)  # today 04-01: 7 days ahead is 04-08
    totals = {c["key"]: c["count"] for c in response.context["totals"]}
    assert (totals["due_soon"], totals["open"]) == (1, 2)


def test_dashboard_query_count_does_not_grow_with_rows(
    client, rect, supervision, org, django_assert_num_queries
):
    client.force_login(supervision.p.leader)
    rect.open(due_on=date(2026, 4, 2))
    with django_assert_num_queries(9):
        assert client.get(DASHBOARD).status_code == 200
    for source in ("problem", "inquiry"):
        rect.open(source=source, due_on=date(2026, 4, 3))
        rect.open(source=source, unit=org.other_unit, due_on=date(2026, 4, 3))
    rect.submitted()
    with django_assert_num_queries(9):
        assert client.get(DASHBOARD + "?x=1").status_code == 200


def test_the_dashboard_is_for_the_organ(client, supervision):
    for user, status in ((supervision.p.unit, 403), (supervision.p.staff, 200)):
        client.force_login(user)
        assert client.get(DASHBOARD).status_code == status


# ---------------------------------------------------------------------------------------------
# The home panels


def home(user) -> dict[str, tuple[str, int, list[str]]]:
    return {
        p.title: (p.kind, p.total, [i.title for i in p.items]) for p in supervision_panels(user)
    }


def test_home_panels_per_role(supervision, items):
    p = supervision.p
    assert home(p.unit) == {
        "整改事项已逾期": ("overdue", 1, ["老旧小区加装电梯推进缓慢"]),
        "待办整改事项": ("waiting", 1, ["建筑工地扬尘治理不到位"]),
    }
    assert home(supervision.other_unit_user) == {
        "待办整改事项": ("waiting", 1, ["城市道路破损修复"])
    }
    assert home(p.social_staff) == {
        "整改事项待销号": ("waiting", 1, ["占道经营整治"]),
        "督办的整改事项已逾期": ("overdue", 1, ["老旧小区加装电梯推进缓慢"]),
    }
    assert home(p.staff) == {}  # another office supervises none of them
    assert (
        home(p.leader)
        == home(p.admin)
        == {"整改事项逾期情况": ("overdue", 1, ["区住房和城乡建设局"])}
    )
    assert home(p.deputy) == home(p.street) == home(p.nobody) == {}


def test_home_panel_links(supervision, items):
    (overdue,) = [p for p in supervision_panels(supervision.p.leader)]
    assert overdue.more_url == DASHBOARD
    assert overdue.items[0].badge == "1 项"
    assert overdue.items[0].url == f"{LIST}?overdue=1&unit={supervision.org.unit.pk}"
    unit_panels = {p.title: p for p in supervision_panels(supervision.p.unit)}
    late = unit_panels["整改事项已逾期"].items[0]
    assert late.url == reverse("supervision:rectification", args=[items["late"].pk])
    assert (late.badge, late.badge_class) == ("04-30", "text-bg-danger")


def test_home_panels_cost_a_bounded_number_of_queries(
    supervision, rect, time_machine, django_assert_max_num_queries
):
    for n in range(4):
        rect.open(due_on=date(2026, 4, 10 + n))
        rect.submitted()
    later(time_machine, date(2026, 4, 20))
    for user in (supervision.p.unit, supervision.p.social_staff, supervision.p.leader):
        user = type(user).objects.get(pk=user.pk)
        with django_assert_max_num_queries(4):
            supervision_panels(user)

import pytest
from django.urls import reverse

from renda.core.home import Panel, PanelItem, _providers, register


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["admin", "leader", "staff", "street", "deputy", "unit"])
def test_home_shows_waiting_and_overdue_for_every_role(
    client, personas, role, django_assert_max_num_queries
):
    client.force_login(personas.by_role()[role])
    # A fixed cost per module that contributes panels (one aggregate each when nothing waits),
    # never per row: suggestions, plans, supervision and deputies' work (one query when nothing
    # waits) on top of the page's own queries.
    with django_assert_max_num_queries(12):
        response = client.get(reverse("home"))
    html = response.content.decode()
    assert "待我办理" in html and "已逾期" in html
    assert "暂无待办事项" in html


@pytest.mark.django_db
def test_navigation_differs_by_role(client, personas):
    client.force_login(personas.unit)
    html = client.get(reverse("home")).content.decode()
    assert "代表名册" not in html and "系统管理" not in html and "组织机构" in html
    client.force_login(personas.admin)
    html = client.get(reverse("home")).content.decode()
    assert "代表名册" in html and "系统管理" in html


@pytest.mark.django_db
def test_deputy_home_shows_their_mandate(client, personas):
    client.force_login(personas.deputy)
    html = client.get(reverse("home")).content.decode()
    assert "我的代表资格" in html and "第18届区人大代表" in html


@pytest.mark.django_db
def test_registered_panels_appear(client, personas):
    def overdue_panel(user):
        return [
            Panel(
                title="逾期建议",
                kind="overdue",
                items=[PanelItem(title="第12号建议", badge="逾期3天")],
                total=1,
            )
        ]

    register(overdue_panel)
    try:
        client.force_login(personas.unit)
        html = client.get(reverse("home")).content.decode()
        assert "逾期建议" in html and "第12号建议" in html and "暂无逾期事项" not in html
    finally:
        _providers.remove(overdue_panel)

from django.urls import reverse

from renda.core.home import Panel, PanelItem
from renda.deputies.models import Mandate


def my_mandates(user) -> list[Panel]:
    if not user.roles.has("deputy"):
        return []
    mandates = Mandate.objects.filter(deputy__user=user, ended_on=None).select_related(
        "deputy", "street", "group"
    )
    items = [
        PanelItem(
            title=f"第{m.term_number}届{m.get_level_display()}",
            url=reverse("deputies:detail", args=[m.deputy_id]),
            note=" · ".join(
                x
                for x in [
                    m.electoral_unit,
                    m.street.name if m.street else "",
                    m.group.name if m.group else "",
                ]
                if x
            ),
        )
        for m in mandates
    ]
    return [
        Panel(
            title="我的代表资格",
            kind="info",
            items=items,
            empty_text="账号尚未关联代表信息，请联系人事代表工作室。",
        )
    ]

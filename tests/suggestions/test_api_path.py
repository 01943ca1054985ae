"""The whole handling of one suggestion through the API alone, every role with its own call."""

import pytest

from renda.core.models import TimelineEvent
from renda.suggestions.models import Suggestion
from tests.suggestions.factories import category
from tests.suggestions.matrix_api import BASE, answer_body, send

pytestmark = pytest.mark.django_db


class Api:
    """Calls as one user at a time; every call must succeed with the expected status."""

    def __init__(self, client):
        self.client = client

    def __call__(self, user, method: str, path: str, body=None, status: int = 200) -> dict:
        response = send(self.client, user, method, f"{BASE}{path}", body)
        assert response.status_code == status, response.content.decode()
        return response.json()


def test_full_path_via_the_api(client, world):
    api = Api(client)
    p, org = world.p, world.org
    draft = {
        "title": "关于解决老旧小区停车难的建议",
        "content": "泉城路街道多个老旧小区停车位严重不足，建议挖潜增设停车位。",
        "category_id": category().pk,
        "timing": "during",
        "cosigner_ids": [world.cosigner.deputy.pk],
    }
    s = api(p.deputy, "POST", "/", draft, status=201)
    sid = s["id"]
    s = api(p.deputy, "POST", f"/{sid}/submit", {"version": s["version"]})
    assert api(world.cosigner, "GET", f"/{sid}")["actions"] == ["reply_cosign"]
    api(world.cosigner, "POST", f"/{sid}/cosign", {"confirm": True})

    s = api(
        p.staff, "POST", f"/{sid}/accept", {"version": api(p.staff, "GET", f"/{sid}")["version"]}
    )
    assert s["number"] == 1
    s = api(
        p.staff,
        "POST",
        f"/{sid}/assign",
        {
            "mode": "lead",
            "lead_unit_id": org.unit.pk,
            "co_unit_ids": [org.other_unit.pk],
            "version": s["version"],
        },
    )
    parts = {a["unit_id"]: a["id"] for a in s["assignments"]}
    api(p.unit, "POST", f"/assignments/{parts[org.unit.pk]}/sign")
    api(world.co_unit_user, "POST", f"/assignments/{parts[org.other_unit.pk]}/sign")
    s = api(
        world.co_unit_user,
        "POST",
        f"/assignments/{parts[org.other_unit.pk]}/opinion",
        {"opinion": "同意主办单位意见，我局负责道路两侧停车泊位施划。"},
    )
    assert s["status"] == "handling"

    first = api(p.unit, "POST", f"/{sid}/answer", answer_body("B"), status=201)
    assert first["category"] == "B"
    rating = {
        "attitude": "satisfied",
        "result": "not_satisfied",
        "comment": "停车位仍然不足，未见实际增加。",
        "cosigners_consulted": True,
    }
    api(p.deputy, "POST", f"/{sid}/rate", rating, status=201)
    s = api(p.deputy, "GET", f"/{sid}")
    assert (s["status"], s["round"]) == ("handling", 2)

    api(p.unit, "POST", f"/{sid}/answer", answer_body("B"), status=201)
    satisfied = {"attitude": "satisfied", "result": "satisfied", "cosigners_consulted": True}
    api(p.deputy, "POST", f"/{sid}/rate", satisfied, status=201)
    s = api(p.staff, "GET", f"/{sid}")
    assert (s["status"], s["status_name"]) == ("follow_up", "跟踪落实")

    solved = api(p.unit, "POST", f"/{sid}/answer", answer_body("A"), status=201)
    assert solved["is_follow_up"] is True
    s = api(
        p.staff,
        "POST",
        f"/{sid}/close",
        {"note": "已落实", "version": api(p.staff, "GET", f"/{sid}")["version"]},
    )
    assert s["status"] == "closed" and s["closed_at"]

    assert [r["result_name"] for r in s["ratings"]] == ["不满意", "满意"]
    assert [(a["round"], a["category"], a["status"]) for a in s["answers"]] == [
        (1, "B", "superseded"),
        (2, "B", "superseded"),
        (3, "A", "sent"),
    ]
    verbs = [e["verb"] for e in api(p.deputy, "GET", f"/{sid}/timeline")]
    assert verbs[:4] == ["draft", "submit", "cosign", "accept"] and verbs[-1] == "close"
    assert len(verbs) == TimelineEvent.objects.for_object(Suggestion(pk=sid)).count()
    assert Suggestion.objects.get(pk=sid).status == "closed"

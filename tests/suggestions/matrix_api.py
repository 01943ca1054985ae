"""Role-matrix entries (see tests/core/test_role_matrix.py for the format) for /api/v1/suggestions.

The matrix calls a builder once per role and once anonymously, so every builder makes a fresh
record in the state its operation needs, through the real actions. `p.calls[-1]` is the role
being tried: drafts are made by that user when it may draft, so the allowed roles succeed."""

from __future__ import annotations

import datetime
import json
import re
from types import SimpleNamespace

from django.utils import timezone

from renda.core.models import Office, Unit
from renda.suggestions import actions
from renda.suggestions.actions import AssignmentPlan
from renda.suggestions.models import AnswerCategory, Suggestion
from tests.api_versions import with_current_version
from tests.core.factories import UserFactory, grant
from tests.deputies.factories import DeputyFactory, MandateFactory
from tests.suggestions.factories import World, answer_draft, category

ALL = {"admin", "leader", "staff", "street", "deputy", "unit"}
DRAFTERS = {"staff", "deputy"}
OFFICE = {"admin", "staff"}
BASE = "/api/v1/suggestions"


def world_of(p) -> World:
    """The `world` fixture's cast for a test that only has the personas (made once per test)."""
    if "_world" not in p.__dict__:
        unit = Unit.objects.get(pk=next(iter(p.unit.roles.unit_ids)))
        other_unit = Unit.objects.exclude(pk=unit.pk).order_by("id").first()
        street_id = next(iter(p.street.roles.street_ids))
        cosigner = UserFactory(username="p_cosigner", full_name="李联名")
        grant(cosigner, "deputy")
        MandateFactory(deputy=DeputyFactory(full_name="李联名", user=cosigner), street_id=street_id)
        co_unit_user = UserFactory(username="p_co_unit", full_name="城管局联络员")
        grant(co_unit_user, "unit", unit=other_unit)
        org = SimpleNamespace(unit=unit, other_unit=other_unit)
        p._world = World(p=p, org=org, cosigner=cosigner, co_unit_user=co_unit_user)
    return p._world


def _role(p) -> str:
    calls = getattr(p, "calls", None)
    return calls[-1] if calls else "deputy"


def drafter(p):
    """The user trying the operation when it may draft; otherwise the lead deputy."""
    role = _role(p)
    return getattr(p, role) if role in DRAFTERS else p.deputy


def draft_body(p, **overrides) -> dict:
    body = {
        "deputy_id": p.deputy.deputy.pk,
        "title": "关于增设社区养老服务站的建议",
        "content": "辖区老年人口多，建议在泉城路街道增设社区养老服务站。",
        "category_id": category("社会保障").pk,
        "timing": "between",
    }
    body.update(overrides)
    return body


def own_draft(p) -> Suggestion:
    return actions.save_draft(
        acting_user=drafter(p),
        deputy=p.deputy.deputy,
        title="关于增设公交站点的建议",
        content="建议在大明湖路增设公交站点，方便居民出行。",
        category=category("交通"),
        timing=Suggestion.Timing.BETWEEN_SESSIONS,
    )


def own_submitted(p) -> Suggestion:
    return actions.submit(acting_user=drafter(p), suggestion=own_draft(p))


def invited_to_cosign(p) -> Suggestion:
    """Submitted by another deputy with the persona deputy invited as co-signer."""
    w = world_of(p)
    s = actions.save_draft(
        acting_user=w.cosigner,
        deputy=w.cosigner.deputy,
        title="关于改造背街小巷的建议",
        content="背街小巷路面破损，建议列入改造计划。",
        category=category(),
        timing=Suggestion.Timing.BETWEEN_SESSIONS,
        cosigners=[p.deputy.deputy],
    )
    return actions.submit(acting_user=w.cosigner, suggestion=s)


def lead_only(p) -> Suggestion:
    return world_of(p).assigned(co_unit=False)


def handling(p) -> Suggestion:
    return world_of(p).handling(co_unit=False)


def unit_as_co(p):
    """The persona unit is the co-unit and has signed; the lead has signed too (handling)."""
    w = world_of(p)
    s = w.accepted()
    plan = AssignmentPlan(
        mode=Suggestion.Mode.LEAD, lead_unit=w.org.other_unit, co_units=(w.org.unit,)
    )
    actions.assign(acting_user=p.staff, suggestion=s, plan=plan)
    actions.sign_for(acting_user=w.co_unit_user, assignment=w.assignment(s, w.org.other_unit))
    co = w.assignment(s, w.org.unit)
    actions.sign_for(acting_user=p.unit, assignment=co)
    return co


def adjust_requested(p):
    w = world_of(p)
    assignment = w.assignment(lead_only(p), w.org.unit)
    actions.request_adjustment(acting_user=p.unit, assignment=assignment, reason="不属本单位职责")
    return assignment


def answered(p, code: str = "A", **draft) -> Suggestion:
    s = handling(p)
    actions.answer(acting_user=p.unit, suggestion=s, draft=answer_draft(code, **draft))
    return s


def extension_requested(p):
    s = handling(p)
    return actions.request_extension(
        acting_user=p.unit, suggestion=s, new_due=later_due(s), reason="需协调市级部门"
    )


def later_due(s: Suggestion) -> datetime.date:
    s.refresh_from_db()
    return s.due_at + datetime.timedelta(days=20)


def merge_pair(p) -> tuple[str, dict]:
    w = world_of(p)
    main = w.accepted()
    twin = w.submitted(title="关于解决老旧小区停车难的建议（二）")
    return f"{BASE}/{twin.pk}/merge", {"into_id": main.pk}


def key_body(p) -> dict:
    office = Office.objects.get(pk=next(iter(p.staff.roles.office_ids)))
    return {"leader_id": p.leader.pk, "office_id": office.pk, "note": "群众反映集中"}


def flagged(p) -> Suggestion:
    s = world_of(p).accepted()
    body = key_body(p)
    return actions.flag_key(
        acting_user=p.leader,
        suggestion=s,
        leader=p.leader,
        office=Office.objects.get(pk=body["office_id"]),
    )


def published(p) -> Suggestion:
    return actions.publish(acting_user=p.staff, suggestion=world_of(p).accepted())


def answer_body(code: str = "B") -> dict:
    return {
        "category_id": AnswerCategory.objects.get(code=code).pk,
        "text": "已将停车位施划列入明年计划，预计上半年完成。",
        "signer": "王局长",
        "contact_person": "赵联络员",
        "contact_phone": "0531-88001234",
    }


def _batch(p) -> tuple[str, dict]:
    w = world_of(p)
    items = [
        {"suggestion_id": w.accepted().pk, "mode": "lead", "lead_unit_id": w.org.unit.pk}
        for _ in range(2)
    ]
    return f"{BASE}/assign-batch", {"items": items}


def _first_answer(s: Suggestion):
    return s.answers.get()


SUGGESTION_API: dict = {
    ("GET", "/suggestions/"): (ALL, lambda p: (f"{BASE}/", None), 200),
    ("POST", "/suggestions/"): (DRAFTERS, lambda p: (f"{BASE}/", draft_body(p)), 201),
    ("GET", "/suggestions/categories"): (ALL, lambda p: (f"{BASE}/categories", None), 200),
    ("GET", "/suggestions/answer-categories"): (
        ALL,
        lambda p: (f"{BASE}/answer-categories", None),
        200,
    ),
    ("GET", "/suggestions/{int:suggestion_id}"): (
        ALL,
        lambda p: (f"{BASE}/{lead_only(p).pk}", None),
        200,
    ),
    ("PUT", "/suggestions/{int:suggestion_id}"): (
        DRAFTERS,
        lambda p: (f"{BASE}/{own_draft(p).pk}", draft_body(p, title="关于增设公交站点的建议")),
        200,
    ),
    ("DELETE", "/suggestions/{int:suggestion_id}"): (
        DRAFTERS,
        lambda p: (f"{BASE}/{own_draft(p).pk}", None),
        204,
    ),
    ("GET", "/suggestions/{int:suggestion_id}/timeline"): (
        ALL,
        lambda p: (f"{BASE}/{lead_only(p).pk}/timeline", None),
        200,
    ),
    ("POST", "/suggestions/{int:suggestion_id}/submit"): (
        DRAFTERS,
        lambda p: (f"{BASE}/{own_draft(p).pk}/submit", {}),
        200,
    ),
    ("POST", "/suggestions/{int:suggestion_id}/withdraw"): (
        DRAFTERS,
        lambda p: (f"{BASE}/{own_submitted(p).pk}/withdraw", {}),
        200,
    ),
    ("POST", "/suggestions/{int:suggestion_id}/cosign"): (
        {"deputy"},
        lambda p: (f"{BASE}/{invited_to_cosign(p).pk}/cosign", {"confirm": True}),
        200,
    ),
    ("POST", "/suggestions/{int:suggestion_id}/accept"): (
        OFFICE,
        lambda p: (f"{BASE}/{world_of(p).submitted().pk}/accept", {}),
        200,
    ),
    ("POST", "/suggestions/{int:suggestion_id}/decline"): (
        OFFICE,
        lambda p: (
            f"{BASE}/{world_of(p).submitted().pk}/decline",
            {"reason": "属于个人诉求，建议通过信访渠道反映。"},
        ),
        200,
    ),
    ("POST", "/suggestions/{int:suggestion_id}/convert"): (
        OFFICE,
        lambda p: (
            f"{BASE}/{world_of(p).submitted(kind='motion').pk}/convert",
            {"note": "不具备议案条件"},
        ),
        200,
    ),
    ("POST", "/suggestions/{int:suggestion_id}/merge"): (OFFICE, merge_pair, 200),
    ("POST", "/suggestions/{int:suggestion_id}/assign"): (
        OFFICE,
        lambda p: (
            f"{BASE}/{world_of(p).accepted().pk}/assign",
            {"mode": "lead", "lead_unit_id": world_of(p).org.unit.pk},
        ),
        200,
    ),
    ("POST", "/suggestions/assign-batch"): (OFFICE, _batch, 200),
    ("POST", "/suggestions/assignments/{int:assignment_id}/sign"): (
        {"unit"},
        lambda p: (
            f"{BASE}/assignments/{world_of(p).assignment(lead_only(p), world_of(p).org.unit).pk}/sign",
            None,
        ),
        200,
    ),
    ("POST", "/suggestions/assignments/{int:assignment_id}/adjust"): (
        {"unit"},
        lambda p: (
            f"{BASE}/assignments/{world_of(p).assignment(lead_only(p), world_of(p).org.unit).pk}/adjust",
            {"reason": "该事项属于城市管理局职责。"},
        ),
        200,
    ),
    ("POST", "/suggestions/assignments/{int:assignment_id}/decide-adjustment"): (
        OFFICE,
        lambda p: (
            f"{BASE}/assignments/{adjust_requested(p).pk}/decide-adjustment",
            {"reassign_to_id": None, "note": "属本单位职责，请签收办理。"},
        ),
        200,
    ),
    ("POST", "/suggestions/assignments/{int:assignment_id}/opinion"): (
        {"unit"},
        lambda p: (
            f"{BASE}/assignments/{unit_as_co(p).pk}/opinion",
            {"opinion": "同意主办单位意见。"},
        ),
        200,
    ),
    ("POST", "/suggestions/{int:suggestion_id}/contacts"): (
        {"unit"},
        lambda p: (
            f"{BASE}/{handling(p).pk}/contacts",
            {
                "stage": "before",
                "method": "phone",
                "contacted_on": str(timezone.localdate()),
                "summary": "电话联系代表，商定现场察看时间。",
            },
        ),
        201,
    ),
    ("POST", "/suggestions/{int:suggestion_id}/answer"): (
        {"unit"},
        lambda p: (f"{BASE}/{handling(p).pk}/answer", answer_body()),
        201,
    ),
    ("POST", "/suggestions/{int:suggestion_id}/return-answer"): (
        OFFICE,
        lambda p: (f"{BASE}/{answered(p).pk}/return-answer", {"reason": "未与代表沟通。"}),
        200,
    ),
    ("POST", "/suggestions/answers/{int:answer_id}/category"): (
        OFFICE,
        lambda p: (
            f"{BASE}/answers/{_first_answer(answered(p)).pk}/category",
            {"category_id": AnswerCategory.objects.get(code="B").pk},
        ),
        200,
    ),
    ("POST", "/suggestions/{int:suggestion_id}/rate"): (
        {"deputy"},
        lambda p: (
            f"{BASE}/{answered(p).pk}/rate",
            {"attitude": "satisfied", "result": "satisfied"},
        ),
        201,
    ),
    ("POST", "/suggestions/answers/{int:answer_id}/confirm-face-to-face"): (
        {"deputy"},
        lambda p: (
            f"{BASE}/answers/{_first_answer(answered(p, is_face_to_face=True)).pk}/confirm-face-to-face",
            None,
        ),
        200,
    ),
    ("POST", "/suggestions/{int:suggestion_id}/close"): (
        OFFICE,
        lambda p: (f"{BASE}/{answered(p).pk}/close", {"note": "代表逾期未评价"}),
        200,
    ),
    ("POST", "/suggestions/{int:suggestion_id}/extension-request"): (
        {"unit"},
        lambda p: _extend(p, "extension-request"),
        201,
    ),
    ("POST", "/suggestions/extensions/{int:extension_id}/decide"): (
        OFFICE,
        lambda p: (f"{BASE}/extensions/{extension_requested(p).pk}/decide", {"approve": True}),
        200,
    ),
    ("POST", "/suggestions/{int:suggestion_id}/extend"): (
        OFFICE,
        lambda p: _extend(p, "extend"),
        201,
    ),
    ("POST", "/suggestions/{int:suggestion_id}/key"): (
        {"admin", "leader"},
        lambda p: (f"{BASE}/{world_of(p).accepted().pk}/key", key_body(p)),
        200,
    ),
    ("DELETE", "/suggestions/{int:suggestion_id}/key"): (
        {"admin", "leader"},
        lambda p: (f"{BASE}/{flagged(p).pk}/key", None),
        200,
    ),
    ("POST", "/suggestions/{int:suggestion_id}/publish"): (
        OFFICE,
        lambda p: (f"{BASE}/{world_of(p).accepted().pk}/publish", None),
        200,
    ),
    ("POST", "/suggestions/{int:suggestion_id}/unpublish"): (
        OFFICE,
        lambda p: (f"{BASE}/{published(p).pk}/unpublish", {"reason": "涉及个人隐私"}),
        200,
    ),
    ("POST", "/suggestions/{int:suggestion_id}/confidential"): (
        OFFICE,
        lambda p: (
            f"{BASE}/{world_of(p).accepted().pk}/confidential",
            {"confidential": True, "reason": "涉及个人隐私"},
        ),
        200,
    ),
}


def _extend(p, verb: str) -> tuple[str, dict]:
    s = handling(p)
    return f"{BASE}/{s.pk}/{verb}", {"new_due": str(later_due(s)), "reason": "涉及跨部门协调。"}


# ---------------------------------------------------------------------------------------------
# Shared by the API tests (tests/suggestions/test_api_*.py)

CHINESE = re.compile("[\u4e00-\u9fff]")


def send(client, user, method: str, path: str, body: dict | None = None):
    """One JSON call as `user` (anonymous when None); no body at all when `body` is None. A write to
    a versioned record carries its current version unless the body names one."""
    path, body = with_current_version(method, path, body)
    client.logout()
    if user is not None:
        client.force_login(user)
    data = "" if body is None else json.dumps(body)
    return client.generic(method, path, data=data, content_type="application/json")


def refused(response, status: int, code: str) -> dict:
    """The one error shape, with a Chinese message."""
    assert response.status_code == status, response.content.decode()
    body = response.json()
    assert body["code"] == code, body
    assert CHINESE.search(body["message"]), body
    return body


def field_messages(body: dict) -> dict[str, str]:
    return {e["field"]: e["message"] for e in body["errors"]}


def state_of(s: Suggestion) -> tuple[str, int]:
    return Suggestion.objects.values_list("status", "version").get(pk=s.pk)

"""Role-matrix entries of deputy groups (format: tests/core/test_role_matrix.py).

Groups are of personas.street's street (so the admin, the deputy-affairs staff and that street's
committee keep them); each request makes a fresh group with no mandate, which may be deleted.
Every API request builds its own rows, so each role acts on a group in the state it needs."""

from __future__ import annotations

from renda.core.models import Street
from renda.deputies.models import Group

VIEWERS = {"admin", "leader", "staff", "street"}
KEEPERS = {"admin", "staff", "street"}
BASE = "/api/v1/deputies/groups"


def _street(p) -> Street:
    return Street.objects.get(pk=next(iter(p.street.roles.street_ids)))


def make_group(p) -> Group:
    return Group.objects.create(
        name=f"矩阵代表小组{Group.objects.count() + 1}", street=_street(p), term_number=18
    )


def _group_pk(p):
    return {"pk": make_group(p).pk}


GROUP_PAGES = {
    "deputies:groups": (VIEWERS, "get", None, 200),
    "deputies:add_group": (KEEPERS, "get", None, 200),
    "deputies:update_group": (KEEPERS, "get", _group_pk, 200),
    "deputies:delete_group": (KEEPERS, "get", _group_pk, 200),
}


def _add(p):
    return f"{BASE}/", {"name": f"新代表小组{len(p.calls)}", "street_id": _street(p).pk}


def _update(p):
    group = make_group(p)
    body = {"name": f"{group.name}（改）", "street_id": group.street_id, "sort_order": 5}
    return f"{BASE}/{group.pk}", body


GROUP_API = {
    ("GET", "/deputies/groups/"): (VIEWERS, lambda p: (f"{BASE}/", None), 200),
    ("POST", "/deputies/groups/"): (KEEPERS, _add, 201),
    ("PUT", "/deputies/groups/{int:group_id}"): (KEEPERS, _update, 200),
    ("DELETE", "/deputies/groups/{int:group_id}"): (
        KEEPERS,
        lambda p: (f"{BASE}/{make_group(p).pk}", None),
        204,
    ),
}

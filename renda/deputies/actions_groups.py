"""Every write to deputy groups (代表小组): add, update (name, street, sort order), delete. One
function per move, keyword-only, with the acting user.

Each runs in a transaction, locks its row, refuses what the user's role or the rules do not allow
(DomainError / NotAllowed, in Chinese; nothing changes) and writes one event on the group's
timeline. A group has no version column: the lock alone keeps two writers apart. Mandates keep
their group (PROTECT), so a group that any mandate, current or past, belongs to stays: the
record of who was in which group is history."""

from __future__ import annotations

from dataclasses import dataclass, fields

from django.db import transaction

from renda.core import clock
from renda.core.actions import record_event
from renda.core.errors import DomainError, NotAllowed, raise_field_errors
from renda.core.models import Street, User
from renda.deputies.models import Group, Mandate
from renda.deputies.permissions import keeps_roster
from renda.deputies.queries_groups import current_term, keeps_group, may_add_group

GROUP_LABELS = {"name": "名称", "street": "所在街道", "sort_order": "排序"}
NAME_LIMIT = 50
SORT_LIMIT = 9999
SHOWN_NAMES = 3  # members named in a refusal; the rest are counted


@dataclass(frozen=True)
class GroupFields:
    name: str
    street: Street | None = None
    sort_order: int = 100

    def cleaned(self) -> GroupFields:
        return GroupFields(
            name=(self.name or "").strip(), street=self.street, sort_order=self.sort_order
        )


# ---------------------------------------------------------------------------------------------
# Shared steps


def _lock_group(group: Group | int) -> Group:
    pk = group.pk if isinstance(group, Group) else group
    locked = (
        Group.objects.select_for_update(of=("self",)).select_related("street").filter(pk=pk).first()
    )
    if locked is None:
        raise DomainError("not_found", "该代表小组不存在或已被删除。")
    return locked


def _require_keeper(user: User, group: Group) -> None:
    if not keeps_group(user, group):
        raise NotAllowed("只有系统管理员、代表工作机构和小组所在街道的人大工委可以进行此操作。")


def _event(group: Group, actor: User, verb: str, summary: str, **more) -> None:
    record_event(target=group, actor=actor, verb=verb, summary=summary, at=clock.now(), **more)


def _street_errors(user: User, values: GroupFields, group: Group | None) -> dict[str, str]:
    street = values.street
    unchanged = group is not None and (street.pk if street else None) == group.street_id
    if unchanged:
        return {}
    if street is not None and not street.is_active:
        return {"street": f"{street.name}已停用"}
    if keeps_roster(user):
        return {}
    # A street's committee: groups of its own street only.
    if street is None:
        return {"street": "请选择本街道"}
    if street.pk not in user.roles.street_ids:
        return {"street": "只能选择本街道"}
    return {}


def _group_errors(user: User, values: GroupFields, *, term: int, group: Group | None) -> dict:
    errors: dict[str, str] = {}
    if not values.name:
        errors["name"] = "请填写名称"
    elif len(values.name) > NAME_LIMIT:
        errors["name"] = f"名称不能超过 {NAME_LIMIT} 字"
    else:
        same = Group.objects.filter(term_number=term, name=values.name)
        if group is not None:
            same = same.exclude(pk=group.pk)
        if same.exists():
            errors["name"] = f"第{term}届已有名为“{values.name}”的代表小组"
    if not isinstance(values.sort_order, int) or not 0 <= values.sort_order <= SORT_LIMIT:
        errors["sort_order"] = f"排序须为 0 到 {SORT_LIMIT} 之间的整数"
    errors.update(_street_errors(user, values, group))
    return errors


def _term_errors(term: int | None) -> dict[str, str]:
    latest = current_term() + 1  # groups of the next term may be prepared before it begins
    if not isinstance(term, int) or not 1 <= term <= latest:
        return {"term_number": f"届次须为 1 到 {latest} 之间的整数"}
    return {}


def _members_elsewhere(group: Group, street: Street) -> DomainError | None:
    """Moving a group to another street while current members sit in a different street would
    leave their seats contradicting their group: refuse, naming who must be moved first."""
    others = (
        Mandate.objects.active()
        .filter(group=group)
        .exclude(street_id=street.pk)
        .select_related("deputy")
        .order_by("deputy__name_stroke_key", "id")
    )
    names = [m.deputy.full_name for m in others[: SHOWN_NAMES + 1]]
    if not names:
        return None
    total = others.count() if len(names) > SHOWN_NAMES else len(names)
    shown = "、".join(names[:SHOWN_NAMES]) + ("等" if total > SHOWN_NAMES else "")
    message = (
        f"代表小组“{group.name}”有 {total} 名现任代表（{shown}）所在街道不是{street.name}，"
        "不能更换街道；请先调整这些代表的代表资格。"
    )
    return DomainError("members_elsewhere", message, field_errors={"street": message})


# ---------------------------------------------------------------------------------------------
# Moves


@transaction.atomic
def add_group(*, acting_user: User, values: GroupFields, term_number: int | None = None) -> Group:
    """A new group, of the current term unless another is given."""
    if not may_add_group(acting_user):
        raise NotAllowed("只有系统管理员、代表工作机构和街道人大工委可以设立代表小组。")
    values = values.cleaned()
    term = current_term() if term_number is None else term_number
    errors = _term_errors(term)
    if not errors:
        errors = _group_errors(acting_user, values, term=term, group=None)
    raise_field_errors(errors)
    group = Group.objects.create(
        name=values.name, street=values.street, sort_order=values.sort_order, term_number=term
    )
    where = f"，{group.street.name}" if group.street else ""
    _event(group, acting_user, "add_group", f"设立代表小组：{group.name}（第{term}届{where}）")
    return group


@transaction.atomic
def update_group(*, acting_user: User, group: Group, values: GroupFields) -> Group:
    """Rename, move to another street or reorder a group."""
    group = _lock_group(group)
    _require_keeper(acting_user, group)
    values = values.cleaned()
    raise_field_errors(_group_errors(acting_user, values, term=group.term_number, group=group))
    changed = [f.name for f in fields(values) if getattr(group, f.name) != getattr(values, f.name)]
    if not changed:
        raise DomainError("unchanged", "没有修改任何内容。")
    moving = "street" in changed and values.street is not None
    if moving and (refusal := _members_elsewhere(group, values.street)):
        raise refusal
    before = {"name": group.name, "street": group.street.name if group.street else ""}
    for name in changed:
        setattr(group, name, getattr(values, name))
    group.save(update_fields=changed)
    summary = "修改代表小组：" + "、".join(GROUP_LABELS[name] for name in changed)
    if "name" in changed:
        summary += f"（原名“{before['name']}”）"
    if "street" in changed:
        after = group.street.name if group.street else "不设街道"
        summary += f"（街道：{before['street'] or '未设'} → {after}）"
    _event(group, acting_user, "update_group", summary)
    return group


@transaction.atomic
def delete_group(*, acting_user: User, group: Group) -> None:
    """Remove a group set up by mistake. The event stays on the (deleted) group's timeline: the
    timeline is append-only and says who removed what."""
    group = _lock_group(group)
    _require_keeper(acting_user, group)
    used = Mandate.objects.filter(group=group)
    current = used.filter(ended_on=None).count()
    total = used.count()
    if total:
        raise DomainError(
            "in_use",
            f"代表小组“{group.name}”有 {total} 个代表资格（其中现任 {current} 个）属于该小组，"
            "不能删除；代表的小组记录须保留。",
        )
    name, term, street = group.name, group.term_number, group.street
    _event(
        group,
        acting_user,
        "delete_group",
        f"删除代表小组：{name}（第{term}届" + (f"，{street.name}" if street else "") + "）",
        data={"name": name, "term_number": term, "street": street.pk if street else None},
    )
    group.delete()

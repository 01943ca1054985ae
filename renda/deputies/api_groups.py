"""Deputy groups on the API under /api/v1/deputies/groups: the list of one term with its member
counts, and one operation per action (add, update, delete). The same actions and rules as the
pages; ids resolve through get_group_for_user (invisible → 404); refusals are the project's one
error shape."""

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status as HttpStatus

from renda.core.access import api_allow
from renda.core.api_tools import body_field_names
from renda.core.api_types import Id, SortOrder, Term, Total
from renda.core.errors import DomainError
from renda.core.models import Street
from renda.deputies import actions_groups as actions
from renda.deputies.actions_groups import GroupFields
from renda.deputies.models import Group
from renda.deputies.queries_groups import (
    get_group_for_user,
    group_actions,
    group_list,
    level_counts,
)

router = Router(tags=["deputies"])

VIEWERS = ("admin", "leader", "staff", "street")
KEEPERS = ("admin", "staff", "street")  # narrowed per group by keeps_group
NAMES = {"street": "street_id"}


class GroupOut(Schema):
    id: Id
    name: str
    term_number: Term
    street_id: Id | None
    street: str | None
    sort_order: SortOrder
    members: Total  # current district-level mandates
    by_level: dict[str, Total]  # current mandates per level
    actions: list[str]


class GroupQuery(Schema):
    term: Term | None = None


class GroupIn(Schema):
    name: str
    street_id: Id | None = None
    sort_order: SortOrder = 100


class GroupAddIn(GroupIn):
    term_number: Term | None = None  # the current term when left out


def _out(user, group: Group) -> GroupOut:
    counts = level_counts(group)
    return GroupOut(
        id=group.pk,
        name=group.name,
        term_number=group.term_number,
        street_id=group.street_id,
        street=group.street.name if group.street else None,
        sort_order=group.sort_order,
        members=counts["district"],
        by_level=counts,
        actions=sorted(group_actions(user, group)),
    )


def _group(request, group_id: Id) -> GroupOut:
    return _out(request.user, get_group_for_user(request.user, group_id))


def _values(payload: GroupIn) -> GroupFields:
    street = None
    if payload.street_id is not None:
        street = Street.objects.filter(pk=payload.street_id).first()
        if street is None:
            raise DomainError("invalid", "没有该街道。", field_errors={"street_id": "没有该街道"})
    return GroupFields(name=payload.name, street=street, sort_order=payload.sort_order)


@router.get("/", response=list[GroupOut], summary="代表小组（按街道，含现任代表人数）")
@api_allow(*VIEWERS)
def list_groups(request: HttpRequest, params: Query[GroupQuery]):
    return [_out(request.user, g) for g in group_list(request.user, params.term)]


@router.post("/", response={201: GroupOut}, summary="设立代表小组（届次默认为本届）")
@api_allow(*KEEPERS)
def add_group(request: HttpRequest, payload: GroupAddIn):
    with body_field_names(NAMES):
        group = actions.add_group(
            acting_user=request.user, values=_values(payload), term_number=payload.term_number
        )
    return HttpStatus(201, _group(request, group.pk))


@router.put("/{int:group_id}", response=GroupOut, summary="修改代表小组（名称、街道、排序）")
@api_allow(*KEEPERS)
def update_group(request: HttpRequest, group_id: Id, payload: GroupIn):
    with body_field_names(NAMES):
        actions.update_group(
            acting_user=request.user,
            group=get_group_for_user(request.user, group_id),
            values=_values(payload),
        )
    return _group(request, group_id)


@router.delete(
    "/{int:group_id}",
    response={204: None},
    summary="删除代表小组（仅限从未有代表资格属于该小组的）",
)
@api_allow(*KEEPERS)
def delete_group(request: HttpRequest, group_id: Id):
    actions.delete_group(acting_user=request.user, group=get_group_for_user(request.user, group_id))
    return HttpStatus(204, None)

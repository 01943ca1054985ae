from datetime import datetime

from ninja import Router, Schema
from ninja.responses import Status as HttpStatus

from renda.core.access import AUTHENTICATED, api_allow
from renda.core.api_types import Id
from renda.core.tokens import own_tokens, revoke_token

router = Router(tags=["core"])


class MembershipOut(Schema):
    role: str
    role_name: str
    scope: str | None


class MeOut(Schema):
    id: Id
    username: str
    full_name: str
    roles: list[str]
    memberships: list[MembershipOut]


@router.get("/me", response=MeOut, summary="当前用户及其角色")
@api_allow(AUTHENTICATED)
def me(request):
    user = request.user
    memberships = [
        MembershipOut(
            role=m.role,
            role_name=m.get_role_display(),
            scope=str(m.office or m.street or m.unit or "") or None,
        )
        for m in user.memberships.select_related("office", "street", "unit")
    ]
    return MeOut(
        id=user.pk,
        username=user.username,
        full_name=user.get_full_name(),
        roles=sorted(user.roles.names),
        memberships=memberships,
    )


class ApiTokenOut(Schema):
    """A token as its owner sees it: never the key, only its first characters."""

    id: Id
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None


@router.get("/tokens", response=list[ApiTokenOut], summary="我的 API 令牌")
@api_allow(AUTHENTICATED)
def tokens(request):
    return list(own_tokens(request.user))


@router.delete("/tokens/{int:token_id}", response={204: None}, summary="撤销我的 API 令牌")
@api_allow(AUTHENTICATED)
def token_revoke(request, token_id: Id):
    revoke_token(acting_user=request.user, token_id=token_id)
    return HttpStatus(204, None)

from ninja import Router, Schema

from renda.core.access import AUTHENTICATED, api_allow
from renda.core.api_types import Id

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

"""One demo log-in per role, all with the same published password."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from renda.core.models import Office, Role, RoleMembership, Street, Unit, User
from renda.deputies.models import Deputy, OccupationCategory

DEMO_PASSWORD = "renda-demo-2026"


@dataclass(frozen=True)
class MembershipSpec:
    role: str
    office: str | None = None
    street: str | None = None
    unit: str | None = None


@dataclass(frozen=True)
class DeputyLink:
    """The district deputy a demo account is (the deputy gets the account's name)."""

    street: str
    gender: str
    occupation_category: str
    work_position: str


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    description: str
    memberships: tuple[MembershipSpec, ...]
    deputy: DeputyLink | None = None
    is_superuser: bool = False


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        "admin", "系统管理员", "系统管理员", (MembershipSpec(Role.ADMIN),), is_superuser=True
    ),
    DemoAccount("zhuren", "赵志刚", "常委会主任（常委会领导）", (MembershipSpec(Role.LEADER),)),
    DemoAccount("mishuzhang", "陈丽华", "秘书长（常委会领导）", (MembershipSpec(Role.LEADER),)),
    DemoAccount(
        "daibiaoshi",
        "李文静",
        "人事代表工作室工作人员",
        (MembershipSpec(Role.STAFF, office="人事代表工作室"),),
    ),
    DemoAccount(
        "shehuishi",
        "张海涛",
        "社会建设工作室工作人员",
        (MembershipSpec(Role.STAFF, office="社会建设工作室"),),
    ),
    DemoAccount(
        "bangongshi", "周晓燕", "办公室工作人员", (MembershipSpec(Role.STAFF, office="办公室"),)
    ),
    DemoAccount(
        "jiedao",
        "马俊杰",
        "泉城路街道人大工委工作人员",
        (MembershipSpec(Role.STREET, street="泉城路街道"),),
    ),
    DemoAccount(
        "daibiao",
        "刘雪梅",
        "区人大代表（泉城路街道代表小组）",
        (MembershipSpec(Role.DEPUTY),),
        deputy=DeputyLink(
            street="泉城路街道",
            gender="F",
            occupation_category=OccupationCategory.COMMUNITY,
            work_position="泉城路街道芙蓉社区党委书记、居委会主任",
        ),
    ),
    DemoAccount(
        "zhujian",
        "杨建伟",
        "区住房和城乡建设局承办人员",
        (MembershipSpec(Role.UNIT, unit="区住房和城乡建设局"),),
    ),
    DemoAccount(
        "chengguan",
        "吴德胜",
        "区城市管理局承办人员",
        (MembershipSpec(Role.UNIT, unit="区城市管理局"),),
    ),
    DemoAccount(
        "duozhi",
        "孙立新",
        "人事代表工作室工作人员，兼区人大代表（大明湖街道代表小组）",
        (MembershipSpec(Role.STAFF, office="人事代表工作室"), MembershipSpec(Role.DEPUTY)),
        deputy=DeputyLink(
            street="大明湖街道",
            gender="M",
            occupation_category=OccupationCategory.OFFICIAL,
            work_position="区人大常委会人事代表工作室副主任",
        ),
    ),
)

# Names the random generator must not hand to anybody else, so that each account's name is unique.
RESERVED_NAMES = frozenset(a.full_name for a in DEMO_ACCOUNTS)


def create_accounts(
    *,
    offices: dict[str, Office],
    streets: dict[str, Street],
    units: dict[str, Unit],
    deputies_by_username: dict[str, Deputy],
) -> list[User]:
    """Create the demo users, their role memberships, and link the deputy accounts."""
    # One hash for all: the password is published anyway, and hashing eleven times would cost
    # seconds of PBKDF2 on every demo build.
    password_hash = make_password(DEMO_PASSWORD)
    users = User.objects.bulk_create(
        User(
            username=a.username,
            full_name=a.full_name,
            password=password_hash,
            is_staff=a.is_superuser,
            is_superuser=a.is_superuser,
        )
        for a in DEMO_ACCOUNTS
    )
    memberships = []
    for account, user in zip(DEMO_ACCOUNTS, users, strict=True):
        for m in account.memberships:
            memberships.append(
                RoleMembership(
                    user=user,
                    role=m.role,
                    office=offices[m.office] if m.office else None,
                    street=streets[m.street] if m.street else None,
                    unit=units[m.unit] if m.unit else None,
                )
            )
        if account.deputy is not None:
            deputy = deputies_by_username[account.username]
            deputy.user = user
            deputy.save(update_fields=["user"])
            user.phone = deputy.phone
            user.save(update_fields=["phone"])
    RoleMembership.objects.bulk_create(memberships)
    return users

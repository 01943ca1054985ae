"""Named personas, one per role, and the settings every test shares."""

from dataclasses import dataclass
from datetime import date

import pytest

from renda.core.models import User
from tests.core.factories import (
    CongressFactory,
    OfficeFactory,
    StreetFactory,
    UnitFactory,
    UserFactory,
    grant,
)
from tests.deputies.factories import DeputyFactory, GroupFactory, MandateFactory

PASSWORD = "test-password-1"


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Tests render templates without running collectstatic first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Uploaded attachments go to a throw-away folder, never into the project's var/.
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class Organisation:
    congress: object
    deputy_office: object
    social_office: object
    street: object
    other_street: object
    unit: object
    other_unit: object
    group: object


@pytest.fixture
def org(db) -> Organisation:
    deputy_office = OfficeFactory(name="人事代表工作室")
    congress = CongressFactory(deputy_affairs_office=deputy_office)
    street = StreetFactory(name="泉城路街道")
    return Organisation(
        congress=congress,
        deputy_office=deputy_office,
        social_office=OfficeFactory(name="社会建设工作室"),
        street=street,
        other_street=StreetFactory(name="大明湖街道"),
        unit=UnitFactory(name="区住房和城乡建设局"),
        other_unit=UnitFactory(name="区城市管理局"),
        group=GroupFactory(name="泉城路街道代表小组", street=street),
    )


@dataclass
class Personas:
    admin: User
    leader: User
    staff: User  # 人事代表工作室: keeps the roster, sees personal data
    social_staff: User  # another office
    street: User
    deputy: User
    unit: User
    nobody: User  # logged in, no role at all

    def by_role(self) -> dict[str, User]:
        return {
            "admin": self.admin,
            "leader": self.leader,
            "staff": self.staff,
            "street": self.street,
            "deputy": self.deputy,
            "unit": self.unit,
        }


@pytest.fixture
def personas(org) -> Personas:
    admin = UserFactory(username="p_admin", full_name="管理员")
    grant(admin, "admin")
    leader = UserFactory(username="p_leader", full_name="李主任")
    grant(leader, "leader")
    staff = UserFactory(username="p_staff", full_name="代表室干部")
    grant(staff, "staff", office=org.deputy_office)
    social_staff = UserFactory(username="p_social", full_name="社建室干部")
    grant(social_staff, "staff", office=org.social_office)
    street = UserFactory(username="p_street", full_name="街道工委干部")
    grant(street, "street", street=org.street)
    deputy_user = UserFactory(username="p_deputy", full_name="张代表")
    grant(deputy_user, "deputy")
    # Gender and birth date agree with the ID number, as the roster's own checks require.
    deputy = DeputyFactory(
        full_name="张代表",
        user=deputy_user,
        id_number="11010519491231002X",
        gender="F",
        birth_date=date(1949, 12, 31),
        phone="13912345678",
    )
    MandateFactory(deputy=deputy, street=org.street, group=org.group)
    unit = UserFactory(username="p_unit", full_name="住建局联络员")
    grant(unit, "unit", unit=org.unit)
    nobody = UserFactory(username="p_nobody", full_name="无角色")
    return Personas(admin, leader, staff, social_staff, street, deputy_user, unit, nobody)

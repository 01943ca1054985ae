"""Roster upkeep: add a person, edit them, add, correct and end their seats. Each allowed move,
each refused move (refused ones change nothing), and the timeline event each writes."""

from datetime import date

import pytest

from renda.core.errors import ConflictError, DomainError, NotAllowed
from renda.core.idcard import make_id_number
from renda.deputies import actions
from renda.deputies.actions import PersonFields, SeatFields
from renda.deputies.models import Deputy, Level, Mandate
from tests.deputies.factories import DeputyFactory, GroupFactory, MandateFactory
from tests.plans.factories import Mark, refused, state_of

pytestmark = pytest.mark.django_db

ID_WANG = make_id_number(area="370102", birth_date=date(1972, 3, 15), sequence=12, gender="F")


def person(**overrides) -> PersonFields:
    values = dict(
        full_name="王秀兰",
        gender="F",
        ethnicity="汉族",
        birth_date=date(1972, 3, 15),
        party="cpc",
        occupation_category="professional",
        work_position="区人民医院副院长",
        id_number=ID_WANG,
        phone="13812345678",
    )
    return PersonFields(**{**values, **overrides})


def seat(org, **overrides) -> SeatFields:
    values = dict(
        level=Level.DISTRICT,
        term_number=18,
        started_on=date(2022, 1, 6),
        electoral_unit="第3选区",
        street=org.street,
        group=org.group,
    )
    return SeatFields(**{**values, **overrides})


def everything() -> tuple:
    """The whole roster and the timeline: what a refused add must leave alone."""
    return (
        list(Deputy.objects.order_by("pk").values()),
        list(Mandate.objects.order_by("pk").values()),
        state_of(Deputy(pk=0))[1:],
    )


def refused_add(call, message: str, error: type = DomainError) -> DomainError:
    before = everything()
    with pytest.raises(error) as info:
        call()
    assert info.value.message == message, info.value.message
    assert everything() == before
    return info.value


# ---------------------------------------------------------------------------------------------
# add_deputy


@pytest.mark.parametrize("role", ["admin", "staff"])
def test_the_keepers_add_a_person_with_their_first_seat(personas, org, role):
    user = getattr(personas, role)
    deputy = actions.add_deputy(acting_user=user, person=person(), seat=seat(org))
    assert deputy.full_name == "王秀兰" and deputy.id_number == ID_WANG
    [mandate] = deputy.mandates.all()
    assert (mandate.level, mandate.term_number, mandate.group) == ("district", 18, org.group)
    [event] = _events(deputy)
    assert event.verb == "add_deputy"
    assert event.summary == "录入代表：王秀兰，第18届区人大代表"
    assert event.actor == user


def _events(deputy):
    from renda.core.models import TimelineEvent

    return TimelineEvent.objects.for_object(deputy)


@pytest.mark.parametrize("role", ["leader", "street", "deputy", "unit", "social_staff"])
def test_others_may_not_add_a_person(personas, org, role):
    refused_add(
        lambda: actions.add_deputy(
            acting_user=getattr(personas, role), person=person(), seat=seat(org)
        ),
        "只有系统管理员和人事代表工作室可以维护代表名册。",
        NotAllowed,
    )


def test_a_lower_case_x_and_spaces_are_stored_normalised(personas, org):
    number = "11010519491231002X"
    personas.deputy.deputy.delete()  # the persona holds this number
    deputy = actions.add_deputy(
        acting_user=personas.staff,
        person=person(
            id_number=f" {number.lower()} ", birth_date=date(1949, 12, 31), full_name=" 王  秀兰 "
        ),
        seat=seat(org),
    )
    assert deputy.id_number == number and deputy.full_name == "王 秀兰"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"id_number": ID_WANG[:-1] + ("0" if ID_WANG[-1] != "0" else "1")}, "id_number", None),
        ({"gender": "M"}, "gender", "性别与身份证号不符。"),
        (
            {"birth_date": date(1972, 3, 16)},
            "birth_date",
            "出生日期与身份证号不符（身份证号为 1972-03-15）。",
        ),
        ({"full_name": ""}, "full_name", "请填写姓名。"),
        ({"party": "whig"}, "party", "请选择政治面貌。"),
        ({"phone": "139****5678"}, "phone", "手机号是部分隐藏的号码，请填写完整号码。"),
        (
            {"phone": "12345"},
            "phone",
            "“12345”不是有效的电话号码（手机号 11 位，或 0531-12345678）。",
        ),
    ],
)
def test_bad_personal_data_is_refused_by_field(personas, org, overrides, field, message):
    error = refused_add(
        lambda: actions.add_deputy(
            acting_user=personas.staff, person=person(**overrides), seat=seat(org)
        ),
        message
        or f"身份证号“{overrides.get('id_number')}”校验不通过，请核对（18 位，末位为校验码）。",
    )
    assert set(error.field_errors) == {field}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"started_on": date(2099, 1, 1)}, "started_on", "当选日期不能晚于今天。"),
        ({"term_number": 0}, "term_number", "届次应为 1 到 99 的整数。"),
        ({"level": "galactic"}, "level", "请选择层级。"),
    ],
)
def test_bad_seats_are_refused_by_field(personas, org, overrides, field, message):
    error = refused_add(
        lambda: actions.add_deputy(
            acting_user=personas.staff, person=person(), seat=seat(org, **overrides)
        ),
        message,
    )
    assert set(error.field_errors) == {field}


def test_a_group_must_belong_to_the_seats_street_and_term(personas, org):
    refused_add(
        lambda: actions.add_deputy(
            acting_user=personas.staff, person=person(), seat=seat(org, street=org.other_street)
        ),
        "代表小组“泉城路街道代表小组”不属于所填街道。",
    )
    old = GroupFactory(name="第十七届泉城路小组", street=org.street, term_number=17)
    refused_add(
        lambda: actions.add_deputy(
            acting_user=personas.staff, person=person(), seat=seat(org, group=old)
        ),
        "代表小组“第十七届泉城路小组”属于第17届。",
    )


def test_a_second_person_with_the_same_id_number_is_refused(personas, org):
    actions.add_deputy(acting_user=personas.staff, person=person(), seat=seat(org))
    error = refused_add(
        lambda: actions.add_deputy(
            acting_user=personas.staff,
            person=person(full_name="王秀兰二"),
            seat=seat(org, level=Level.MUNICIPAL),
        ),
        "身份证号与名册中的“王秀兰”相同，同一人请增加代表资格而不是新增代表。",
    )
    assert error.code == "duplicate_person"


# ---------------------------------------------------------------------------------------------
# update_deputy


def test_update_changes_the_personal_data_and_names_the_fields_not_the_values(personas, org):
    deputy = actions.add_deputy(acting_user=personas.staff, person=person(), seat=seat(org))
    mark = Mark(deputy)
    deputy = actions.update_deputy(
        acting_user=personas.admin,
        deputy=deputy,
        person=person(phone="13900001111", work_position="区卫健局局长"),
        version=1,
    )
    deputy.refresh_from_db()
    assert (deputy.phone, deputy.work_position, deputy.version) == (
        "13900001111",
        "区卫健局局长",
        2,
    )
    event = mark.event()
    assert event.summary == "修改代表信息：工作单位及职务、手机号"
    assert "13900001111" not in event.summary + event.note


def test_update_refusals_change_nothing(personas, org):
    deputy = actions.add_deputy(acting_user=personas.staff, person=person(), seat=seat(org))
    refused(
        deputy,
        lambda: actions.update_deputy(
            acting_user=personas.street, deputy=deputy, person=person(phone="13900001111")
        ),
        "只有系统管理员和人事代表工作室可以维护代表名册。",
        NotAllowed,
    )
    refused(
        deputy,
        lambda: actions.update_deputy(
            acting_user=personas.staff, deputy=deputy, person=person(gender="M")
        ),
        "性别与身份证号不符。",
    )
    refused(
        deputy,
        lambda: actions.update_deputy(acting_user=personas.staff, deputy=deputy, person=person()),
        "没有修改任何内容。",
    )
    refused(
        deputy,
        lambda: actions.update_deputy(
            acting_user=personas.staff, deputy=deputy, person=person(phone="13900001111"), version=7
        ),
        "该代表信息已被他人修改，请刷新页面后重新操作。（您的修改未保存）",
        ConflictError,
    )
    other = personas.deputy.deputy
    refused(
        other,
        lambda: actions.update_deputy(
            acting_user=personas.staff,
            deputy=other,
            person=person(full_name="张代表", phone="13912345678"),
        ),
        "身份证号与名册中的“王秀兰”相同，同一人请增加代表资格而不是新增代表。",
    )


# ---------------------------------------------------------------------------------------------
# Seats


def test_a_person_holds_seats_at_several_levels_and_terms(personas, org):
    deputy = actions.add_deputy(acting_user=personas.staff, person=person(), seat=seat(org))
    mark = Mark(deputy)
    municipal = actions.add_mandate(
        acting_user=personas.staff,
        deputy=deputy,
        seat=seat(org, level=Level.MUNICIPAL, group=None, electoral_unit="历下区"),
    )
    assert mark.event().summary == "增加代表资格：第18届市人大代表"
    actions.add_mandate(
        acting_user=personas.staff, deputy=deputy, seat=seat(org, term_number=17, group=None)
    )
    assert deputy.mandates.count() == 3 and municipal.is_active


def test_one_seat_per_level_and_term(personas, org):
    deputy = actions.add_deputy(acting_user=personas.staff, person=person(), seat=seat(org))
    error = refused(
        deputy,
        lambda: actions.add_mandate(acting_user=personas.staff, deputy=deputy, seat=seat(org)),
        "王秀兰已有第18届区人大代表资格。",
    )
    assert error.field_errors == {"level": "王秀兰已有第18届区人大代表资格"}
    assert deputy.mandates.count() == 1


def test_street_staff_may_not_add_or_correct_a_seat(personas, org):
    deputy = personas.deputy.deputy
    mandate = deputy.mandates.get()
    refused(
        deputy,
        lambda: actions.add_mandate(
            acting_user=personas.street, deputy=deputy, seat=seat(org, level=Level.MUNICIPAL)
        ),
        "只有系统管理员和人事代表工作室可以维护代表名册。",
        NotAllowed,
    )
    refused(
        mandate,
        lambda: actions.update_mandate(
            acting_user=personas.street, mandate=mandate, seat=seat(org, electoral_unit="第9选区")
        ),
        "只有系统管理员和人事代表工作室可以维护代表名册。",
        NotAllowed,
    )


def test_update_mandate_corrects_a_current_seat(personas, org):
    mandate = personas.deputy.deputy.mandates.get()
    mark = Mark(personas.deputy.deputy)
    updated = actions.update_mandate(
        acting_user=personas.staff,
        mandate=mandate,
        seat=seat(org, electoral_unit="第9选区"),
        version=mandate.version,
    )
    assert (updated.electoral_unit, updated.version) == ("第9选区", 2)
    event = mark.event()
    assert event.summary == "修改代表资格：第18届区人大代表"
    assert event.note == "修改了：选区"
    refused(
        mandate,
        lambda: actions.update_mandate(
            acting_user=personas.staff, mandate=mandate, seat=seat(org), version=1
        ),
        "该代表资格已被他人修改，请刷新页面后重新操作。（您的修改未保存）",
        ConflictError,
    )
    refused(
        mandate,
        lambda: actions.update_mandate(
            acting_user=personas.staff, mandate=mandate, seat=seat(org, electoral_unit="第9选区")
        ),
        "没有修改任何内容。",
    )


# ---------------------------------------------------------------------------------------------
# end_mandate


@pytest.mark.parametrize("reason", [r for r in Mandate.EndReason.values if r != "other"])
def test_ending_a_seat_keeps_it_as_history(personas, org, reason, time_machine):
    time_machine.move_to(date(2026, 4, 1), tick=False)
    deputy = personas.deputy.deputy
    mandate = deputy.mandates.get()
    mark = Mark(deputy)
    ended = actions.end_mandate(
        acting_user=personas.staff, mandate=mandate, ended_on=date(2026, 3, 20), reason=reason
    )
    assert (ended.ended_on, ended.end_reason, ended.is_active) == (date(2026, 3, 20), reason, False)
    assert Mandate.objects.filter(pk=mandate.pk).exists()  # history is kept
    label = Mandate.EndReason(reason).label
    assert mark.event().summary == f"终止代表资格：第18届区人大代表（{label}，2026-03-20）"
    assert not Deputy.objects.with_active_mandate().filter(pk=deputy.pk).exists()


def test_other_needs_a_note(personas, time_machine):
    time_machine.move_to(date(2026, 4, 1), tick=False)
    mandate = personas.deputy.deputy.mandates.get()
    error = refused(
        mandate,
        lambda: actions.end_mandate(
            acting_user=personas.staff, mandate=mandate, ended_on=date(2026, 3, 1), reason="other"
        ),
        "终止原因为“其他”时，请写明说明。",
    )
    assert error.field_errors == {"note": "终止原因为“其他”时，请写明说明"}
    ended = actions.end_mandate(
        acting_user=personas.admin,
        mandate=mandate,
        ended_on=date(2026, 3, 1),
        reason="other",
        note="当选无效",
    )
    assert ended.end_note == "当选无效"


def test_end_refusals_change_nothing(personas, org, time_machine):
    time_machine.move_to(date(2026, 4, 1), tick=False)
    mandate = personas.deputy.deputy.mandates.get()  # started 2022-01-06
    for kwargs, message in [
        ({"ended_on": date(2021, 12, 31)}, "终止日期不能早于当选日期（2022-01-06）。"),
        ({"ended_on": date(2026, 4, 2)}, "终止日期不能晚于今天。"),
        ({"ended_on": None}, "请填写终止日期。"),
        ({"reason": "bored"}, "请选择终止原因。"),
    ]:
        values = {"ended_on": date(2026, 3, 1), "reason": "resigned", **kwargs}
        refused(
            mandate,
            lambda values=values: actions.end_mandate(
                acting_user=personas.staff, mandate=mandate, **values
            ),
            message,
        )
    for role in ["street", "leader", "social_staff", "deputy"]:
        refused(
            mandate,
            lambda role=role: actions.end_mandate(
                acting_user=getattr(personas, role),
                mandate=mandate,
                ended_on=date(2026, 3, 1),
                reason="resigned",
            ),
            "只有系统管理员和人事代表工作室可以维护代表名册。",
            NotAllowed,
        )
    actions.end_mandate(
        acting_user=personas.staff, mandate=mandate, ended_on=date(2026, 3, 1), reason="died"
    )
    for call, message in [
        (
            lambda: actions.end_mandate(
                acting_user=personas.staff,
                mandate=mandate,
                ended_on=date(2026, 3, 2),
                reason="resigned",
            ),
            "该代表资格已于 2026-03-01 终止（死亡）。",
        ),
        (
            lambda: actions.update_mandate(
                acting_user=personas.staff, mandate=mandate, seat=seat(org)
            ),
            "该代表资格已终止，不能再修改。",
        ),
    ]:
        refused(mandate, call, message)


def test_a_new_term_after_an_ended_one(personas, org):
    """Ending keeps the row; the person may later hold another term's seat."""
    deputy = DeputyFactory(full_name="连任者")
    MandateFactory(
        deputy=deputy,
        term_number=17,
        street=org.street,
        started_on=date(2017, 1, 6),
        ended_on=date(2021, 12, 31),
        end_reason="term_ended",
    )
    actions.add_mandate(acting_user=personas.staff, deputy=deputy, seat=seat(org, group=None))
    assert sorted(deputy.mandates.values_list("term_number", flat=True)) == [17, 18]

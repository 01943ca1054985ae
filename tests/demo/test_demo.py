"""The demo congress (`renda demo`): what it contains, that it is the same for the same seed, and
that the command is safe to run twice."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from renda.core.calendar import WorkCalendar
from renda.core.errors import DomainError
from renda.core.idcard import birth_date_from_id, gender_from_id, is_valid_id_number
from renda.core.models import (
    Congress,
    Office,
    Role,
    RoleMembership,
    Street,
    Unit,
    User,
)
from renda.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from renda.demo.build import build_demo, database_is_empty, plan_demo
from renda.demo.organisation import OFFICES, STREETS
from renda.demo.people import GUARANTEED_SURNAMES, PHONE_PREFIXES, REFERENCE_DATE
from renda.demo.suggestions import STORIES, ordered_steps
from renda.deputies.models import Deputy, Group, Level, Mandate, OccupationCategory, Party
from renda.deputies.names import pinyin_key, stroke_key
from renda.meetings.models import Meeting
from renda.plans.models import Plan, PlanItem
from renda.suggestions.models import Status
from tests.demo.support import FAST_HASHERS, planned_suggestions


def suggestion_fingerprint_of_plan(plan) -> list[tuple]:
    """What the demo's suggestions must be, in the order they were drafted: title, lead deputy,
    the state the path ends in, and the number the order of acceptance (and 并案) gives."""
    drafted, numbers = [], {}
    for spec, step in ordered_steps(plan.suggestions):
        if step.move == "draft":
            drafted.append(spec)
        elif step.move in ("accept", "merge"):
            numbers[spec.key] = len(numbers) + 1
    return [
        (s.title, plan.deputies[s.deputy].full_name, STORIES[s.story][2], numbers.get(s.key))
        for s in drafted
    ]


def suggestion_fingerprint_of_database() -> list[tuple]:
    return list(
        planned_suggestions()
        .order_by("pk")
        .values_list("title", "deputy__full_name", "status", "number")
    )


def _deputy_rows(deputies) -> list[tuple]:
    """A comparable fingerprint of deputies and mandates, from the database or from a plan."""
    return sorted(
        (
            d["full_name"],
            d["id_number"],
            d["gender"],
            d["birth_date"],
            d["party"],
            tuple(d["seats"]),
        )
        for d in deputies
    )


def _plan_rows(plan) -> list[tuple]:
    return _deputy_rows(
        {
            "full_name": s.full_name,
            "id_number": s.id_number,
            "gender": s.gender,
            "birth_date": s.birth_date,
            "party": s.party,
            "seats": sorted(
                (m.level, m.term_number, m.electoral_unit, m.street, m.ended_on) for m in s.mandates
            ),
        }
        for s in plan.deputies
    )


def _database_rows() -> list[tuple]:
    deputies = Deputy.objects.prefetch_related("mandates__street")
    return _deputy_rows(
        {
            "full_name": d.full_name,
            "id_number": d.id_number,
            "gender": d.gender,
            "birth_date": d.birth_date,
            "party": d.party,
            "seats": sorted(
                (m.level, m.term_number, m.electoral_unit, m.street.name, m.ended_on)
                for m in d.mandates.all()
            ),
        }
        for d in deputies
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
class TestDemoData:
    def test_summary(self, demo):
        assert demo.deputies == 421
        assert demo.mandates == 451
        assert demo.active_mandates == 448
        assert sum(demo.suggestions.values()) == 250
        assert set(demo.suggestions) == set(Status.values)
        assert any(line.startswith("代表建议 250 件（草稿 ") for line in demo.lines())
        assert set(demo.plans) == {"draft", "submitted", "approved", "published"}
        assert all(demo.plans.values()) and all(demo.plan_items.values())
        assert demo.plans["draft"] == demo.plans["submitted"] == 1
        assert sum(demo.plan_items.values()) == PlanItem.objects.count() > 50
        assert any(line.startswith("工作计划 13 个（起草中 1、待审定 1、") for line in demo.lines())

    def test_congress(self):
        congress = Congress.current()
        assert congress.name == "济南市泉城区人民代表大会常务委员会"
        assert congress.short_name == "泉城区人大常委会"
        assert congress.region == "泉城区"
        assert congress.term_number == 18
        assert congress.deputy_affairs_office.name == "人事代表工作室"
        latest = Meeting.objects.filter(kind=Meeting.Kind.CONGRESS).order_by("-number").first()
        assert congress.session_number == latest.number == 5

    def test_offices_streets_groups_units(self):
        assert list(Office.objects.values_list("name", "kind")) == [
            (o.name, o.kind) for o in OFFICES
        ]
        general = set(
            Office.objects.filter(kind=Office.Kind.GENERAL).values_list("name", flat=True)
        )
        assert general == {"办公室", "研究室"}
        assert list(Street.objects.values_list("name", flat=True)) == list(STREETS)
        groups = list(Group.objects.select_related("street"))
        assert len(groups) == 12
        assert all(g.term_number == 18 and g.name == f"{g.street.name}代表小组" for g in groups)
        assert Unit.objects.count() >= 38
        kinds = Counter(Unit.objects.values_list("kind", flat=True))
        assert kinds[Unit.Kind.COURT] == kinds[Unit.Kind.PROCURATORATE] == 1
        assert kinds[Unit.Kind.SUPERVISORY] == 1
        assert kinds[Unit.Kind.GOVERNMENT] >= 30
        for name in ("区住房和城乡建设局", "区城市管理局", "区人民法院", "区人民检察院"):
            assert Unit.objects.filter(name=name).exists()

    def test_deputies_and_levels(self):
        assert Deputy.objects.count() == 421
        active = Mandate.objects.filter(ended_on=None)
        levels = Counter(active.values_list("level", flat=True))
        assert levels == {
            Level.NATIONAL: 3,
            Level.PROVINCIAL: 12,
            Level.MUNICIPAL: 45,
            Level.DISTRICT: 388,
        }
        per_deputy = Counter(active.values_list("deputy_id", flat=True))
        assert set(per_deputy) == set(Deputy.objects.values_list("id", flat=True))
        assert sum(1 for n in per_deputy.values() if n == 2) == 27
        municipal = set(active.filter(level=Level.MUNICIPAL).values_list("deputy_id", flat=True))
        district = set(active.filter(level=Level.DISTRICT).values_list("deputy_id", flat=True))
        assert len(municipal & district) == 25

    def test_mandate_details(self):
        pattern = re.compile(r"^第\d+选区$")
        for m in Mandate.objects.select_related("street", "group"):
            assert m.street is not None
            if m.level == Level.DISTRICT:
                assert m.term_number == 18
                assert pattern.match(m.electoral_unit)
                assert m.group is not None and m.group.street_id == m.street_id
                assert m.started_on >= date(2022, 1, 1)
            else:
                assert m.electoral_unit == "泉城区" and m.group is None
                expected_term = 18 if m.level == Level.MUNICIPAL else 14
                assert m.term_number == expected_term
            if m.level == Level.NATIONAL:
                assert m.started_on.year == 2023
        ended = list(Mandate.objects.exclude(ended_on=None))
        assert len(ended) == 3
        assert all(m.end_reason and m.started_on < m.ended_on < REFERENCE_DATE for m in ended)
        # Every group has enough current deputies to be a group (at least 3).
        sizes = Counter(
            Mandate.objects.filter(ended_on=None, level=Level.DISTRICT).values_list(
                "group__name", flat=True
            )
        )
        assert len(sizes) == 12 and min(sizes.values()) >= 3

    def test_id_numbers_and_phones(self):
        rows = list(Deputy.objects.values_list("id_number", "birth_date", "gender", "phone"))
        numbers = [r[0] for r in rows]
        assert len(set(numbers)) == 421
        for number, born, gender, phone in rows:
            assert is_valid_id_number(number), number
            assert number[:6] in {"370102", "370103", "370104", "370105", "370112"}
            assert birth_date_from_id(number) == born
            assert gender_from_id(number) == gender
            assert len(phone) == 11 and phone.isdigit() and phone[:3] in PHONE_PREFIXES
        assert len({r[3] for r in rows}) == 421

    def test_composition(self):
        deputies = list(Deputy.objects.all())
        n = len(deputies)

        def share(predicate) -> float:
            return sum(1 for d in deputies if predicate(d)) / n

        assert 0.25 <= share(lambda d: d.gender == "F") <= 0.38
        assert 0.62 <= share(lambda d: d.party == Party.CPC) <= 0.74
        democratic = {
            Party.RCCK,
            Party.CDL,
            Party.CDNCA,
            Party.CAPD,
            Party.PWDP,
            Party.ZGD,
            Party.JS,
        }
        assert 0.07 <= share(lambda d: d.party in democratic) <= 0.14
        ethnicities = Counter(d.ethnicity for d in deputies)
        assert ethnicities["汉族"] / n > 0.9
        assert {"回族", "满族", "蒙古族"} <= set(ethnicities)
        occupations = Counter(d.occupation_category for d in deputies)
        expected = {
            OccupationCategory.OFFICIAL: (0.27, 0.33),
            OccupationCategory.BUSINESS: (0.15, 0.21),
            OccupationCategory.PROFESSIONAL: (0.19, 0.25),
            OccupationCategory.WORKER: (0.08, 0.12),
            OccupationCategory.FARMER: (0.03, 0.05),
            OccupationCategory.COMMUNITY: (0.06, 0.10),
        }
        for category, (low, high) in expected.items():
            assert low <= occupations[category] / n <= high, category
        assert 1 <= occupations[OccupationCategory.MILITARY] <= 2
        for d in deputies:
            age = (
                REFERENCE_DATE.year
                - d.birth_date.year
                - (
                    (REFERENCE_DATE.month, REFERENCE_DATE.day)
                    < (d.birth_date.month, d.birth_date.day)
                )
            )
            assert 28 <= age <= 65, (d.full_name, d.birth_date)
            assert d.work_position

    def test_names_and_sort_keys(self):
        deputies = list(Deputy.objects.all())
        for d in deputies:
            assert d.name_stroke_key == stroke_key(d.full_name)
            assert d.name_pinyin == pinyin_key(d.full_name)
            assert 2 <= len(d.full_name) <= 4
        names = Counter(d.full_name for d in deputies)
        # Exactly one pair of namesakes (同名), so that lists are tested on telling them apart.
        assert sorted(names.values())[-2:] == [1, 2]
        for surname in GUARANTEED_SURNAMES:
            assert any(name.startswith(surname) for name in names), surname
        shan = next(d for d in deputies if d.full_name.startswith("单"))
        assert shan.name_pinyin.startswith("shan ")

    def test_meetings(self):
        calendar = WorkCalendar()
        sessions = list(Meeting.objects.filter(kind=Meeting.Kind.CONGRESS).order_by("number"))
        assert [(m.number, m.date.year) for m in sessions] == [
            (1, 2022),
            (2, 2023),
            (3, 2024),
            (4, 2025),
            (5, 2026),
        ]
        standing = list(Meeting.objects.filter(kind=Meeting.Kind.STANDING).order_by("number"))
        numbers = [m.number for m in standing]
        assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))
        assert numbers[0] >= 20
        dates = [m.date for m in standing]
        assert dates == sorted(dates)
        assert all((b - a) <= timedelta(days=66) for a, b in zip(dates, dates[1:], strict=False))
        directors = list(Meeting.objects.filter(kind=Meeting.Kind.DIRECTOR).order_by("number"))
        per_month = Counter(m.date.month for m in directors)
        assert per_month == dict.fromkeys(range(1, 12), 2)
        assert [m.date for m in directors] == sorted(m.date for m in directors)
        for m in standing + directors:
            assert m.term_number == 18 and m.date.year == 2026 and m.date.month <= 11
            assert m.date.weekday() < 5 and calendar.is_workday(m.date), m

    def test_accounts_log_in_with_their_roles(self, settings):
        settings.PASSWORD_HASHERS = FAST_HASHERS
        offices = dict(Office.objects.values_list("id", "name"))
        streets = dict(Street.objects.values_list("id", "name"))
        units = dict(Unit.objects.values_list("id", "name"))
        for account in DEMO_ACCOUNTS:
            user = authenticate(username=account.username, password=DEMO_PASSWORD)
            assert user is not None, account.username
            assert user.full_name == account.full_name
            roles = user.roles
            assert roles.names == {m.role for m in account.memberships}
            assert {offices[i] for i in roles.office_ids} == {
                m.office for m in account.memberships if m.office
            }
            assert {streets[i] for i in roles.street_ids} == {
                m.street for m in account.memberships if m.street
            }
            assert {units[i] for i in roles.unit_ids} == {
                m.unit for m in account.memberships if m.unit
            }
            if account.deputy is not None:
                deputy = Deputy.objects.get(user=user)
                assert deputy.full_name == user.full_name
                seat = deputy.mandates.get(ended_on=None)
                assert seat.level == Level.DISTRICT and seat.street.name == account.deputy.street
            else:
                assert not Deputy.objects.filter(user=user).exists()
        assert User.objects.get(username="admin").is_superuser
        duozhi = User.objects.get(username="duozhi").roles
        assert duozhi.names == {Role.STAFF, Role.DEPUTY}
        daibiao = User.objects.get(username="daibiao")
        assert daibiao.deputy.mandates.get().street.name == STREETS[0]

    def test_wrong_password_is_refused(self, settings):
        settings.PASSWORD_HASHERS = FAST_HASHERS
        assert authenticate(username="zhuren", password="wrong-password") is None

    def test_database_matches_the_plan_for_the_seed(self):
        assert _database_rows() == _plan_rows(plan_demo(seed=2026))

    def test_not_empty_any_more(self):
        assert not database_is_empty()
        with pytest.raises(DomainError) as info:
            build_demo(seed=2026)
        assert info.value.code == "demo_not_empty"
        assert Deputy.objects.count() == 421


# -- determinism: planning touches no database (these tests have no database access) --------


def test_same_seed_same_plan():
    assert plan_demo(seed=2026) == plan_demo(seed=2026)


def test_other_seed_other_plan():
    first, other = plan_demo(seed=2026), plan_demo(seed=1)
    assert _plan_rows(first) != _plan_rows(other)
    # Same shape whatever the seed.
    assert len(other.deputies) == 421
    assert sum(len(d.mandates) for d in other.deputies) == 451
    assert all(is_valid_id_number(d.id_number) for d in other.deputies)


@pytest.mark.parametrize("seed", [1, 7, 99, 12345])
def test_every_seed_gives_a_sound_plan(seed):
    plan = plan_demo(seed=seed)
    assert len({d.id_number for d in plan.deputies}) == 421
    assert len({d.phone for d in plan.deputies}) == 421
    names = Counter(d.full_name for d in plan.deputies)
    assert max(names.values()) == 2 and list(names.values()).count(2) == 1
    linked = {d.account: d.full_name for d in plan.deputies if d.account}
    assert linked == {a.username: a.full_name for a in DEMO_ACCOUNTS if a.deputy}
    assert len(plan.suggestions.suggestions) == 250


# -- the command ---------------------------------------------------------------------------------


def _counts() -> tuple[int, ...]:
    return (
        Congress.objects.count(),
        Office.objects.count(),
        Street.objects.count(),
        Unit.objects.count(),
        Group.objects.count(),
        Deputy.objects.count(),
        Mandate.objects.count(),
        Meeting.objects.count(),
        User.objects.count(),
        RoleMembership.objects.count(),
        Plan.objects.count(),
        PlanItem.objects.count(),
    )


@pytest.mark.django_db
def test_command_if_empty_built_once_then_skips(demo_build):
    """The package's demo was built by `renda demo --if-empty`; a second run skips."""
    assert "演示数据已生成" in demo_build.output
    after_first = _counts()
    assert after_first[5] == 421
    assert after_first[-2] == 13  # the demo year's plans and next year's two drafts
    # The build from the default seed gives the suggestions its plan says.
    assert suggestion_fingerprint_of_database() == suggestion_fingerprint_of_plan(plan_demo())
    second = StringIO()
    call_command("demo", "--if-empty", stdout=second)
    assert _counts() == after_first
    output = second.getvalue()
    assert "跳过" in output
    for account in DEMO_ACCOUNTS:
        assert account.username in output and account.description in output
    assert DEMO_PASSWORD in output


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
def test_command_refuses_without_if_empty():
    before = _counts()
    with pytest.raises(CommandError, match="已有数据"):
        call_command("demo", stdout=StringIO())
    assert _counts() == before

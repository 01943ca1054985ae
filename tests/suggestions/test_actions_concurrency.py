"""Two people on the same suggestion: every action re-reads the row under a lock, and a save based
on an older version is refused (409) with nothing saved — no lost update."""

from datetime import date

import pytest
from django.db import connection
from django.db.models import F, QuerySet
from django.test.utils import CaptureQueriesContext

from renda.core.errors import ConflictError
from renda.suggestions import actions
from renda.suggestions.actions import AssignmentPlan
from renda.suggestions.models import Status, Suggestion
from tests.suggestions.factories import (
    answer_category,
    answer_draft,
    frozen,  # noqa: F401  (fixture)
    refused,
    reload,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

STALE = "该建议已被他人修改，请刷新页面后重新操作。（您的修改未保存）"


def test_first_save_wins_the_second_is_refused(world):
    s = world.answered()
    page_a, page_b = reload(s), reload(s)  # two staff open the page: both read version N
    actions.close(acting_user=world.p.staff, suggestion=page_a, version=page_a.version)
    error = refused(
        s,
        lambda: actions.return_answer(
            acting_user=world.p.admin, suggestion=page_b, reason="重写", version=page_b.version
        ),
        STALE,
        ConflictError,
    )
    assert (error.status, error.code) == (409, "stale_version")
    s = reload(s)
    assert s.status == Status.CLOSED and s.version == page_a.version + 1


def test_a_change_committed_by_another_connection_is_seen_under_the_lock(world):
    s = world.draft()
    seen = reload(s)
    # Another user's transaction commits between this user's read and save.
    Suggestion.objects.filter(pk=s.pk).update(title="他人改过的标题", version=F("version") + 1)
    refused(
        s,
        lambda: actions.save_draft(
            acting_user=world.p.deputy,
            deputy=world.p.deputy.deputy,
            suggestion=seen,
            version=seen.version,
            title="我的标题",
            content="内容",
            category=seen.category,
            timing="during",
        ),
        STALE,
        ConflictError,
    )
    assert reload(s).title == "他人改过的标题"


def test_without_a_version_the_row_is_still_re_read(world):
    """An action never trusts the object it is given: a stale in-memory 'submitted' copy cannot
    decline what another user has already accepted."""
    s = world.submitted()
    stale_copy = reload(s)
    actions.accept(acting_user=world.p.staff, suggestion=s)
    refused(
        s,
        lambda: actions.decline(acting_user=world.p.admin, suggestion=stale_copy, reason="重复"),
        "当前状态为“待交办”，不能不予立案。",
    )


def test_the_lock_is_taken_with_select_for_update(world):
    s = world.submitted()
    with CaptureQueriesContext(connection) as queries:
        actions.accept(acting_user=world.p.staff, suggestion=s, version=s.version)
    table = Suggestion._meta.db_table
    first_read = next(
        q["sql"] for q in queries if q["sql"].startswith("SELECT") and table in q["sql"]
    )
    # FOR UPDATE where the engine has it (PostgreSQL in CI); SQLite locks the whole database
    # for the write transaction instead (transaction_mode IMMEDIATE).
    assert ("FOR UPDATE" in first_read) == connection.features.has_select_for_update


def test_every_write_bumps_the_version(world):
    s = world.accepted()
    versions = [reload(s).version]
    actions.assign(
        acting_user=world.p.staff,
        suggestion=s,
        plan=AssignmentPlan(mode="lead", lead_unit=world.org.unit),
    )
    versions.append(reload(s).version)
    actions.sign_for(acting_user=world.p.unit, assignment=world.assignment(s, world.org.unit))
    versions.append(reload(s).version)
    actions.answer(acting_user=world.p.unit, suggestion=s, draft=answer_draft())
    versions.append(reload(s).version)
    assert versions == list(range(versions[0], versions[0] + 4))
    # A page that read before the answer can no longer rate on it.
    refused(
        s,
        lambda: actions.rate(
            acting_user=world.p.deputy,
            suggestion=s,
            attitude="satisfied",
            result="satisfied",
            version=versions[-2],
        ),
        STALE,
        ConflictError,
    )


@pytest.fixture
def locks(monkeypatch) -> list[str]:
    """The models each action locks with select_for_update, in order."""
    taken: list[str] = []
    original = QuerySet.select_for_update

    def spy(self, *args, **kwargs):
        taken.append(self.model.__name__)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", spy)
    return taken


def test_the_suggestion_is_always_locked_before_its_parts(world, locks):
    """One lock order for every action: two actions can never wait on each other."""
    s = world.answered(code="B")
    locks.clear()
    actions.correct_category(
        acting_user=world.p.staff, answer=s.answers.get(), category=answer_category("C")
    )
    assert locks == ["Suggestion", "Answer"]

    s = world.assigned()
    locks.clear()
    actions.sign_for(acting_user=world.p.unit, assignment=world.assignment(s, world.org.unit))
    assert locks == ["Suggestion", "Assignment"]

    s = world.handling(co_unit=False)
    ext = actions.request_extension(
        acting_user=world.p.unit, suggestion=s, new_due=date(2026, 6, 28), reason="x"
    )
    locks.clear()
    actions.decide_extension(acting_user=world.p.staff, extension=ext, approve=True)
    assert locks == ["Suggestion", "Extension"]

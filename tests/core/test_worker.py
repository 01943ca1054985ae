import pytest
from django.core.management import call_command

from renda.core import ticks


# The worker closes stale connections each round, as a long-running process must; that would end a
# test's wrapping transaction, so this test runs without one.
@pytest.mark.django_db(transaction=True)
def test_worker_once_runs_every_tick_and_survives_a_failing_one(capsys):
    seen = []

    @ticks.register("test_ok")
    def ok(now):
        seen.append(now)
        return 3

    @ticks.register("test_broken")
    def broken(now):
        raise RuntimeError("boom")

    try:
        call_command("worker", "--once")
    finally:
        ticks._ticks.pop("test_ok")
        ticks._ticks.pop("test_broken")
    assert len(seen) == 1
    out = capsys.readouterr().out
    assert "'test_ok': 3" in out and "error: boom" in out

"""The actions' clock. Entering past work (the demo, an import of last session's register) runs
the actions "as of" a day: deadlines, dates and the timeline then carry that day, not today.
One clock for every app, so work that spans apps (an inspection closing its plan item, a voter's
opinion becoming a suggestion) is entered as of the same day."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time

from django.utils import timezone

_as_of: ContextVar[date | None] = ContextVar("renda_as_of", default=None)


@contextmanager
def as_of(day: date) -> Iterator[None]:
    token = _as_of.set(day)
    try:
        yield
    finally:
        _as_of.reset(token)


def today() -> date:
    return _as_of.get() or timezone.localdate()


def now() -> datetime:
    """Now, or ten in the morning of the day entered as of."""
    day = _as_of.get()
    if day is None:
        return timezone.now()
    return timezone.make_aware(datetime.combine(day, time(10, 0)))

"""The periodic tick: deadline checks that apps register, run by the one worker.

Each registered function takes `now` and must be idempotent (claim rows with a conditional
update, log reminders once), because a tick may run twice after a restart."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from renda.core import backup

logger = logging.getLogger(__name__)

Tick = Callable[[datetime], int]
_ticks: dict[str, Tick] = {}


def register(name: str) -> Callable[[Tick], Tick]:
    def decorator(func: Tick) -> Tick:
        _ticks[name] = func
        return func

    return decorator


def registered() -> dict[str, Tick]:
    return dict(_ticks)


def run_ticks(now: datetime) -> dict[str, int | str]:
    """Run every tick; one failing tick is logged and does not stop the others."""
    results: dict[str, int | str] = {}
    for name, func in _ticks.items():
        try:
            results[name] = func(now)
        except Exception as exc:  # the worker must keep running; the error is logged
            logger.exception("tick %s failed", name)
            results[name] = f"error: {exc}"
    return results


register("nightly_backup")(backup.nightly_backup)  # RENDA_BACKUP_NIGHTLY=1 turns it on

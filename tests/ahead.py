"""Slow set-up started ahead of the tests that need it, so that it runs while others do.

Most of the suite's set-up uses one core at a time: a Sphinx build, a kernel, pip. On the
2-core CI machine, the book's first build can run while the data tests do, and the
editions' builds and the student's virtual environments while the build and notebook
tests do. A test module lists such work, by name, in one of two dictionaries:

* ``START_AT_COLLECTION``: started as soon as one of its tests is selected;
* ``START_AFTER_BOOK_BUILD``: started once the real book is built (``conftest.built_book``),
  because it reuses that build's execution cache and must not execute notebooks itself.

Its fixtures then ask for the result with ``result(name, task)``, which waits for the
work if it was started, and does it now if not (a single test run alone).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent import futures
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

# Two workers: with the tests themselves, three streams of work on two cores, so that a
# worker waiting for pip's downloads or for another build still leaves a core busy.
_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="ahead")
_started: dict[str, Future] = {}
_lock = threading.Lock()


def start(name: str, task: Callable[[], Any]) -> Future:
    """Start ``task`` in the background under ``name``, unless it was started already."""
    with _lock:
        if name not in _started:
            _started[name] = _pool.submit(task)
        return _started[name]


def result(name: str, task: Callable[[], Any]) -> Any:
    """What ``task`` returns (or raises), from the run started under ``name``, or from a
    run started now."""
    return start(name, task).result()


def wait_if_started(name: str) -> None:
    """Wait for the work started under ``name``, if any (its errors are its owner's to
    report)."""
    with _lock:
        future = _started.get(name)
    if future is not None:
        futures.wait([future])


def start_listed(modules, attribute: str) -> None:
    """Start the work that ``modules`` list in their dictionary ``attribute``."""
    for module in modules:
        for name, task in getattr(module, attribute, {}).items():
            start(name, task)


def cancel_pending() -> None:
    """Cancel the work that has not started; what runs is left to finish."""
    _pool.shutdown(wait=False, cancel_futures=True)

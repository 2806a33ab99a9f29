"""SIGTERM handled like Ctrl-C, so that work in progress is undone before the process ends, and clean-ups that a
signal cannot cut off half way."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from pybackend.errors import Interrupted


@contextmanager
def sigterm_interrupts() -> Iterator[None]:
    """Within the block, SIGTERM raises `Interrupted` (a BaseException, like KeyboardInterrupt)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def _raise(signum: int, frame: FrameType | None) -> None:
        raise Interrupted

    previous = signal.signal(signal.SIGTERM, _raise)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def uninterruptible() -> Iterator[None]:
    """Within the block, SIGTERM and Ctrl-C wait: a clean-up must not itself be cut off half way."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []

    def _defer(signum: int, frame: FrameType | None) -> None:
        received.append(signum)

    previous = {number: signal.signal(number, _defer) for number in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    if received:
        raise KeyboardInterrupt if received[0] == signal.SIGINT else Interrupted


_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def signals_dropped() -> Iterator[None]:
    """Hold off Ctrl-C and SIGTERM within the block, and drop them after: for a rollback, which stopped half way
    would leave a half-updated tree, while the command is ending with "interrupted" anyway. (Its git commands
    run in a session of their own, so a Ctrl-C sent to the whole process group does not stop them either.)
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        yield
    finally:
        handlers = {signum: signal.signal(signum, signal.SIG_IGN) for signum in _SIGNALS}
        # Unblocking delivers what arrived meanwhile to SIG_IGN, which discards it.
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _SIGNALS)
        for signum, handler in handlers.items():
            signal.signal(signum, handler)

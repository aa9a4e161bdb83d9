"""Worker processes that do not outlive their parent, and a Ctrl-C that is not lost.

A process pool's workers wait for work from their parent. If the parent is killed
(SIGKILL, an out-of-memory kill, a cluster's job limit), nothing tells them, and
they would sit idle for ever, each holding its memory. :func:`end_with` is a pool
initializer that watches the parent and ends the worker once it is gone.

Python raises ``KeyboardInterrupt`` wherever the main thread is when Ctrl-C arrives.
Inside a ctypes callback (LLVM telling Numba that it compiled code, which happens while
Numba starts up) the exception is printed as "Exception ignored" and dropped, and the
program goes on as if no key had been pressed; inside a string ``exec`` (dataclasses,
Numba) it marks the interpreter, and ``python -m`` then dies of SIGINT whatever exit
code the program chose. :func:`interrupt_latch` only records the signal, and the
program raises ``KeyboardInterrupt`` where it chooses (:meth:`InterruptLatch.check`).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.context
import multiprocessing.forkserver
import multiprocessing.resource_tracker
import os
import select
import signal
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from types import FrameType

__all__ = ["InterruptLatch", "end_with", "interrupt_latch", "worker_context", "worker_pool"]

#: Seconds between two looks at the parent.
POLL_SECONDS = 1.0


def end_with(parent: int) -> None:
    """Pool initializer: end this worker soon after process ``parent`` has exited.

    Use as ``ProcessPoolExecutor(initializer=end_with, initargs=(os.getpid(),))``.
    The worker's own parent may be a fork server, not the process that made the
    pool, hence the explicit process id. A daemon thread waits for ``parent`` to exit:
    on Linux through a process file descriptor, which signals the exit itself; elsewhere
    it looks once a second. An exited process that nobody has reaped yet (a zombie) still
    answers ``os.kill(pid, 0)``, and a worker waiting for it to vanish would hold open
    the pipes its reaper reads to their end (each waiting for the other), so the look
    also reads the process's state where ``/proc`` has it. Not on Windows, where
    ``os.kill`` cannot test for a process without ending it.
    """
    if sys.platform == "win32":  # pragma: no cover - POSIX only
        return

    def watch() -> None:
        try:
            handle = os.pidfd_open(parent)
        except ProcessLookupError:
            os._exit(1)
        except (AttributeError, OSError):  # not Linux 5.3 or later: look, once a second
            while not _exited(parent):
                time.sleep(POLL_SECONDS)
            os._exit(1)
        select.select([handle], [], [])  # readable once the process has exited
        os._exit(1)

    threading.Thread(target=watch, name="equipoise-end-with-parent", daemon=True).start()


def _exited(pid: int) -> bool:
    """Whether process ``pid`` has exited (gone, or a zombie where ``/proc`` tells)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # it exists but is someone else's
        pass
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except (OSError, IndexError):
        return False


def worker_context(preload: Sequence[str]) -> multiprocessing.context.BaseContext:
    """A start method for worker processes that Ctrl-C in a terminal does not reach.

    ``forkserver`` (``spawn`` where it is missing) with ``preload`` imported once in
    the server. A Ctrl-C reaches every process of the terminal's foreground group; a
    fork server importing its preload would die of it with a traceback, and a worker
    forked from it could catch it before its initializer ignores it. So the server is
    started here with SIGINT blocked, as CPython starts its resource tracker, and every
    worker it forks inherits the block: the process that made the pool alone handles
    Ctrl-C, by ending the workers. A server already running is kept.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():  # pragma: no cover
        return multiprocessing.get_context("spawn")  # Windows
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(preload))
    # the server starts the resource tracker first, which unblocks SIGINT when it has
    # started: so it is started before the block (its own process ignores Ctrl-C)
    multiprocessing.resource_tracker.ensure_running()
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        multiprocessing.forkserver.ensure_running()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)
    return context


def worker_pool(workers: int, preload: Sequence[str]) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes that leave Ctrl-C to its maker and end with it.

    Started by :func:`worker_context`; each worker ignores Ctrl-C and ends soon after the
    process that made the pool (:func:`end_with`).
    """
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=worker_context(preload),
        initializer=_start_worker,
        initargs=(os.getpid(),),
    )


def _start_worker(parent: int) -> None:
    """Pool initializer: leave Ctrl-C to the parent, and end with it (:func:`end_with`).

    A Ctrl-C in a terminal reaches every process of the foreground group; a worker in the
    middle of a task (compiled code) would only see it when the task ends, and an idle one
    would print a traceback. The parent handles it instead and ends the workers. The
    fork server's workers have SIGINT blocked from birth already (:func:`worker_context`);
    ignoring it covers the ``spawn`` method too.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    end_with(parent)


class InterruptLatch:
    """What :func:`interrupt_latch` yields: whether Ctrl-C was pressed, and a check."""

    def __init__(self, outer: InterruptLatch | None = None) -> None:
        self.outer = outer
        self._pressed = False

    @property
    def pressed(self) -> bool:
        """Whether Ctrl-C was pressed while this latch, or one it is nested in, was on."""
        return self._pressed or (self.outer is not None and self.outer.pressed)

    def press(self) -> None:
        """Record a Ctrl-C (the signal handler's part)."""
        self._pressed = True

    def check(self) -> None:
        """Raise ``KeyboardInterrupt`` if Ctrl-C was pressed (see :attr:`pressed`)."""
        if self.pressed:
            raise KeyboardInterrupt


@contextlib.contextmanager
def interrupt_latch() -> Iterator[InterruptLatch]:
    """Record Ctrl-C while the block runs, rather than raise it wherever it lands.

    The block calls :meth:`InterruptLatch.check` where stopping is safe (a loop's
    turn); leaving the block checks once more, so a press is never lost, only put off
    to the next check. A latch opened inside another also sees the presses the outer one
    recorded before it opened. Outside the main thread, or where Ctrl-C is ignored or
    handled by the caller's own handler, the latch records nothing and Ctrl-C does what
    it did before.
    """
    on_main = threading.current_thread() is threading.main_thread()
    previous = signal.getsignal(signal.SIGINT) if on_main else None
    outer = getattr(previous, "latch", None)
    if previous is not signal.default_int_handler and outer is None:
        yield InterruptLatch()  # another thread, SIG_IGN, SIG_DFL or the caller's handler
        return
    latch = InterruptLatch(outer=outer)

    def record(signum: int, frame: FrameType | None) -> None:
        latch.press()

    record.latch = latch  # type: ignore[attr-defined]  # found by a latch opened inside
    signal.signal(signal.SIGINT, record)
    try:
        yield latch
    finally:
        signal.signal(signal.SIGINT, previous)
    latch.check()

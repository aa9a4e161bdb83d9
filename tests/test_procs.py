"""Pool workers end with the process that started them, even when it is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

POOL = """
import os, sys, time
from equipoise.experiments import process_pool
pool = process_pool(2)
pids = set()
while len(pids) < 2:  # make both workers start
    pids |= {f.result() for f in [pool.submit(os.getpid) for _ in range(8)]}
print(" ".join(map(str, sorted(pids))), flush=True)
time.sleep(120)
"""


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and os.kill(pid, 0)")
def test_workers_of_a_killed_sweep_process_end() -> None:
    parent = subprocess.Popen([sys.executable, "-c", POOL], stdout=subprocess.PIPE, text=True)
    try:
        assert parent.stdout is not None
        workers = [int(p) for p in parent.stdout.readline().split()]
        assert len(workers) == 2 and all(_exists(p) for p in workers)
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        if parent.stdout is not None:
            parent.stdout.close()
    deadline = time.monotonic() + 30
    while any(_exists(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    # an exited worker whose parent (the fork server) has not reaped it yet is a zombie:
    # gone as far as work and memory go
    alive = [p for p in workers if _exists(p) and not _zombie(p)]
    assert not alive, f"workers {alive} outlived the killed process"


def _zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return not _exists(pid)


LEFT_UNREAPED = """
import os
from equipoise.experiments import process_pool
pool = process_pool(1)
print(pool.submit(os.getpid).result(), flush=True)
os._exit(0)  # no shutdown: the worker is left to notice by itself
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc")
def test_workers_end_while_their_exited_parent_is_not_yet_reaped() -> None:
    """An exited process nobody has reaped still answers ``os.kill(pid, 0)``: a worker
    that waited for it to vanish held the pipes of the process reading them to the end."""
    parent = subprocess.Popen(
        [sys.executable, "-c", LEFT_UNREAPED], stdout=subprocess.PIPE, text=True
    )
    try:
        assert parent.stdout is not None
        worker = int(parent.stdout.readline())
        deadline = time.monotonic() + 30
        while _exists(worker) and not _zombie(worker) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _zombie(parent.pid), "the parent is left unreaped while the worker is watched"
        assert not _exists(worker) or _zombie(worker), "the worker outlived its parent"
    finally:
        parent.wait()
        if parent.stdout is not None:
            parent.stdout.close()


BLOCKED = """
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from equipoise._procs import worker_context
status = Path("/proc/self/status")
with ProcessPoolExecutor(1, mp_context=worker_context([])) as pool:
    worker = pool.submit(status.read_text).result()  # read in the worker
def blocked(text):
    return dict(line.split(":", 1) for line in text.splitlines())["SigBlk"].strip()
print(int(blocked(worker), 16), int(blocked(status.read_text()), 16))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc")
def test_forked_workers_are_born_deaf_to_ctrl_c_and_the_parent_is_not() -> None:
    """A Ctrl-C reaching a worker (or its fork server) before its initializer ran would
    kill it with a traceback: SIGINT is blocked from the server's start, in it and in
    every worker it forks, and the parent's own mask is as it was."""
    out = subprocess.run(
        [sys.executable, "-c", BLOCKED], capture_output=True, text=True, check=True
    ).stdout
    worker, parent = (int(x) for x in out.split())
    sigint = 1 << (signal.SIGINT - 1)
    assert worker & sigint
    assert not parent & sigint


@pytest.mark.skipif(sys.platform == "win32", reason="os.kill with SIGINT")
def test_an_interrupt_latch_records_ctrl_c_and_raises_it_at_a_check() -> None:
    from equipoise._procs import interrupt_latch

    before = signal.getsignal(signal.SIGINT)
    with pytest.raises(KeyboardInterrupt), interrupt_latch() as latch:
        latch.check()  # nothing pressed yet
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)  # the handler runs: it records, it does not raise
        assert latch.pressed
        with interrupt_latch() as inner:  # a latch opened later sees the press
            assert inner.pressed
            with pytest.raises(KeyboardInterrupt):
                inner.check()
    assert signal.getsignal(signal.SIGINT) is before
    with interrupt_latch() as latch:  # a new latch starts unpressed and leaves quietly
        assert not latch.pressed


@pytest.mark.skipif(sys.platform == "win32", reason="os.kill with SIGINT")
def test_an_interrupt_latch_leaves_an_ignored_ctrl_c_ignored() -> None:
    from equipoise._procs import interrupt_latch

    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with interrupt_latch() as latch:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.05)
            assert not latch.pressed
            assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, before)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc")
def test_the_fallback_look_counts_a_zombie_as_exited() -> None:
    """Where process file descriptors are missing, a worker looks once a second."""
    from equipoise._procs import _exited

    child = subprocess.Popen(["true"])
    try:
        deadline = time.monotonic() + 10
        while not _zombie(child.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _exists(child.pid) and _exited(child.pid)  # exited, not yet reaped
        assert not _exited(os.getpid())
    finally:
        child.wait()
    assert _exited(child.pid)

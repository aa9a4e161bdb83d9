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

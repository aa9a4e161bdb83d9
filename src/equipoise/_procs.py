"""Worker processes that do not outlive the process that started them.

A process pool's workers wait for work from their parent. If the parent is killed
(SIGKILL, an out-of-memory kill, a cluster's job limit), nothing tells them, and
they would sit idle for ever, each holding its memory. :func:`end_with` is a pool
initializer that watches the parent and ends the worker once it is gone.
"""

from __future__ import annotations

import os
import sys
import threading
import time

__all__ = ["end_with"]

#: Seconds between two looks at the parent.
POLL_SECONDS = 1.0


def end_with(parent: int) -> None:
    """Pool initializer: end this worker soon after process ``parent`` has exited.

    Use as ``ProcessPoolExecutor(initializer=end_with, initargs=(os.getpid(),))``.
    The worker's own parent may be a fork server, not the process that made the
    pool, hence the explicit process id. A daemon thread checks that the process
    exists once a second. Not on Windows, where ``os.kill`` cannot test for a
    process without ending it.
    """
    if sys.platform == "win32":  # pragma: no cover - POSIX only
        return

    def watch() -> None:
        while True:
            time.sleep(POLL_SECONDS)
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                os._exit(1)
            except OSError:  # it exists but is someone else's: not our parent's fate
                pass

    threading.Thread(target=watch, name="equipoise-end-with-parent", daemon=True).start()

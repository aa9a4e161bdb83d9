"""Feedback while a command runs: progress bars that fit the terminal, and what is slow.

Rich shrinks every column of a progress line that is too wide, so at 80 columns a count
read ``19320/200…``. :class:`FittedProgress` instead gives the bar whatever width the other
columns leave (none at all in a very narrow terminal), so that counts, times and labels stay
whole. :func:`compile_notice` says, before the first run in a fresh installation, that the
kernel is being compiled (the bar would otherwise sit at 0 for most of a minute), and
:func:`progress_chunk` sizes the blocks of a run so that its bar moves in small steps.
"""

from __future__ import annotations

import math
import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable

    from rich.console import Console
    from rich.progress import Progress, ProgressColumn, Task
    from rich.table import Table

__all__ = ["UPDATES", "compile_notice", "progress_bar", "progress_chunk"]

#: How many times, at least, a run's progress bar moves (when it has the replications to).
UPDATES = 25
#: Narrowest bar worth drawing; below it the bar is left out and the figures stay.
_MIN_BAR = 4


def _fitted_class() -> type[Progress]:
    from rich.measure import Measurement
    from rich.progress import BarColumn, Progress

    class FittedProgress(Progress):
        """A Rich progress display whose bar takes only the width the other columns leave."""

        def make_tasks_table(self, tasks: Iterable[Task]) -> Table:
            tasks = list(tasks)
            bars = [c for c in self.columns if isinstance(c, BarColumn)]
            if not bars or not tasks:
                return super().make_tasks_table(tasks)
            console = self.console
            options = console.options
            others = 0
            for column in self.columns:
                if isinstance(column, BarColumn):
                    continue
                widest = 0
                for task in tasks:
                    cell: Any = column(task) if not isinstance(column, str) else column
                    widest = max(widest, Measurement.get(console, options, cell).maximum)
                others += widest
            room = console.width - others - (len(self.columns) - 1)
            saved = self.columns
            if room < _MIN_BAR:
                self.columns = tuple(c for c in saved if not isinstance(c, BarColumn))
            else:
                for bar in bars:
                    bar.bar_width = room // len(bars)
            try:
                return super().make_tasks_table(tasks)
            finally:
                self.columns = saved

    return FittedProgress


def progress_bar(
    console: Console,
    quiet: bool,
    *middle: ProgressColumn | str,
    elapsed: bool = True,
    remaining: bool = True,
    transient: bool = False,
) -> Progress:
    """A progress display: the task's description, a bar, ``done/total``, ``middle``, times.

    Parameters
    ----------
    console : rich.console.Console
        Where it is drawn (standard error, for the commands).
    quiet : bool
        Draw nothing (``-q``).
    *middle : ProgressColumn or str
        Columns after the count (a str is a column of that text, with task fields in
        braces: ``"{task.fields[info]}"``).
    elapsed, remaining : bool
        Show the time elapsed and the estimated time remaining.
    transient : bool
        Remove the display when it stops.
    """
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns: list[ProgressColumn] = [
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
    ]
    columns += [TextColumn(c) if isinstance(c, str) else c for c in middle]
    if elapsed:
        columns.append(TimeElapsedColumn())
    if remaining:
        columns.append(TimeRemainingColumn())
    return _fitted_class()(*columns, console=console, disable=quiet, transient=transient)


def progress_chunk(replications: int, threads: int | None = None) -> int:
    """Replications per block of a run, so that its bar moves about :data:`UPDATES` times.

    A multiple of the threads that run the kernel (each thread takes whole replications),
    at least one per thread. Results do not depend on it (``equipoise.run``'s
    ``chunk_size``).

    Examples
    --------
    >>> progress_chunk(200, threads=2)
    8
    >>> progress_chunk(10, threads=4)
    4
    """
    threads = threads or _kernel_threads()
    per_block = math.ceil(replications / UPDATES)
    return max(threads, math.ceil(per_block / threads) * threads)


def _kernel_threads() -> int:
    """The threads the compiled kernel runs on (Numba's setting, else the cores)."""
    import numba

    return int(getattr(numba.config, "NUMBA_NUM_THREADS", None) or os.cpu_count() or 1)


def compile_notice(console: Console, quiet: bool) -> None:
    """Say, before a run, that the kernel is about to be compiled (a fresh installation)."""
    if quiet:
        return
    from equipoise.engine import kernel_needs_compiling

    if kernel_needs_compiling():
        console.print(
            "Compiling the simulation kernel (once, about a minute; later runs load it from "
            "the cache)...",
            markup=False,
        )

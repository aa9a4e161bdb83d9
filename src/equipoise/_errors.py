"""Errors the command line reports in one line with exit code 2 (a light module)."""

from __future__ import annotations

__all__ = ["InputError", "first_line"]


class InputError(Exception):
    """Bad input found by the CLI itself (reported with exit code 2)."""


def first_line(exc: BaseException | str) -> str:
    r"""The first line of an error's message (its type's name when the message is empty).

    Examples
    --------
    >>> first_line(ValueError("bad value\nmore detail"))
    'bad value'
    >>> first_line(KeyError())
    'KeyError'
    """
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__

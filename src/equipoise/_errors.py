"""Errors the command line reports in one line with exit code 2 (a light module)."""

from __future__ import annotations

__all__ = ["InputError"]


class InputError(Exception):
    """Bad input found by the CLI itself (reported with exit code 2)."""

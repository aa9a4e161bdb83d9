"""One line from a pydantic validation error, for scenarios and sweep files alike."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

__all__ = ["validation_summary"]


def validation_summary(exc: ValidationError, source: str) -> str:
    """The most telling problem of a validation error, on one line.

    An unknown key comes first (a misspelt key also makes its correct spelling
    "missing", and the typo is what the user must see); missing keys are named
    together; any other problems are counted.
    """
    errors = exc.errors(include_url=False)
    unknown = [e for e in errors if e["type"] == "extra_forbidden"]
    missing = [e for e in errors if e["type"] == "missing"]
    err = (unknown or errors)[0]
    loc = _loc(err)
    if err["type"] == "extra_forbidden":
        return f"{source}: unknown key {loc!r}{_more(len(errors) - 1)}"
    if err["type"] == "missing":
        names = ", ".join(repr(_loc(e)) for e in missing)
        plural = "s" if len(missing) > 1 else ""
        return f"{source}: missing required key{plural} {names}{_more(len(errors) - len(missing))}"
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    got = err.get("input")
    shown = "" if isinstance(got, dict | list | tuple) or got is None else f" (got {got!r})"
    where = f"'{loc}': " if loc else ""
    return f"{source}: {where}{msg}{shown}{_more(len(errors) - 1)}"


def _loc(err: Any) -> str:
    """Dotted location of a pydantic error, printable (escapes kept on one line)."""
    return ".".join(str(p) for p in err["loc"]).encode("unicode_escape").decode("ascii")


def _more(count: int) -> str:
    return f" [+{count} more problem{'s' if count > 1 else ''}]" if count else ""

"""JSON-safe values for the records equipoise writes (settings, provenance, tables).

Shared by every command that writes a JSON record (``validate``, ``calibrate``,
``counterfactual``), so that numpy scalars, tuples, missing values and
non-finite floats are written alike everywhere.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["jsonable"]


def jsonable(value: Any) -> Any:
    """``value`` with numpy scalars, tuples and non-finite floats made JSON-safe.

    Mappings get string keys, sequences and arrays become lists, ``None`` and
    ``pd.NA`` become ``null``, numpy booleans, integers and floats become
    Python ones, a non-finite float becomes ``null``, and anything else that is
    not a string its ``str``.

    Examples
    --------
    >>> jsonable({"a": (np.int64(1), float("nan")), 2: np.bool_(True)})
    {'a': [1, None], '2': True}
    """
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [jsonable(v) for v in value]
    if value is None or value is pd.NA:
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return float(value) if math.isfinite(value) else None
    return value if isinstance(value, str) else str(value)

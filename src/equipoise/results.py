"""Results of a run: an xarray Dataset with provenance, saved as tidy Parquet.

``Result.dataset`` has dimensions ``replication`` x ``step`` (system
measures), ``replication`` x ``step`` x ``state`` (capability shares),
``replication`` (hegemony) and ``war`` (one row per war). Its ``attrs`` hold
the provenance: the scenario as TOML, its SHA-256, the seed, and the versions
of equipoise, numpy and Python. A saved result is a directory of Parquet
tables in long ("tidy") form plus ``scenario.toml`` and ``provenance.json``;
:meth:`Result.from_parquet` restores the same Dataset.
"""

from __future__ import annotations

import json
import platform
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import xarray as xr

from equipoise import metrics
from equipoise._io import MARKER, atomic_dir
from equipoise._version import __version__
from equipoise.scenario import Scenario

__all__ = ["SYSTEM_MEASURES", "Result"]

_WAR_COLUMNS = ("replication", "step", "attacker", "target", "winner", "size")
#: The system measures recorded at every step: name -> (dtype, description).
SYSTEM_MEASURES: dict[str, tuple[type, str]] = {
    "leader": (np.int64, "index of the state with the largest capability share"),
    "leader_share": (np.float64, "largest capability share"),
    "concentration": (np.float64, "Ray-Singer concentration index CON"),
    "hhi": (np.float64, "Herfindahl-Hirschman index of capability shares"),
    "n_poles": (np.int64, "states holding at least pole_threshold of capabilities"),
    "survivors": (np.int64, "states alive"),
    "alliances": (np.int64, "alliances in force (pairs)"),
    "sanctioners": (np.int64, "states sanctioning the leader"),
    "wars": (np.int64, "wars started this step"),
    "war_losses": (np.float64, "military stock destroyed in wars this step"),
    "mean_arming": (np.float64, "mean arming share of alive states"),
}


class Result:
    """The outcome of :func:`equipoise.run`.

    Parameters
    ----------
    dataset : xarray.Dataset
        As built by :func:`equipoise.run` or read by :meth:`from_parquet`.
    """

    def __init__(self, dataset: xr.Dataset) -> None:
        self.dataset = dataset

    # ---------------------------------------------------------------- build
    @classmethod
    def build(
        cls,
        *,
        scenario: Scenario,
        seed: np.random.SeedSequence,
        steps: int,
        system: dict[str, np.ndarray],
        share: np.ndarray | None,
        wars: np.ndarray,
        hegemony: dict[str, np.ndarray],
        replication_index: np.ndarray | None = None,
    ) -> Result:
        """Assemble a Result from the engine's arrays (used by :func:`equipoise.run`)."""
        r = system["leader"].shape[0]
        wars = wars[np.lexsort((wars[:, 2], wars[:, 1], wars[:, 0]))]  # replication, step, attacker
        coords: dict[str, Any] = {
            "replication": (
                np.arange(r, dtype=np.int64) if replication_index is None else replication_index
            ),
            "step": np.arange(steps + 1, dtype=np.int64),
            "state": np.array(scenario.state_names(), dtype=object),
            "war": np.arange(wars.shape[0], dtype=np.int64),
        }
        data: dict[str, Any] = {
            name: (("replication", "step"), arr, {"description": SYSTEM_MEASURES[name][1]})
            for name, arr in system.items()
        }
        if share is not None:
            data["share"] = (
                ("replication", "step", "state"),
                share,
                {"description": "capability share"},
            )
        data["hegemony_onset"] = (("replication",), hegemony["onset"])
        data["hegemon"] = (("replication",), hegemony["hegemon"])
        data["hegemony_steps"] = (("replication",), hegemony["steps"])
        for k, col in enumerate(_WAR_COLUMNS):
            values = wars[:, k] if col == "size" else wars[:, k].astype(np.int64)
            data[f"war_{col}"] = (("war",), values)
        attrs = {
            "scenario_name": scenario.name,
            "scenario": scenario.to_toml(),
            "scenario_hash": scenario.content_hash(),
            "seed": str(seed.entropy),
            "spawn_key": json.dumps(list(seed.spawn_key)),
            "replications": r,
            "steps": steps,
            "equipoise_version": __version__,
            "numpy_version": np.__version__,
            "python_version": platform.python_version(),
        }
        return cls(xr.Dataset(data, coords=coords, attrs=attrs))

    # ------------------------------------------------------------ accessors
    @property
    def scenario(self) -> Scenario:
        """The scenario that produced this result."""
        return Scenario.from_toml(self.dataset.attrs["scenario"], source="result provenance")

    @property
    def provenance(self) -> dict[str, Any]:
        """Scenario hash, seed and versions that produced this result."""
        keys = (
            "scenario_name",
            "scenario_hash",
            "seed",
            "spawn_key",
            "replications",
            "steps",
            "equipoise_version",
            "numpy_version",
            "python_version",
        )
        return {k: self.dataset.attrs[k] for k in keys}

    @property
    def wars(self) -> pd.DataFrame:
        """One row per war: replication, step, attacker, target, winner, size."""
        ds = self.dataset
        return pd.DataFrame({c: ds[f"war_{c}"].values for c in _WAR_COLUMNS})

    def summary(self) -> pd.DataFrame:
        """The headline outcomes, one row indexed by scenario name.

        Columns: ``replications``, ``steps``, ``hegemony_rate`` with its 95%
        Wilson interval (``hegemony_ci_low``, ``hegemony_ci_high``),
        ``time_to_hegemony`` (median onset step among replications that reach
        hegemony), ``survivors`` (mean alive at the end), ``mean_concentration``
        (CON averaged over steps and replications), ``final_leader_share`` and
        ``wars_per_step``.
        """
        ds = self.dataset
        onset = ds["hegemony_onset"].values
        r = onset.size
        hits = int((onset >= 0).sum())
        lo, hi = metrics.wilson_interval(hits, r)
        row = {
            "replications": r,
            "steps": int(ds.attrs["steps"]),
            "hegemony_rate": hits / r,
            "hegemony_ci_low": float(lo),
            "hegemony_ci_high": float(hi),
            "time_to_hegemony": float(np.median(onset[onset >= 0])) if hits else np.nan,
            "survivors": float(ds["survivors"].values[:, -1].mean()),
            "mean_concentration": float(np.nanmean(ds["concentration"].values)),
            "final_leader_share": float(ds["leader_share"].values[:, -1].mean()),
            "wars_per_step": float(ds["wars"].values[:, 1:].mean()),
        }
        return pd.DataFrame([row], index=pd.Index([ds.attrs["scenario_name"]], name="scenario"))

    # --------------------------------------------------------------- Parquet
    def to_parquet(self, directory: str | Path) -> Path:
        """Write the result as a directory of tidy Parquet tables, atomically.

        Files: ``system.parquet`` (replication, step, measures),
        ``states.parquet`` (replication, step, state, share),
        ``replications.parquet`` (hegemony per replication), ``wars.parquet``,
        ``scenario.toml`` and ``provenance.json``. An existing directory is
        replaced only if it is an earlier equipoise output.
        """
        ds = self.dataset
        meta = {b"equipoise": json.dumps(self.provenance).encode()}
        r, t = ds.sizes["replication"], ds.sizes["step"]
        rep = np.repeat(ds["replication"].values, t)
        stp = np.tile(ds["step"].values, r)
        system_cols = {"replication": rep, "step": stp}
        for name in SYSTEM_MEASURES:
            system_cols[name] = ds[name].values.reshape(-1)
        tables = {
            "system": pd.DataFrame(system_cols),
            "replications": pd.DataFrame(
                {
                    "replication": ds["replication"].values,
                    "hegemony_onset": ds["hegemony_onset"].values,
                    "hegemon": ds["hegemon"].values,
                    "hegemony_steps": ds["hegemony_steps"].values,
                }
            ),
            "wars": self.wars,
        }
        if "share" in ds:
            n = ds.sizes["state"]
            names = pd.Categorical.from_codes(
                np.tile(np.arange(n), r * t), categories=pd.Index(list(ds["state"].values))
            )
            tables["states"] = pd.DataFrame(
                {
                    "replication": np.repeat(rep, n),
                    "step": np.repeat(stp, n),
                    "state": names,
                    "share": ds["share"].values.reshape(-1),
                }
            )
        with atomic_dir(directory) as tmp:
            for name, frame in tables.items():
                table = pa.Table.from_pandas(frame, preserve_index=False)
                table = table.replace_schema_metadata({**(table.schema.metadata or {}), **meta})
                pq.write_table(table, tmp / f"{name}.parquet", compression="zstd")
            (tmp / "scenario.toml").write_text(ds.attrs["scenario"], encoding="utf-8")
            attrs = {k: v for k, v in ds.attrs.items() if k != "scenario"}
            attrs["states"] = list(map(str, ds["state"].values))
            (tmp / MARKER).write_text(json.dumps(attrs, indent=2) + "\n", encoding="utf-8")
        return Path(directory)

    @classmethod
    def from_parquet(cls, directory: str | Path) -> Result:
        """Read a result written by :meth:`to_parquet`, provenance included."""
        directory = Path(directory)
        if not (directory / MARKER).is_file():
            raise FileNotFoundError(f"not an equipoise result directory: {directory}")
        attrs = json.loads((directory / MARKER).read_text(encoding="utf-8"))
        attrs["scenario"] = (directory / "scenario.toml").read_text(encoding="utf-8")
        state_names = np.array(attrs.pop("states"), dtype=object)
        system = pq.read_table(directory / "system.parquet").to_pandas()
        system = system.sort_values(["replication", "step"], kind="stable")
        reps = np.unique(system["replication"].to_numpy())
        steps = np.unique(system["step"].to_numpy())
        r, t = reps.size, steps.size
        coords: dict[str, Any] = {"replication": reps, "step": steps, "state": state_names}
        data: dict[str, Any] = {
            name: (
                ("replication", "step"),
                system[name].to_numpy().reshape(r, t),
                {"description": desc},
            )
            for name, (_, desc) in SYSTEM_MEASURES.items()
        }
        states_path = directory / "states.parquet"
        if states_path.exists():
            st = pq.read_table(states_path).to_pandas()
            st = st.sort_values(["replication", "step"], kind="stable")
            codes = pd.Categorical(st["state"], categories=list(state_names)).codes
            share = np.zeros((r, t, state_names.size), dtype=np.float32)
            ri = np.searchsorted(reps, st["replication"].to_numpy())
            ti = np.searchsorted(steps, st["step"].to_numpy())
            share[ri, ti, codes] = st["share"].to_numpy()
            data["share"] = (
                ("replication", "step", "state"),
                share,
                {"description": "capability share"},
            )
        reps_table = pq.read_table(directory / "replications.parquet").to_pandas()
        reps_table = reps_table.sort_values("replication")
        for col in ("hegemony_onset", "hegemon", "hegemony_steps"):
            data[col] = (("replication",), reps_table[col].to_numpy())
        wars = pq.read_table(directory / "wars.parquet").to_pandas()
        coords["war"] = np.arange(len(wars), dtype=np.int64)
        for col in _WAR_COLUMNS:
            data[f"war_{col}"] = (("war",), wars[col].to_numpy())
        return cls(xr.Dataset(data, coords=coords, attrs=attrs))

    @classmethod
    def concat(cls, parts: list[Result]) -> Result:
        """Join results of disjoint replication ranges of the same run.

        The parts must share scenario, seed and steps; replications are sorted,
        so the joined result equals a single run over all of them.
        """
        if not parts:
            raise ValueError("nothing to concatenate")
        keys = ("scenario_hash", "seed", "spawn_key", "steps")
        first = parts[0].dataset.attrs
        for part in parts[1:]:
            other = part.dataset.attrs
            diff = [k for k in keys if other[k] != first[k]]
            if diff:
                raise ValueError(f"results differ in {', '.join(diff)}: not parts of one run")
        reps = np.concatenate([p.dataset["replication"].values for p in parts])
        if np.unique(reps).size != reps.size:
            raise ValueError("results overlap: a replication appears twice")
        per_rep = [p.dataset.drop_dims("war") for p in parts]
        joined = xr.concat(per_rep, dim="replication", data_vars="all", join="exact")
        joined = joined.sortby("replication")
        wars = pd.concat([p.wars for p in parts], ignore_index=True)
        wars = wars.sort_values(["replication", "step", "attacker"], kind="stable")
        wars = wars.reset_index(drop=True)
        for col in _WAR_COLUMNS:
            joined[f"war_{col}"] = (("war",), wars[col].to_numpy())
        joined = joined.assign_coords(war=np.arange(len(wars), dtype=np.int64))
        joined.attrs = {**first, "replications": int(reps.size)}
        return cls(joined)

    def __repr__(self) -> str:
        a = self.dataset.attrs
        return (
            f"<Result scenario={a['scenario_name']!r} replications={a['replications']} "
            f"steps={a['steps']} seed={a['seed']}>"
        )

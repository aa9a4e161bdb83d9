"""Results of a run: an xarray Dataset with provenance, saved as tidy Parquet.

``Result.dataset`` has dimensions ``replication`` x ``step`` (system
measures), ``replication`` x ``step`` x ``state`` (capability shares),
``replication`` (hegemony), ``war`` (one row per war), with treaties
(``alliances.treaties``) ``pact`` (one row per pact) and, for a run with
``record_dyads``, ``replication`` x ``step`` x ``dyad_cell`` (dyad-years and war
onsets by covariate cell, :meth:`Result.dyad_cells`). Its ``attrs`` hold
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
from equipoise.metrics import (
    DYAD_CELL_FIELDS,
    DYAD_RATIO_BINS,
    N_DYAD_CELLS,
    dyad_cell_fields,
)
from equipoise.scenario import Scenario

__all__ = [
    "DYAD_COUNTS",
    "KERNEL_TO_RESULT",
    "PACT_COLUMNS",
    "SYSTEM_MEASURES",
    "WAR_COLUMNS",
    "Result",
]

#: Columns of the war table: one row per war (a cluster of battles in space and time).
WAR_COLUMNS: dict[str, str] = {
    "replication": "replication",
    "war": "war number within its replication, in order of onset",
    "start": "step of the first battle's war declaration",
    "end": "last step with a hostile pair in the war",
    "initiator": "state whose unprovoked attack began the war",
    "target": "state it attacked",
    "participants": "states that fought in the war",
    "battles": "battles fought",
    "provinces": "provinces that changed hands",
    "states_destroyed": "states that lost their capital",
    "size": "military destroyed in all battles (the analogue of battle deaths)",
    "world_military": "military stock of the whole system when the war began",
    "ongoing": "1 if still being fought at the end of the run (censored)",
}
_INT_WAR = (
    "replication",
    "war",
    "start",
    "end",
    "initiator",
    "target",
    "participants",
    "battles",
    "provinces",
    "states_destroyed",
    "ongoing",
)

#: Columns of the pact table: one row per pact, the tie between two members of a treaty
#: (equipoise.rules.treaties); the rows with the same ``treaty`` are one treaty.
PACT_COLUMNS: dict[str, str] = {
    "replication": "replication",
    "pact": "pact number within its replication, in order of formation",
    "start": "step it was formed (0: in force at the start)",
    "end": "first step it was no longer in force (-1: in force at the end, censored)",
    "a": "one member (the lower index)",
    "b": "the other member",
    "kind": "0 defence, 1 offence, 2 neutrality, 3 non-aggression, 4 consultation",
    "treaty": "treaty number within its replication (its pacts share it), in order of formation",
}

#: The system measures recorded at every step: name -> (dtype, description).
SYSTEM_MEASURES: dict[str, tuple[type, str]] = {
    "leader": (np.int64, "index of the state with the largest capability share"),
    "leader_share": (np.float64, "largest capability share"),
    "concentration": (np.float64, "Ray-Singer concentration index CON"),
    "hhi": (np.float64, "Herfindahl-Hirschman index of capability shares"),
    "n_poles": (np.int64, "states holding at least pole_threshold of capabilities"),
    "survivors": (np.int64, "states alive"),
    "alliances": (
        np.int64,
        "allied pairs (members of the same bloc; with treaties, holding a defence or offence pact)",
    ),
    "sanctioners": (np.int64, "states imposing sanctions"),
    "wars": (np.int64, "wars being fought (including quiet ones not yet over)"),
    "war_onsets": (np.int64, "wars begun this step"),
    "attacks": (np.int64, "unprovoked attacks this step"),
    "battles": (np.int64, "battles fought this step"),
    "war_losses": (np.float64, "military destroyed this step, as a share of the system's"),
    "conquests": (np.int64, "provinces that changed hands this step"),
    "deaths": (np.int64, "states that lost their capital this step"),
    "alliances_formed": (
        np.int64,
        "alliance commitments entered this step (with treaties: treaties formed)",
    ),
    "mean_arming": (np.float64, "mean arming share of living states"),
    "mean_reach": (np.float64, "mean reach L of living states (technology)"),
    "world_output": (np.float64, "output of the whole system"),
    "world_military": (np.float64, "military stock of the whole system"),
}
#: Kernel measure names that are stored under another name (none at present).
KERNEL_TO_RESULT: dict[str, str] = {}
#: The dyad-year counts of a run with ``record_dyads`` (:mod:`equipoise.rules.dyads`).
DYAD_COUNTS: dict[str, str] = {
    "dyad_years": "dyad-years of the step in each covariate cell (pairs living at its start)",
    "dyad_onsets": "war onsets of the step in each covariate cell (pairs that became hostile)",
}


def _dyad_data(counts: np.ndarray) -> dict[str, Any]:
    """The Dataset variables of dyad counts (R, T + 1, N_DYAD_CELLS, 2)."""
    dims = ("replication", "step", "dyad_cell")
    return {
        name: (dims, counts[..., k], {"description": DYAD_COUNTS[name]})
        for k, name in enumerate(DYAD_COUNTS)
    }


def _dyad_coords() -> dict[str, Any]:
    """The ``dyad_cell`` coordinate and the covariates of each cell."""
    cells = np.arange(N_DYAD_CELLS, dtype=np.int64)
    fields = dyad_cell_fields(cells)
    coords: dict[str, Any] = {"dyad_cell": cells}
    for name in DYAD_CELL_FIELDS:
        coords[f"dyad_{name}"] = ("dyad_cell", fields[name])
    return coords


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
        seed: int,
        steps: int,
        system: dict[str, np.ndarray],
        share: np.ndarray | None,
        provinces: np.ndarray | None,
        blocs: np.ndarray | None,
        owner: np.ndarray | None,
        wars: np.ndarray,
        dyads: np.ndarray | None = None,
        hegemony: dict[str, np.ndarray],
        replication_index: np.ndarray,
        map_shape: tuple[int, int],
        provenance: dict[str, str],
        pacts: np.ndarray | None = None,
    ) -> Result:
        """Assemble a Result from the engine's arrays (used by :func:`equipoise.run`).

        ``pacts`` (rows of :data:`PACT_COLUMNS`) is given with treaties only; without, the
        dataset has no ``pact`` dimension.
        """
        r = system["leader"].shape[0]
        wars = wars[np.lexsort((wars[:, 1], wars[:, 0]))] if wars.size else wars
        coords: dict[str, Any] = {
            "replication": np.asarray(replication_index, dtype=np.int64),
            "step": np.arange(steps + 1, dtype=np.int64),
            "state": np.array(scenario.state_names(), dtype=object),
            "war": np.arange(wars.shape[0], dtype=np.int64),
        }
        data: dict[str, Any] = {
            name: (
                ("replication", "step"),
                arr.astype(SYSTEM_MEASURES[name][0], copy=False),
                {"description": SYSTEM_MEASURES[name][1]},
            )
            for name, arr in system.items()
        }
        if share is not None:
            data["share"] = (
                ("replication", "step", "state"),
                share,
                {"description": "capability share"},
            )
        if provinces is not None:
            data["provinces"] = (
                ("replication", "step", "state"),
                provinces,
                {"description": "provinces held"},
            )
        if blocs is not None:
            data["bloc"] = (
                ("replication", "step", "state"),
                blocs,
                {"description": "bloc of the state (-1: none); states in one bloc are allied"},
            )
        if owner is not None:
            coords["province"] = np.arange(owner.shape[2], dtype=np.int64)
            data["owner"] = (
                ("replication", "step", "province"),
                owner,
                {"description": "state owning each province"},
            )
        if dyads is not None:
            coords.update(_dyad_coords())
            data.update(_dyad_data(dyads))
        data["hegemony_onset"] = (("replication",), hegemony["onset"])
        data["hegemon"] = (("replication",), hegemony["hegemon"])
        data["hegemony_steps"] = (("replication",), hegemony["steps"])
        for k, col in enumerate(WAR_COLUMNS):
            values = wars[:, k].astype(np.int64) if col in _INT_WAR else wars[:, k]
            data[f"war_{col}"] = (("war",), values, {"description": WAR_COLUMNS[col]})
        if pacts is not None:
            if not _in_order(pacts):  # the engine gives them in order; others may not
                pacts = pacts[np.lexsort((pacts[:, 1], pacts[:, 0]))]
            coords["pact"] = np.arange(pacts.shape[0], dtype=np.int64)
            for k, col in enumerate(PACT_COLUMNS):
                data[f"pact_{col}"] = (
                    ("pact",),
                    pacts[:, k].astype(np.int32),  # millions of pacts: 32 bits hold them
                    {"description": PACT_COLUMNS[col]},
                )
        attrs = {
            "scenario_name": scenario.name,
            "scenario": scenario.to_toml(),
            "scenario_hash": scenario.content_hash(),
            "seed": int(seed),
            "replications": r,
            "steps": steps,
            "map_width": int(map_shape[0]),
            "map_height": int(map_shape[1]),
            "equipoise_version": __version__,
            "numpy_version": np.__version__,
            "python_version": platform.python_version(),
            **provenance,
        }
        return cls(xr.Dataset(data, coords=coords, attrs=attrs))

    # ------------------------------------------------------------ accessors
    @property
    def scenario(self) -> Scenario:
        """The scenario that produced this result."""
        return Scenario.from_toml(self.dataset.attrs["scenario"], source="result provenance")

    @property
    def provenance(self) -> dict[str, Any]:
        """Scenario hash, seed, random-number contract and versions that produced this result."""
        keys = (
            "scenario_name",
            "scenario_hash",
            "seed",
            "replications",
            "steps",
            "model_version",
            "rng_contract",
            "equipoise_version",
            "numpy_version",
            "numba_version",
            "python_version",
        )
        return {k: self.dataset.attrs[k] for k in keys if k in self.dataset.attrs}

    @property
    def wars(self) -> pd.DataFrame:
        """One row per war (:data:`WAR_COLUMNS`), with ``relative_size`` = size / world military."""
        ds = self.dataset
        frame = pd.DataFrame({c: ds[f"war_{c}"].values for c in WAR_COLUMNS})
        with np.errstate(divide="ignore", invalid="ignore"):
            frame["relative_size"] = np.where(
                frame["world_military"] > 0, frame["size"] / frame["world_military"], 0.0
            )
        return frame

    @property
    def pacts(self) -> pd.DataFrame:
        """One row per pact (:data:`PACT_COLUMNS`); empty without treaties."""
        ds = self.dataset
        if "pact" not in ds.dims:
            return pd.DataFrame({c: np.zeros(0, dtype=np.int64) for c in PACT_COLUMNS})
        return pd.DataFrame({c: ds[f"pact_{c}"].values for c in PACT_COLUMNS})

    def dyad_cells(self, first: int = 1, last: int | None = None) -> pd.DataFrame:
        """Dyad-years and war onsets by covariate cell and replication, summed over steps.

        Needs a run with ``record_dyads=True`` (:mod:`equipoise.rules.dyads` defines the
        cells and what counts as an onset).

        Parameters
        ----------
        first, last : int
            The steps summed, ``first`` to ``last`` inclusive (default: every step, 1 to the
            last; step ``s`` of a historical scenario is the year ``start + s - 1``).

        Returns
        -------
        DataFrame
            One row per replication and cell: ``replication``, ``cell``, ``contiguous``,
            ``ratio_bin`` (0-3), ``ratio`` (its name: parity, small, medium, preponderance),
            ``allied``, ``at_war``, ``dyad_years``, ``onsets``.

        Raises
        ------
        ValueError
            If the run did not record dyads.
        """
        ds = self.dataset
        if "dyad_years" not in ds:
            raise ValueError(
                "This result has no dyad counts: run it with record_dyads=True "
                "(equipoise.run(..., record_dyads=True))."
            )
        steps = slice(first, last)
        years = ds["dyad_years"].sel(step=steps).sum("step").values
        onsets = ds["dyad_onsets"].sel(step=steps).sum("step").values
        r = years.shape[0]
        cells = np.tile(np.arange(N_DYAD_CELLS, dtype=np.int64), r)
        frame = pd.DataFrame(
            {"replication": np.repeat(ds["replication"].values, N_DYAD_CELLS), "cell": cells}
        )
        for name, values in dyad_cell_fields(cells).items():
            frame[name] = values
        bins = pd.Categorical.from_codes(
            frame["ratio_bin"].to_numpy(), categories=pd.Index(list(DYAD_RATIO_BINS))
        )
        frame.insert(4, "ratio", bins)
        frame["dyad_years"] = years.reshape(-1).astype(np.int64)
        frame["onsets"] = onsets.reshape(-1).astype(np.int64)
        return frame

    def summary(self) -> pd.DataFrame:
        """The headline outcomes, one row indexed by scenario name.

        Columns: ``replications``, ``steps``, ``hegemony_rate`` with its 95%
        Wilson interval (``hegemony_ci_low``, ``hegemony_ci_high``),
        ``time_to_hegemony`` (median onset step among replications that reach
        hegemony), ``survivors`` (mean alive at the end), ``mean_concentration``
        (CON averaged over steps and replications), ``final_leader_share``,
        ``wars_per_step`` (war onsets per step) and ``deaths_per_state_step``
        (states destroyed per living state and step).
        """
        ds = self.dataset
        onset = ds["hegemony_onset"].values
        r = onset.size
        hits = int((onset >= 0).sum())
        lo, hi = metrics.wilson_interval(hits, r)
        alive = ds["survivors"].values[:, :-1].sum()
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
            "wars_per_step": float(ds["war_onsets"].values[:, 1:].mean()),
            "deaths_per_state_step": float(ds["deaths"].values[:, 1:].sum() / alive)
            if alive
            else np.nan,
        }
        return pd.DataFrame([row], index=pd.Index([ds.attrs["scenario_name"]], name="scenario"))

    # --------------------------------------------------------------- Parquet
    def tables(self) -> dict[str, pd.DataFrame]:
        """The result as tidy tables, as :meth:`to_parquet` writes them.

        ``system`` (one row per replication and step, every system measure),
        ``replications`` (hegemony per replication), ``wars`` (one row per war), with
        treaties ``pacts`` (one row per pact) and, when recorded, ``states`` (one row per
        replication, step and state: share, provinces, bloc), ``map`` (one row per
        replication, step and province: its owner) and ``dyads`` (one row per replication,
        step and covariate cell holding dyad-years: the cell, its covariates,
        ``dyad_years`` and ``onsets``).
        """
        ds = self.dataset
        r, t = ds.sizes["replication"], ds.sizes["step"]
        rep = np.repeat(ds["replication"].values, t)
        stp = np.tile(ds["step"].values, r)
        system_cols: dict[str, Any] = {"replication": rep, "step": stp}
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
            "wars": pd.DataFrame({c: ds[f"war_{c}"].values for c in WAR_COLUMNS}),
        }
        if "pact" in ds.dims:
            tables["pacts"] = self.pacts
        if "share" in ds:
            n = ds.sizes["state"]
            names = pd.Categorical.from_codes(
                np.tile(np.arange(n), r * t), categories=pd.Index(list(ds["state"].values))
            )
            cols: dict[str, Any] = {
                "replication": np.repeat(rep, n),
                "step": np.repeat(stp, n),
                "state": names,
                "share": ds["share"].values.reshape(-1),
            }
            for extra in ("provinces", "bloc"):
                if extra in ds:
                    cols[extra] = ds[extra].values.reshape(-1)
            tables["states"] = pd.DataFrame(cols)
        if "owner" in ds:
            n_prov = ds.sizes["province"]
            tables["map"] = pd.DataFrame(
                {
                    "replication": np.repeat(rep, n_prov),
                    "step": np.repeat(stp, n_prov),
                    "province": np.tile(np.arange(n_prov, dtype=np.int32), r * t),
                    "owner": ds["owner"].values.reshape(-1),
                }
            )
        if "dyad_years" in ds:
            years = ds["dyad_years"].values
            idx = np.nonzero(years)
            frame = pd.DataFrame(
                {
                    "replication": ds["replication"].values[idx[0]],
                    "step": ds["step"].values[idx[1]],
                    "cell": idx[2].astype(np.int64),
                }
            )
            for name, values in dyad_cell_fields(idx[2]).items():
                frame[name] = values
            frame["dyad_years"] = years[idx]
            frame["onsets"] = ds["dyad_onsets"].values[idx]
            tables["dyads"] = frame
        return tables

    def to_parquet(self, directory: str | Path, *, csv: bool = False) -> Path:
        """Write the result as a directory of tidy Parquet tables, atomically.

        Files: ``system.parquet`` (replication, step, measures),
        ``states.parquet`` (replication, step, state, share, provinces) when
        states were recorded, ``map.parquet`` (replication, step, province,
        owner) when the map was, ``dyads.parquet`` (replication, step, cell,
        dyad-years, onsets) when dyads were, ``replications.parquet`` (hegemony per
        replication), ``wars.parquet``, ``pacts.parquet`` (with treaties), ``scenario.toml`` and
        ``provenance.json`` (the tables of :meth:`tables`). With ``csv``, each
        table is also written as CSV beside its Parquet file (``system.csv``...),
        for R, Stata or a spreadsheet; numbers keep 15 significant digits. An
        existing directory is replaced only if it is an earlier equipoise output.
        """
        ds = self.dataset
        meta = {b"equipoise": json.dumps(self.provenance).encode()}
        tables = self.tables()
        with atomic_dir(directory) as tmp:
            for name, frame in tables.items():
                table = pa.Table.from_pandas(frame, preserve_index=False)
                table = table.replace_schema_metadata({**(table.schema.metadata or {}), **meta})
                pq.write_table(table, tmp / f"{name}.parquet", compression="zstd")
                if csv:
                    frame.to_csv(tmp / f"{name}.csv", index=False, float_format="%.15g")
            (tmp / "scenario.toml").write_text(ds.attrs["scenario"], encoding="utf-8")
            attrs = {k: v for k, v in ds.attrs.items() if k != "scenario"}
            attrs["states"] = list(map(str, ds["state"].values))
            (tmp / MARKER).write_text(json.dumps(attrs, indent=2) + "\n", encoding="utf-8")
        return Path(directory)

    def to_csv(self, directory: str | Path) -> Path:
        """Write the result as a directory of tidy CSV tables (for R, Stata...), atomically.

        The tables of :meth:`tables` as ``system.csv``, ``replications.csv``,
        ``wars.csv`` and, when recorded, ``states.csv`` and ``map.csv``, with
        ``scenario.toml`` and ``provenance.json``; numbers keep 15 significant
        digits. :meth:`from_parquet` reads the Parquet form only: use
        ``to_parquet(directory, csv=True)`` to have both.
        """
        ds = self.dataset
        with atomic_dir(directory) as tmp:
            for name, frame in self.tables().items():
                frame.to_csv(tmp / f"{name}.csv", index=False, float_format="%.15g")
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
            codes = pd.Categorical(st["state"], categories=list(state_names)).codes
            ri = np.searchsorted(reps, st["replication"].to_numpy())
            ti = np.searchsorted(steps, st["step"].to_numpy())
            share = np.zeros((r, t, state_names.size), dtype=np.float32)
            share[ri, ti, codes] = st["share"].to_numpy()
            data["share"] = (
                ("replication", "step", "state"),
                share,
                {"description": "capability share"},
            )
            for extra, desc in (
                ("provinces", "provinces held"),
                ("bloc", "bloc of the state (-1: none); states in one bloc are allied"),
            ):
                if extra in st:
                    values = np.zeros((r, t, state_names.size), dtype=np.int32)
                    values[ri, ti, codes] = st[extra].to_numpy()
                    data[extra] = (("replication", "step", "state"), values, {"description": desc})
        map_path = directory / "map.parquet"
        if map_path.exists():
            mp = pq.read_table(map_path).to_pandas()
            n_prov = int(mp["province"].max()) + 1
            owner = np.zeros((r, t, n_prov), dtype=np.int16)
            ri = np.searchsorted(reps, mp["replication"].to_numpy())
            ti = np.searchsorted(steps, mp["step"].to_numpy())
            owner[ri, ti, mp["province"].to_numpy()] = mp["owner"].to_numpy()
            coords["province"] = np.arange(n_prov, dtype=np.int64)
            data["owner"] = (
                ("replication", "step", "province"),
                owner,
                {"description": "state owning each province"},
            )
        dyads_path = directory / "dyads.parquet"
        if dyads_path.exists():
            dy = pq.read_table(dyads_path).to_pandas()
            counts = np.zeros((r, t, N_DYAD_CELLS, 2), dtype=np.int32)
            ri = np.searchsorted(reps, dy["replication"].to_numpy())
            ti = np.searchsorted(steps, dy["step"].to_numpy())
            ci = dy["cell"].to_numpy()
            counts[ri, ti, ci, 0] = dy["dyad_years"].to_numpy()
            counts[ri, ti, ci, 1] = dy["onsets"].to_numpy()
            coords.update(_dyad_coords())
            data.update(_dyad_data(counts))
        reps_table = pq.read_table(directory / "replications.parquet").to_pandas()
        reps_table = reps_table.sort_values("replication")
        for col in ("hegemony_onset", "hegemon", "hegemony_steps"):
            data[col] = (("replication",), reps_table[col].to_numpy())
        wars = pq.read_table(directory / "wars.parquet").to_pandas()
        coords["war"] = np.arange(len(wars), dtype=np.int64)
        for col in WAR_COLUMNS:
            data[f"war_{col}"] = (("war",), wars[col].to_numpy(), {"description": WAR_COLUMNS[col]})
        pacts_path = directory / "pacts.parquet"
        if pacts_path.exists():
            pacts = pq.read_table(pacts_path).to_pandas()
            if "treaty" not in pacts:  # written before treaties had members: one pact each
                pacts["treaty"] = pacts["pact"]
            coords["pact"] = np.arange(len(pacts), dtype=np.int64)
            for col in PACT_COLUMNS:
                data[f"pact_{col}"] = (
                    ("pact",),
                    pacts[col].to_numpy(dtype=np.int32),
                    {"description": PACT_COLUMNS[col]},
                )
        return cls(xr.Dataset(data, coords=coords, attrs=attrs))

    @classmethod
    def concat(cls, parts: list[Result]) -> Result:
        """Join results of disjoint replication ranges of the same run.

        The parts must share scenario, seed and steps; replications are sorted,
        so the joined result equals a single run over all of them.
        """
        if not parts:
            raise ValueError("nothing to concatenate")
        keys = ("scenario_hash", "seed", "steps", "model_version", "rng_contract")
        first = parts[0].dataset.attrs
        for part in parts[1:]:
            other = part.dataset.attrs
            diff = [k for k in keys if other.get(k) != first.get(k)]
            if diff:
                raise ValueError(f"results differ in {', '.join(diff)}: not parts of one run")
        reps = np.concatenate([p.dataset["replication"].values for p in parts])
        if np.unique(reps).size != reps.size:
            raise ValueError("results overlap: a replication appears twice")
        treaties = "pact" in parts[0].dataset.dims
        per_rep = [p.dataset.drop_dims(["war", "pact"] if treaties else "war") for p in parts]
        joined = xr.concat(per_rep, dim="replication", data_vars="all", join="exact")
        joined = joined.sortby("replication")
        wars = pd.concat(
            [pd.DataFrame({c: p.dataset[f"war_{c}"].values for c in WAR_COLUMNS}) for p in parts],
            ignore_index=True,
        )
        wars = wars.sort_values(["replication", "war"], kind="stable").reset_index(drop=True)
        for col in WAR_COLUMNS:
            joined[f"war_{col}"] = (
                ("war",),
                wars[col].to_numpy(),
                {"description": WAR_COLUMNS[col]},
            )
        joined = joined.assign_coords(war=np.arange(len(wars), dtype=np.int64))
        if treaties:
            pacts = pd.concat([p.pacts for p in parts], ignore_index=True)
            pacts = pacts.sort_values(["replication", "pact"], kind="stable")
            for col in PACT_COLUMNS:
                joined[f"pact_{col}"] = (
                    ("pact",),
                    pacts[col].to_numpy(dtype=np.int32),
                    {"description": PACT_COLUMNS[col]},
                )
            joined = joined.assign_coords(pact=np.arange(len(pacts), dtype=np.int64))
        joined.attrs = {**first, "replications": int(reps.size)}
        return cls(joined)

    def __repr__(self) -> str:
        a = self.dataset.attrs
        return (
            f"<Result scenario={a['scenario_name']!r} replications={a['replications']} "
            f"steps={a['steps']} seed={a['seed']}>"
        )


def _in_order(pacts: np.ndarray) -> bool:
    """Whether pact rows are sorted by replication, then pact number (strictly)."""
    if pacts.shape[0] < 2:
        return True
    rep = np.diff(pacts[:, 0])
    return bool(np.all((rep > 0) | ((rep == 0) & (np.diff(pacts[:, 1]) > 0))))

"""The out-of-sample test of docs/calibrate.md and docs/findings.md (issue 27, item 3).

    python scripts/out_of_sample.py CALIBRATION [--draws N] [--out DIR]

CALIBRATION is a finished ``equipoise calibrate --system`` of 1816-1914 (the one of
docs/calibrate.md). Predicts 1919-2014 from history's system of 1919 (every later state
entering on its COW date) at ``--draws`` posterior draws, and again at as many draws of the
priors (the prior predictive: what a band covers when nothing was learnt), with
:func:`equipoise.calibrate.predict.predict`; and, for comparison, the calibration's own
window 1816-1914 from the priors (the posterior's side is the calibration's
``predictive.csv``).

Prints, statistic by statistic, history, the posterior's and the prior's median and 90%
band, whether history is inside each, and the posterior band's width as a share of the
prior band's (below 1: the calibration sharpened the prediction). Writes
``out-of-sample.csv`` (``out-of-sample{--suffix}.csv``) to ``--out`` (default
``docs/findings-data``).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pandas as pd

from equipoise.calibrate import load_calibration
from equipoise.calibrate.predict import predict
from equipoise.validate import STATISTICS
from findings_rivals import markdown  # scripts/ is on the path when a script runs

WINDOWS = {"out of sample": (1919, 2014), "in sample": (1816, 1914)}


def _side(table: pd.DataFrame, label: str) -> pd.DataFrame:
    out = table.set_index("statistic")[["sim_median", "sim_low", "sim_high", "inside"]]
    return out.rename(columns=lambda c: f"{label}_{c.removeprefix('sim_')}")


def main() -> None:
    """Run the predictions and print and write the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("calibration", type=Path)
    parser.add_argument("--draws", type=int, default=200)
    parser.add_argument("--out", type=Path, default=Path("docs/findings-data"))
    parser.add_argument("--suffix", default="", help="appended to the file's name")
    args = parser.parse_args()
    cal = load_calibration(args.calibration)
    frames = []
    for window, (start, end) in WINDOWS.items():
        started = time.perf_counter()
        prior = predict(cal, start=start, end=end, draws=args.draws, prior=True).table
        if window == "in sample":
            posterior = pd.read_csv(args.calibration / "predictive.csv")
        else:
            posterior = predict(cal, start=start, end=end, draws=args.draws).table
        both = posterior.set_index("statistic")[["history"]].join(
            [_side(posterior, "posterior"), _side(prior, "prior")]
        )
        width = both["posterior_high"] - both["posterior_low"]
        both["width_ratio"] = width / (both["prior_high"] - both["prior_low"])
        both.insert(0, "window", f"{window} {start}-{end}")
        both["main"] = both.index.isin(list(STATISTICS))
        frames.append(both.reset_index())
        print(f"{window}: {time.perf_counter() - started:.0f} s", flush=True)
    table = pd.concat(frames, ignore_index=True)
    args.out.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out / f"out-of-sample{args.suffix}.csv", index=False, float_format="%.6g")
    for window, group in table.groupby("window", sort=False):
        shares = group["statistic"].str.startswith("share_")
        for side in ("posterior", "prior"):
            inside = group[f"{side}_inside"]
            verdicts = inside[~shares].dropna().astype(bool)
            main_ = group.loc[group["main"], f"{side}_inside"].dropna().astype(bool)
            share = inside[shares].dropna().astype(bool)
            print(
                f"{window}, {side}: history inside for {int(verdicts.sum())} of {len(verdicts)}"
                f" statistics ({int(main_.sum())} of {len(main_)} main) and "
                f"{int(share.sum())} of {len(share)} shares"
            )
        print(
            "  median width ratio (posterior / prior): "
            f"{group.loc[~shares, 'width_ratio'].median():.2f} of the statistics, "
            f"{group.loc[shares, 'width_ratio'].median():.2f} of the shares"
        )
    print(markdown(table.drop(columns=["main"]).round(4)))


if __name__ == "__main__":
    main()

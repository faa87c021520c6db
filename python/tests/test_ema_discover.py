"""`backchannel discover` held against EMA Workbench's `Prim` on the same
worlds (docs/MODEL.md, "Scenario discovery").

The worlds come from `discover`'s own `worlds.csv`; EMA is set as the
command documents its PRIM: the `ORIGINAL` objective (a cut is ranked by
the mean outcome of the box it leaves, not by EMA's default `LENIENT1`),
`REGRESSION` mode (the outcome is a number per world), `peel_alpha` and
`mass_min` 0.05, every input a float column (EMA peels an int column by
its discrete values), and EMA's pasting, which runs after peeling, left out
of the comparison (its pasted boxes come after the peeled ones). On a case
definition (`--case p>=0.35`) each world's outcome is 0 or 1, so EMA's
float means are exact and its ties are ours. Checked: every peeled box's
coverage, density, mass and number of restricted inputs; the frontier
(EMA's `is_pareto_efficient` on coverage, density and the number of
restricted inputs, as its `run_constrained_prim` uses it); the reported
box's step by the rule MODEL.md states, applied to EMA's trajectory; its
limits and each restricted side's quasi-p-value (EMA's `qp`); and the
supported threshold (EMA's `is_significant` over the frontier).
"""

import csv
import json
import math

import pytest

ema_workbench = pytest.importorskip(
    "ema_workbench", reason="ema_workbench cannot be installed here (pip install ema_workbench)"
)
pandas = pytest.importorskip("pandas")

from ema_workbench.analysis import prim  # noqa: E402
from ema_workbench.analysis.prim_util import (  # noqa: E402
    PRIMObjectiveFunctions,
    is_pareto_efficient,
    is_significant,
)
from ema_workbench.analysis.scenario_discovery_util import RuleInductionType  # noqa: E402

CASE = 0.35
THRESHOLD = 0.8


def discover(cli, tmp_path):
    """`discover` of worlds where the channel continues in at least 35 % of
    their runs: its discover.json and its worlds (inputs, outcome)."""
    out = tmp_path / "found"
    cli(
        "discover", "muscat-2026", "--outcome", "continued", "--case", f"p>={CASE}",
        "--threshold", THRESHOLD, "--worlds", 400, "--runs", 40000, "--seed", 7,
        "--out", out, "-q", "--no-plots",
    )
    found = json.loads((out / "discover.json").read_text())
    with open(out / "worlds.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    keys = [i["key"] for i in found["inputs"]]
    x = pandas.DataFrame({k: [float(r[k]) for r in rows] for k in keys})
    p = [float(r["channel_continued"]) for r in rows]
    return found, x, p


def ema_box(x, y):
    """EMA's PRIM with the settings discover's PRIM is documented to match."""
    finder = prim.Prim(
        x, y, threshold=THRESHOLD,
        obj_function=PRIMObjectiveFunctions.ORIGINAL,
        mode=RuleInductionType.REGRESSION,
        peel_alpha=0.05, mass_min=0.05,
    )
    return finder.find_box()


def restricted_sides(box_lims, box_init, key):
    """Which sides of `key` EMA's limits restrict: (low, high)."""
    return (
        box_lims.loc[0, key] > box_init.loc[0, key],
        box_lims.loc[1, key] < box_init.loc[1, key],
    )


def test_discover_agrees_with_ema_workbench_on_a_case_definition(cli, tmp_path):
    found, x, p = discover(cli, tmp_path)
    y = pandas.Series([1.0 if v >= CASE else 0.0 for v in p])
    assert 0 < y.sum() < len(y)
    box = ema_box(x, y.values)
    ema = box.peeling_trajectory
    ours = found["trajectory"][: found["peeled"]]
    # The peeled boxes, step by step (EMA's pasted boxes follow them).
    assert len(ema) >= len(ours)
    for step, mine in enumerate(ours):
        theirs = ema.iloc[step]
        for field in ("coverage", "density", "mass"):
            assert mine[field] == pytest.approx(theirs[field], abs=1e-12), (step, field)
        assert mine["restricted"] == theirs["res_dim"], step
    ema = ema.iloc[: len(ours)]

    # The frontier, by EMA's own Pareto test.
    objectives = ema[["coverage", "density", "res_dim"]].to_numpy(dtype=float)
    objectives[:, 2] *= -1
    frontier = list(is_pareto_efficient(objectives))
    assert [s["frontier"] for s in ours] == frontier

    # The rule (docs/MODEL.md, "The chosen box") on EMA's numbers.
    def rule(threshold):
        candidates = [
            i for i in range(len(ema)) if frontier[i] and ema.density[i] >= threshold
        ]
        return max(
            candidates,
            key=lambda i: (ema.coverage[i], ema.density[i], -ema.res_dim[i], -i),
            default=None,
        )

    significant = [
        i for i in range(len(ema)) if frontier[i] and is_significant(box, i)
    ]
    densest = max([ema.density[0]] + [ema.density[i] for i in significant])
    supported = math.floor(100 * densest) / 100
    assert found["supported_threshold"] == pytest.approx(supported, abs=1e-12)
    step = rule(THRESHOLD)
    chosen_by = "threshold"
    if step is None:
        step, chosen_by = rule(supported), "supported_threshold"
    assert found["box"]["step"] == step
    assert found["box"]["chosen_by"] == chosen_by

    # The reported step's limits and quasi-p-values, side by side.
    lims, qp = box.box_lims[step], box.qp[step]
    judged = {limit["key"]: limit for limit in found["box"]["limits"]}
    for key in x.columns:
        low, high = restricted_sides(lims, box.prim.box_init, key)
        if not (low or high):
            assert key not in judged, key
            continue
        limit = judged[key]
        significance = limit["significance"]
        for side, restricted, row, ema_side in (
            ("lo", low, 0, 0), ("hi", high, 1, 1)
        ):
            mine = significance[f"quasi_p_{side}"]
            if restricted:
                assert limit[side] == pytest.approx(lims.loc[row, key], abs=1e-12), key
                assert mine == pytest.approx(qp[key][ema_side], rel=1e-6, abs=1e-12), key
            else:
                assert mine is None, key

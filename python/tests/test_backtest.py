"""`bc.backtest` (docs/BACKTEST.md): the same files as the command line,
and its scores checked against an established implementation: each
forecast's Brier score against `properscoring.brier_score`, its log score
against scipy's Bernoulli log-likelihood, and the summary means against
those."""

import importlib.util
import json
import math
import tomllib

import numpy as np
import properscoring
from scipy.stats import bernoulli

import backchannel as bc

RUNS = 400


def test_backtest_equals_the_command_lines(cli, root, tmp_path):
    cases = root / "scenarios" / "backtest"
    out = tmp_path / "cli"
    cli("backtest", cases, "--runs", RUNS, "--worlds", 10, "--out", out,
        "--no-plots", "--quiet")
    b = bc.backtest(cases, runs=RUNS, worlds=10, threads=1)
    assert b.json_text == (out / "backtest.json").read_text()
    assert b.csv_text == (out / "backtest.csv").read_text()
    assert "cases" in repr(b)


def test_scores_agree_with_properscoring(root):
    b = bc.backtest(root / "scenarios" / "backtest", runs=RUNS, worlds=10)
    forecasts = [f for case in b.json["cases"] for f in case["forecasts"]]
    p = np.array([f["p"] for f in forecasts])
    y = np.array([1.0 if f["happened"] else 0.0 for f in forecasts])
    theirs = properscoring.brier_score(y, p)
    ours = np.array([f["brier"] for f in forecasts])
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-12)
    # The log score keeps p in [1/(2N), 1 - 1/(2N)] for N runs (docs/BACKTEST.md).
    kept = np.clip(p, 0.5 / RUNS, 1 - 0.5 / RUNS)
    log = -bernoulli.logpmf(y, kept)
    np.testing.assert_allclose([f["log"] for f in forecasts], log, rtol=1e-12, atol=1e-12)
    overall = next(s for s in b.json["scores"] if s["outcome"] == "overall")
    assert math.isclose(overall["brier"]["value"], float(np.mean(theirs)), abs_tol=1e-12)
    assert math.isclose(overall["log"]["value"], float(np.mean(log)), abs_tol=1e-12)
    assert overall["brier"]["lo"] <= overall["brier"]["value"] <= overall["brier"]["hi"]
    # The skill against the base rate is 1 - BS / BS_ref over forecasts with a base rate.
    with_rate = [f for f in forecasts if f["base_rate"] is not None]
    reference = properscoring.brier_score(
        np.array([1.0 if f["happened"] else 0.0 for f in with_rate]),
        np.array([f["base_rate"] for f in with_rate]),
    )
    skill = 1 - np.mean([f["brier"] for f in with_rate]) / np.mean(reference)
    assert math.isclose(overall["skill_vs_base_rate"]["value"], skill, abs_tol=1e-12)


def test_the_case_files_are_the_protocols(root):
    """scenarios/backtest holds exactly what data/backtest/make_cases.py
    writes, and every case's informed mediator levers are the committed ICB
    posterior's [p5, p50, p95] (docs/BACKTEST.md, section 3)."""
    spec = importlib.util.spec_from_file_location(
        "make_cases", root / "data" / "backtest" / "make_cases.py")
    make_cases = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_cases)
    cases = root / "scenarios" / "backtest"
    written = {}
    for case in make_cases.CASES:
        name, text = make_cases.scenario_text(case)
        assert (cases / f"{name}.toml").read_text() == text, name
        written[name] = tomllib.loads(text)
    assert sorted(p.stem for p in cases.glob("*.toml")) == sorted(written)

    calibration = json.loads(
        (root / "calibrations" / "icb-mediation" / "calibration.json").read_text())
    informed = [i for i in calibration["inputs"]
                if i["key"].startswith("mediator.") and i["contraction"] >= 0.1]
    assert {i["key"] for i in informed} == {
        "mediator.crisis_management", "mediator.leverage", "mediator.durability_cost"}
    for name, scenario in written.items():
        for entry in informed:
            lever = scenario["mediator"][entry["key"].removeprefix("mediator.")]
            posterior = [entry["posterior"][q] for q in ("p5", "p50", "p95")]
            assert all(math.isclose(a, b, rel_tol=0.05)
                       for a, b in zip(lever["triangular"], posterior)), (name, entry["key"])

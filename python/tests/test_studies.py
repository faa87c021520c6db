"""`bc.compare`, `bc.sweep`, `bc.sensitivity` and `bc.trace` against the
command line: the same files for the same inputs."""

import json
import os
import signal
import threading

import pytest

import backchannel as bc

CAPABILITY = "spoilers.israel.capability"
LEAK = "format.leak_hazard"


def test_compare_equals_the_command_lines_comparison(cli, tmp_path):
    out = tmp_path / "cli"
    cli("compare", "muscat-2026", "muscat-2026:format.mode=direct", "--runs", 1500,
        "--seed", 9, "--out", out, "--no-plots", "--quiet")
    s = bc.Scenario.load("muscat-2026")
    c = bc.compare([s, s.with_values({"format.mode": "direct"})], runs=1500, seed=9, threads=1)
    assert c.json_text == (out / "comparison.json").read_text()
    assert c.csv_text == (out / "comparison.csv").read_text()
    assert c.json == json.loads(c.json_text)
    assert c.manifest["threads"] == 1
    assert "2 scenarios" in repr(c)
    spelled = bc.compare(["muscat-2026", "muscat-2026:format.mode=direct"], runs=1500, seed=9)
    assert spelled.json_text == c.json_text


def test_compare_table_is_the_csv():
    pandas = pytest.importorskip("pandas", reason="pandas is not installed")
    c = bc.compare(["minimal", "minimal"], runs=200)
    frame = c.table()
    assert isinstance(frame, pandas.DataFrame)
    assert len(frame) == c.csv_text.count("\n") - 1
    assert list(frame.columns) == c.csv_text.splitlines()[0].split(",")


def test_compare_needs_two_scenarios():
    with pytest.raises(bc.ScenarioError):
        bc.compare(["minimal"], runs=100)


def test_sweep_equals_the_command_lines_sweep_csv(cli, tmp_path):
    out = tmp_path / "cli"
    cli("sweep", "muscat-2026", "--vary", f"{CAPABILITY}=0.2..0.8:4", "--runs", 300,
        "--seed", 4, "--out", out, "--no-plots", "--quiet")
    w = bc.sweep("muscat-2026", {CAPABILITY: (0.2, 0.8, 4)}, runs=300, seed=4, threads=1)
    assert w.csv_text == (out / "sweep.csv").read_text()
    assert "4 points" in repr(w)


def test_sweep_table_without_pandas(monkeypatch):
    numpy = pytest.importorskip("numpy", reason="numpy is not installed")
    w = bc.sweep("minimal", {"format.leak_hazard": (0.0, 0.2, 3)}, runs=100)
    monkeypatch.setitem(__import__("sys").modules, "pandas", None)
    columns = w.table()
    assert isinstance(columns, dict)
    assert all(isinstance(c, numpy.ndarray) and len(c) == 3 for c in columns.values())


def test_sweep_range_must_have_three_values():
    with pytest.raises(ValueError, match=r"\(lo, hi, steps\)"):
        bc.sweep("minimal", {LEAK: (0.0, 0.2)})


def test_sweep_bad_key_is_a_located_scenario_error():
    with pytest.raises(bc.ScenarioError) as caught:
        bc.sweep("minimal", {"format.no_such_key": (0.0, 0.2, 3)}, runs=100)
    assert caught.value.diagnostics


def test_sensitivity_equals_the_command_lines(cli, tmp_path):
    out = tmp_path / "cli"
    cli("sensitivity", "muscat-2026", "--vary", f"{CAPABILITY}=0.2..0.8", "--vary",
        f"{LEAK}=0.0..0.2", "--method", "oat", "--runs", 300, "--seed", 5, "--out", out,
        "--no-plots", "--quiet")
    a = bc.sensitivity("muscat-2026", {CAPABILITY: (0.2, 0.8), LEAK: (0.0, 0.2)},
                       method="oat", runs=300, seed=5, threads=1)
    assert a.json_text == (out / "sensitivity.json").read_text()
    assert a.csv_text == (out / "sensitivity.csv").read_text()
    assert a.json == json.loads(a.json_text)


def test_sobol_sensitivity_equals_the_command_lines(cli, tmp_path):
    out = tmp_path / "cli"
    cli("sensitivity", "minimal", "--vary", f"{LEAK}=0.0..0.2", "--samples", 8,
        "--runs", 100, "--out", out, "--no-plots", "--quiet")
    a = bc.sensitivity("minimal", {LEAK: (0.0, 0.2)}, samples=8, runs=100)
    assert a.json_text == (out / "sensitivity.json").read_text()


def test_sensitivity_method_must_be_known():
    with pytest.raises(ValueError, match="sobol"):
        bc.sensitivity("minimal", {LEAK: (0.0, 0.2)}, method="tornado")


def test_trace_equals_the_command_lines(cli):
    text = cli("trace", "muscat-2026", "--run", 17).stdout
    lines = cli("trace", "muscat-2026", "--run", 17, "--json").stdout
    t = bc.trace("muscat-2026", run=17)
    assert t.text == text
    assert t.json_text == lines
    objects = [json.loads(line) for line in lines.splitlines()]
    assert t.lines == objects[:-1] and t.outcome == objects[-1]
    assert t.outcome["run"] == 17
    assert {"type", "round"} <= set(t.lines[0])


def test_trace_given_facts_equals_the_command_lines(cli, tmp_path):
    news = tmp_path / "news.toml"
    news.write_text('[[observed]]\nround = 2\nchannel = "active"\n')
    lines = cli("trace", "muscat-2026", "--run", 3, "--seed", 8, "--given", news,
                "--json").stdout
    t = bc.trace("muscat-2026", run=3, seed=8, given=news)
    assert t.json_text == lines
    facts = bc.trace("muscat-2026", run=3, seed=8, given=[{"round": 2, "channel": "active"}])
    assert facts.outcome == t.outcome


def test_sweep_progress_and_ctrl_c():
    seen = []
    bc.sweep("minimal", {LEAK: (0.0, 0.2, 2)}, runs=20_000, threads=1, progress=seen.append)
    assert seen and seen == sorted(seen) and seen[-1] == 40_000
    timer = threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            bc.sweep("muscat-2026", {CAPABILITY: (0.2, 0.8, 3)}, runs=10**9, threads=1)
    finally:
        timer.cancel()

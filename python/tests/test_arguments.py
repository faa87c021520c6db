"""Every numeric argument of every function is checked as Python checks
its own: a TypeError for what is not a number of the right kind (a string,
a bool), a ValueError naming the argument for a number out of range; and
the results read well in a notebook and in ``help()``."""

import json
import pathlib
import re
import subprocess

import pytest

import backchannel as bc

ROOT = pathlib.Path(__file__).resolve().parents[2]
CALIBRATION = ROOT / "calibrations" / "icb-mediation.toml"

# Each study function with the smallest call that runs, and the numeric
# arguments it takes with the lowest value each accepts.
CALLS = {
    "run": (lambda **kw: bc.run("minimal", **{"runs": 20, **kw}),
            {"runs": 1, "seed": 0, "threads": 1, "worlds": 2}),
    "compare": (lambda **kw: bc.compare(["minimal", "minimal"], **{"runs": 20, **kw}),
                {"runs": 1, "seed": 0, "threads": 1, "worlds": 2}),
    "sweep": (lambda **kw: bc.sweep(
        "minimal", {"format.leak_hazard": (0.1, 0.2, 2)}, **{"runs": 20, **kw}),
        {"runs": 1, "seed": 0, "threads": 1}),
    "sensitivity": (lambda **kw: bc.sensitivity(
        "minimal", {"format.leak_hazard": (0.1, 0.2)}, method="oat", **{"runs": 20, **kw}),
        {"runs": 1, "seed": 0, "threads": 1, "samples": 2}),
    "trace": (lambda **kw: bc.trace("minimal", **{"run": 0, **kw}),
              {"run": 0, "seed": 0, "threads": 1, "worlds": 2}),
    "backtest": (lambda **kw: bc.backtest(ROOT / "scenarios" / "backtest", **{"runs": 20, **kw}),
                 {"runs": 1, "seed": 0, "threads": 1, "worlds": 2}),
    "calibrate": (lambda **kw: bc.calibrate(CALIBRATION, **kw),
                  {"seed": 0, "threads": 1, "worlds": 20, "runs_per_world": 1, "min_ess": 1,
                   "max_generations": 1}),
}
CASES = [(name, arg, lowest) for name, (_, args) in CALLS.items() for arg, lowest in args.items()]


@pytest.mark.parametrize("function,argument,lowest", CASES)
def test_a_string_or_a_bool_is_a_type_error(function, argument, lowest):
    call = CALLS[function][0]
    for wrong in ("100", True, 2.5, None if argument == "run" else "x"):
        if wrong is None:
            continue
        with pytest.raises(TypeError, match=f"^{argument} must be an integer, not "):
            call(**{argument: wrong})


@pytest.mark.parametrize("function,argument,lowest", CASES)
def test_a_number_below_the_range_is_a_value_error(function, argument, lowest):
    call = CALLS[function][0]
    with pytest.raises(ValueError) as caught:
        call(**{argument: lowest - 5})
    assert str(caught.value).startswith(f"{argument} must be ")
    assert str(caught.value).endswith(f"got {lowest - 5}")
    assert not isinstance(caught.value, bc.ScenarioError)


@pytest.mark.parametrize("function,argument,lowest", CASES)
def test_a_number_above_the_librarys_limit_is_a_value_error(function, argument, lowest):
    # Every limit is the library's (LIMITS), named as the argument is.
    call = CALLS[function][0]
    highest = bc.LIMITS[function][argument][1]
    with pytest.raises(ValueError) as caught:
        call(**{argument: highest + 1})
    assert str(caught.value) == (
        f"{argument} must be an integer from {lowest} to {highest}, got {highest + 1}"
    )
    assert not isinstance(caught.value, bc.ScenarioError)


def test_the_issues_upper_limits_read_as_python():
    with pytest.raises(ValueError, match=r"^threads must be an integer from 1 to 1024, got 2000$"):
        bc.run("minimal", runs=10, threads=2000)
    with pytest.raises(ValueError, match=r"^worlds must be an integer from 2 to 100000, got 200000$"):
        bc.run("minimal", runs=10, worlds=200000)


def test_limits_are_the_command_lines(cli):
    """LIMITS comes from the library, not from a copy: the command line,
    given one more than each range's top, names the same top."""
    flags = {"run": ["run", "minimal", "--runs", 10], "backtest": ["backtest", ROOT / "scenarios" / "backtest"]}
    for study, command in flags.items():
        for argument in ("threads", "worlds"):
            highest = bc.LIMITS[study][argument][1]
            done = subprocess.run(
                [cli.binary, *map(str, command), f"--{argument}", str(highest + 1)],
                capture_output=True, text=True,
            )
            assert done.returncode == 2, done.stderr
            found = re.search(r"expected a number from (\d+) to (\d+)", done.stderr)
            assert found, done.stderr
            assert (int(found[1]), int(found[2])) == bc.LIMITS[study][argument]


def test_a_limit_between_settings_reads_as_python():
    # Runs too few for the worlds: a ScenarioError (a ValueError) in the
    # words of the call, not the command line's flags.
    s = bc.Scenario.load("minimal").with_values({"format.leak_hazard": {"uniform": [0.1, 0.2]}})
    with pytest.raises(bc.ScenarioError) as caught:
        bc.run(s, runs=20, worlds=20)
    assert caught.value.key == "runs"
    text = str(caught.value)
    assert "--" not in text.replace("-->", ""), text
    assert "worlds=20" in text and "runs=40" in text, text


def test_the_issues_examples_read_as_python():
    with pytest.raises(ValueError, match=r"^runs must be a positive integer, got -5$"):
        bc.run("minimal", runs=-5)
    with pytest.raises(TypeError, match=r"^runs must be an integer, not str \('100'\)$"):
        bc.run("minimal", runs="100")
    with pytest.raises(TypeError, match=r"^runs must be an integer, not bool \(True\)$"):
        bc.run("minimal", runs=True)


def test_seeds_run_from_0_to_2_to_the_63_minus_1():
    assert bc.MAX_SEED == 2**63 - 1
    top = bc.run("minimal", runs=20, seed=bc.MAX_SEED, keep_runs=False)
    assert top.summary["seed"] == bc.MAX_SEED
    with pytest.raises(ValueError, match=r"^seed must be a non-negative integer, got -1$"):
        bc.run("minimal", runs=20, seed=-1)
    for seed in (2**63, 2**64 - 1):
        with pytest.raises(ValueError, match=rf"^seed must be an integer from 0 to {2**63 - 1}, got {seed}$"):
            bc.run("minimal", runs=20, seed=seed)


def test_a_numpy_integer_is_an_integer():
    numpy = pytest.importorskip("numpy")
    r = bc.run("minimal", runs=numpy.int64(20), seed=numpy.uint32(3), keep_runs=False)
    assert r.summary["runs"] == 20 and r.summary["seed"] == 3


def test_precision_method_and_steps_are_checked():
    with pytest.raises(TypeError, match="^precision must be a number"):
        bc.run("minimal", precision="0.01")
    for eps in (0, -0.1, 0.6):
        with pytest.raises(ValueError, match=r"^precision must be a 95 % interval half-width in \(0, 0.5\]"):
            bc.run("minimal", precision=eps)
    with pytest.raises(ValueError, match='^method must be "sobol" or "oat", got \'sobel\''):
        bc.sensitivity("minimal", {"format.leak_hazard": (0.1, 0.2)}, method="sobel")
    with pytest.raises(TypeError, match="steps must be an integer, not float"):
        bc.sweep("minimal", {"format.leak_hazard": (0.1, 0.2, 2.5)}, runs=20)
    with pytest.raises(ValueError, match="steps must be an integer of at least 2, got 1"):
        bc.sweep("minimal", {"format.leak_hazard": (0.1, 0.2, 1)}, runs=20)
    top = bc.LIMITS["sweep"]["steps"][1]
    with pytest.raises(ValueError, match=f"steps must be an integer from 2 to {top}, got {top + 1}"):
        bc.sweep("minimal", {"format.leak_hazard": (0.1, 0.2, top + 1)}, runs=20)
    with pytest.raises(TypeError, match="lo and hi must be numbers, not str"):
        bc.sweep("minimal", {"format.leak_hazard": ("0.1", 0.2, 3)}, runs=20)


def test_the_headline_keeps_its_intervals():
    r = bc.run("minimal", runs=400)
    for name, p in r.headline.items():
        node = r.summary
        for part in name.split("."):
            node = node[part]
        assert (float(p), p.lo, p.hi) == (node["p"], node["lo"], node["hi"])
        assert p.lo <= p <= p.hi
    continued = r.headline["channel_continued"]
    assert repr(continued) == f"{continued:.4f} [{continued.lo:.4f}, {continued.hi:.4f}]"
    # Floats still: sums, comparisons and EMA Workbench's arrays take them.
    assert isinstance(continued, float)
    assert bc.headline(r.summary)["channel_continued"] == float(continued)


def test_results_show_as_html_tables_in_a_notebook():
    r = bc.run("minimal", runs=400)
    page = r._repr_html_()
    assert page.startswith("<table>") and page.count("<tr>") == 1 + len(bc.HEADLINE)
    continued = r.headline["channel_continued"]
    assert f"{100 * continued:.1f} %" in page
    comparison = bc.compare(["minimal", "minimal:format.leak_hazard=0.3"], runs=200)
    rows = comparison.csv_text.count("\n")
    assert comparison._repr_html_().count("<tr>") == rows
    trace = bc.trace("minimal", run=1)
    assert trace._repr_html_().startswith("<pre>")
    # Names come from scenario files: escaped, never markup.
    assert "a&lt;b" in bc._html_table("a<b", ["x"], [["<i>"]])
    assert "<i>" not in bc._html_table("a<b", ["x"], [["<i>"]])


def test_result_attributes_are_documented_properties():
    for cls, names in [
        (bc.Results, ["summary", "summary_json", "manifest", "headline", "directory"]),
        (bc.Comparison, ["json", "json_text", "csv_text", "manifest"]),
        (bc.Sweep, ["csv_text", "manifest"]),
        (bc.Sensitivity, ["json", "json_text", "csv_text", "manifest"]),
        (bc.RunTrace, ["text", "json_text", "lines", "outcome"]),
    ]:
        for name in names:
            attribute = getattr(cls, name)
            assert isinstance(attribute, property), f"{cls.__name__}.{name}"
            assert attribute.__doc__, f"{cls.__name__}.{name} has no docstring"


def test_help_shows_a_traces_attributes():
    import pydoc

    text = pydoc.render_doc(bc.RunTrace, renderer=pydoc.plaintext)
    for name in ("text", "json_text", "lines", "outcome"):
        assert f"\n |  {name}\n" in text, text


def test_run_writes_the_command_lines_folder(cli, tmp_path):
    out = tmp_path / "from-python"
    r = bc.run("minimal", runs=500, seed=4, out=out)
    assert r.directory == str(out)
    written = sorted(p.name for p in out.iterdir())
    assert {"summary.json", "summary.csv", "manifest.json", "report.html", "plots"} <= set(written)
    assert (out / "summary.json").read_text() == r.summary_json
    assert any(p.suffix == ".png" for p in (out / "plots").iterdir())
    # The same files as the command line's, plots and page included.
    cli("run", "minimal", "--runs", 500, "--seed", 4, "--out", tmp_path / "from-cli", "--quiet")
    for name in ("summary.json", "summary.csv"):
        assert (tmp_path / "from-cli" / name).read_bytes() == (out / name).read_bytes(), name
    # Another study's folder is refused and left as it was.
    with pytest.raises(bc.ScenarioError):
        bc.run("minimal", runs=500, seed=5, out=out)
    assert json.loads((out / "summary.json").read_text())["seed"] == 4

"""Forecast mediated diplomatic talks by seeded, reproducible Monte Carlo.

The engine of the ``backchannel`` command line, in process::

    import backchannel as bc
    s = bc.Scenario.load("muscat-2026")
    r = bc.run(s, runs=100_000, seed=20260206)
    r.summary["channel_continued"]["p"]
    r.runs()                      # one row per run (pandas, or numpy arrays)
    bc.compare([s, s.with_values({"format.mode": "direct"})], runs=20_000)
    bc.sweep(s, {"spoilers.israel.capability": (0.2, 0.8, 7)})
    bc.sensitivity(s, {"format.leak_hazard": (0.0, 0.2)}, method="oat")
    bc.trace(s, run=17)

Results equal the command line's for the same scenario, seed, runs and
worlds (``r.summary_json`` is ``summary.json``'s text, byte for byte), on
any number of threads. Bad input raises :class:`ScenarioError` with the
command line's located diagnostics. Long runs release the GIL, stop on
Ctrl-C (``KeyboardInterrupt``) and can show progress (``progress=True``).
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import sys
import tempfile
import weakref
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Union

from . import _native
from ._native import ScenarioError

__all__ = [
    "ema",
    "Scenario",
    "Results",
    "ScenarioError",
    "run",
    "compare",
    "sweep",
    "sensitivity",
    "trace",
    "calibrate",
    "Calibration",
    "Comparison",
    "Sweep",
    "Sensitivity",
    "RunTrace",
    "headline",
    "HEADLINE",
]

#: The headline probabilities, named as ``summary.csv`` names them: the
#: outcomes :func:`headline` reads and :mod:`backchannel.ema` reports.
HEADLINE = (
    "channel_continued",
    "escalation",
    "deal.comprehensive",
    "deal.partial",
    "deal.none",
    "channel.concluded",
    "channel.active",
    "channel.suspended",
    "channel.broken",
)

PathLike = Union[str, "os.PathLike[str]"]
#: One observed fact, as an ``[[observed]]`` table of an observations file
#: says it, e.g. ``{"round": 3, "channel": "active"}``.
Fact = Mapping[str, Union[int, bool, str]]
Progress = Union[bool, Callable[[int], Any], None]


class Scenario:
    """A scenario file parsed, changed by any values set on it, and checked.

    Build one with :meth:`load` or :meth:`from_toml`; every study starts
    from one. Scenarios are immutable: :meth:`with_values` returns a new one.
    """

    __slots__ = ("_native", "_variant")

    def __init__(self, native: _native.Scenario, variant: Optional[str] = None) -> None:
        self._native = native
        # How `compare` names this scenario, as the command line's
        # `NAME:KEY=VALUE` argument would, when it can be written so.
        self._variant = variant

    @classmethod
    def load(cls, spec: PathLike) -> "Scenario":
        """Load a scenario file by path, or an embedded scenario by name
        (``"muscat-2026"``; ``backchannel scenarios`` lists them)."""
        spec = os.fspath(spec)
        return cls(_native.Scenario.load(spec), None if ":" in spec else spec)

    @classmethod
    def from_toml(cls, text: str, origin: str = "<string>") -> "Scenario":
        """A scenario from its TOML text; ``origin`` names it in messages
        (a notebook cell, say)."""
        return cls(_native.Scenario.from_toml(text, origin))

    def with_values(self, values: Mapping[str, Any]) -> "Scenario":
        """This scenario with ``values`` set: the same keys and checks as
        the command line's ``--set KEY=VALUE``.

        A value is a string (``"direct"``), a number, a bool, or a
        distribution as a dict (``{"uniform": [0.2, 0.6]}``), which makes
        the key a judged input.
        """
        sets = [f"{key}={_set_value(value)}" for key, value in values.items()]
        variant = self._variant
        if variant is not None and sets:
            variant = None if any(":" in s for s in sets) else ":".join([variant, *sets])
        return Scenario(self._native.with_values(sets), variant)

    @property
    def name(self) -> str:
        """The scenario's ``[scenario] name``."""
        return self._native.name

    @property
    def display_name(self) -> str:
        """How results name the study: the name and the values set on it."""
        return self._native.display_name

    @property
    def toml(self) -> str:
        """The TOML text studied: the file after every value set."""
        return self._native.toml

    @property
    def sha256(self) -> str:
        """Hex SHA-256 of :attr:`toml`, as results record it."""
        return self._native.sha256

    @property
    def default_seed(self) -> int:
        """The scenario's own seed (``[scenario] seed``)."""
        return self._native.default_seed

    @property
    def default_runs(self) -> int:
        """The scenario's own number of runs (``[scenario] runs``)."""
        return self._native.default_runs

    @property
    def judged_inputs(self) -> List[Dict[str, Any]]:
        """The inputs written as distributions, in file order: dicts with
        ``key``, ``kind`` (``uniform``, ``triangular``, ``beta``, ``normal``,
        ``integers`` or ``one_of``) and the distribution's parameters
        (``lo``, ``hi``, ``mode``, ``alpha``, ``beta``, ``mean``, ``sd``,
        ``options``, ``weights``, as the kind has them)."""
        return self._native.judged_inputs()

    @property
    def judged_keys(self) -> List[str]:
        """The keys of :attr:`judged_inputs`."""
        return [j["key"] for j in self.judged_inputs]

    def __repr__(self) -> str:
        return f"Scenario({self.display_name!r})"


class Results:
    """What :func:`run` returns: the summary, the manifest and the runs."""

    def __init__(self, summary_json: str, manifest_json: str, runs_csv: Optional[str]) -> None:
        #: ``summary.json``'s text, byte for byte as the command line writes it.
        self.summary_json = summary_json
        #: ``summary.json`` as a dict (docs/OUTPUTS.md lists every key).
        self.summary: Dict[str, Any] = json.loads(summary_json)
        #: ``manifest.json`` as a dict: how the study ran (threads, timings).
        self.manifest: Dict[str, Any] = json.loads(manifest_json)
        self._runs_csv = runs_csv
        if runs_csv is not None:
            self._remove = weakref.finalize(self, _remove, runs_csv)

    @property
    def headline(self) -> Dict[str, float]:
        """The headline probabilities (:data:`HEADLINE`) by name."""
        return headline(self.summary)

    def runs(self) -> Any:
        """One row per run, as ``runs.csv`` (docs/OUTPUTS.md): a pandas
        DataFrame, or without pandas a dict of numpy arrays by column.

        Not kept for a study given observations (as ``run --given`` writes
        no ``runs.csv``) or run with ``keep_runs=False``.
        """
        if self._runs_csv is None:
            raise ValueError(
                "this study kept no runs: run it with keep_runs=True and without given="
            )
        try:
            import pandas
        except ImportError:
            return _read_columns(self._runs_csv)
        # Only an empty field is missing (no cause, no agreement): "none"
        # is a deal level.
        return pandas.read_csv(self._runs_csv, keep_default_na=False, na_values=[""])

    def __repr__(self) -> str:
        p = self.summary["channel_continued"]
        return (
            f"<Results {self.summary['scenario']['name']}: {self.summary['runs']} runs, "
            f"P(channel continued) = {p['p']:.4f} [{p['lo']:.4f}, {p['hi']:.4f}]>"
        )


def run(
    scenario: Union[Scenario, PathLike],
    *,
    runs: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    worlds: Optional[int] = None,
    given: Union[PathLike, Sequence[Fact], None] = None,
    precision: Optional[float] = None,
    progress: Progress = False,
    keep_runs: bool = True,
) -> Results:
    """Run a forecast, as ``backchannel run`` does.

    ``runs`` and ``seed`` default to the scenario's own; ``threads`` to
    every core (results do not depend on it); ``worlds`` to 200 draws of the
    judged inputs. ``given`` conditions on observations: a path to an
    observations file, or a list of facts such as
    ``[{"round": 3, "channel": "active"}]``. ``precision`` doubles the runs
    until the 95 % interval of P(channel continued) is that half-width.
    ``progress=True`` shows a progress bar (tqdm when installed, else a
    text line); a callable receives the runs done. ``keep_runs`` keeps
    ``runs.csv`` in a temporary file for :meth:`Results.runs`.

    The GIL is released while the study runs; Ctrl-C stops it between runs
    and raises ``KeyboardInterrupt``. Bad input raises :class:`ScenarioError`.
    """
    scenario = _scenario(scenario)
    given_path, given_toml = _given(given)
    settings = _settings(runs, seed, threads, worlds, precision)
    path = _temporary_csv() if keep_runs and given is None else None
    total = runs if runs is not None else (None if precision else scenario.default_runs)
    try:
        with _progress(progress, total) as report:
            summary, manifest = _native.run(
                scenario._native, settings, given_path, given_toml, path, report
            )
    except BaseException:
        if path is not None:
            _remove(path)
        raise
    return Results(summary, manifest, path)


class _Tabled:
    """A study's CSV table and manifest, shared by the multi-study results."""

    def __init__(self, csv_text: str, manifest_json: str) -> None:
        #: The CSV file's text, byte for byte as the command line writes it.
        self.csv_text = csv_text
        #: ``manifest.json`` as a dict: how the study ran (threads, timings).
        self.manifest: Dict[str, Any] = json.loads(manifest_json)

    def table(self) -> Any:
        """The CSV table (docs/OUTPUTS.md): a pandas DataFrame, or without
        pandas a dict of numpy arrays by column."""
        try:
            import pandas
        except ImportError:
            return _columns(csv.reader(io.StringIO(self.csv_text, newline="")))
        return pandas.read_csv(io.StringIO(self.csv_text), keep_default_na=False, na_values=[""])


class Comparison(_Tabled):
    """What :func:`compare` returns: ``comparison.json`` (:attr:`json`),
    ``comparison.csv`` (:attr:`csv_text`, :meth:`table`) and the manifest."""

    def __init__(self, json_text: str, csv_text: str, manifest_json: str) -> None:
        super().__init__(csv_text, manifest_json)
        #: ``comparison.json``'s text, byte for byte.
        self.json_text = json_text
        #: ``comparison.json`` as a dict: each metric with every scenario's
        #: value and its paired difference to the first.
        self.json: Dict[str, Any] = json.loads(json_text)

    def __repr__(self) -> str:
        return f"<Comparison of {len(self.json['scenarios'])} scenarios>"


class Sweep(_Tabled):
    """What :func:`sweep` returns: ``sweep.csv`` (:attr:`csv_text`,
    :meth:`table`: one row per point) and the manifest."""

    def __repr__(self) -> str:
        return f"<Sweep of {self.csv_text.count(chr(10)) - 1} points>"


class Sensitivity(Comparison):
    """What :func:`sensitivity` returns: ``sensitivity.json``
    (:attr:`json`), ``sensitivity.csv`` (:attr:`csv_text`, :meth:`table`)
    and the manifest."""

    def __repr__(self) -> str:
        return f"<Sensitivity ({self.json.get('method')})>"


class RunTrace:
    """What :func:`trace` returns: one run replayed, round by round."""

    def __init__(self, text_lines: List[str], json_lines: List[str]) -> None:
        #: The replay as ``backchannel trace`` prints it.
        self.text = "\n".join(text_lines) + "\n"
        #: The replay as ``backchannel trace --json`` prints it (JSON Lines).
        self.json_text = "".join(line + "\n" for line in json_lines)
        objects = [json.loads(line) for line in json_lines]
        #: Each event and each round's end as a dict (``type``, ``round``,
        #: the event's fields: docs/OUTPUTS.md, "trace").
        self.lines: List[Dict[str, Any]] = objects[:-1]
        #: The run's outcome: its ``runs.csv`` row as a dict.
        self.outcome: Dict[str, Any] = objects[-1]

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"<RunTrace of run {self.outcome.get('run')}: {len(self.lines)} lines>"


def compare(
    scenarios: Sequence[Union[Scenario, PathLike]],
    *,
    runs: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    worlds: Optional[int] = None,
    given: Union[PathLike, Sequence[Fact], None] = None,
    precision: Optional[float] = None,
    progress: Progress = False,
) -> Comparison:
    """Compare scenarios, as ``backchannel compare``: every scenario on the
    same seed and run indices (common random numbers), every metric with
    each scenario's value and its paired difference to the first (the
    baseline). Results label each scenario as the command line would: a
    string is a ``NAME:KEY=VALUE`` variant as ``compare`` takes it, and a
    scenario made by :meth:`Scenario.load` and :meth:`Scenario.with_values`
    is labelled ``NAME:KEY=VALUE...`` too (one from text by its origin).

    ``runs`` and ``seed`` default to the baseline's own; ``given`` keeps
    only the run indices consistent with observations in every scenario;
    ``precision`` doubles the runs until the 95 % interval of the first
    difference in P(channel continued) is that half-width. ``threads``,
    ``worlds`` and ``progress`` are as for :func:`run`; so are Ctrl-C and
    :class:`ScenarioError`.
    """
    loaded = [_compared(s) for s in scenarios]
    given_path, given_toml = _given(given)
    total = None
    if precision is None and loaded:
        total = runs if runs is not None else loaded[0].default_runs
    with _progress(progress, total) as report:
        texts = _native.compare(
            [s._native for s in loaded],
            _settings(runs, seed, threads, worlds, precision),
            given_path,
            given_toml,
            report,
        )
    return Comparison(*texts)


def sweep(
    scenario: Union[Scenario, PathLike],
    vary: Mapping[str, Sequence[float]],
    *,
    runs: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    progress: Progress = False,
) -> Sweep:
    """Sweep one key (a line) or two (a grid), as ``backchannel sweep``:
    ``vary`` maps each key to ``(lo, hi, steps)``, the command line's
    ``--vary KEY=LO..HI:STEPS``. Every point is a study of ``runs`` runs
    (default: the scenario's) on the same seed, drawing the default worlds
    of any judged inputs, as the command line does. ``threads`` and
    ``progress`` are as for :func:`run`; so are Ctrl-C and
    :class:`ScenarioError`.
    """
    scenario = _scenario(scenario)
    varies = [_vary(key, bounds, steps=True) for key, bounds in vary.items()]
    with _progress(progress, None) as report:
        texts = _native.sweep(
            scenario._native, varies, _settings(runs, seed, threads, None), report
        )
    return Sweep(*texts)


def sensitivity(
    scenario: Union[Scenario, PathLike],
    vary: Optional[Mapping[str, Sequence[float]]] = None,
    *,
    method: str = "sobol",
    runs: Optional[int] = None,
    samples: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    progress: Progress = False,
) -> Sensitivity:
    """Which parameters move the headline outcomes, as ``backchannel
    sensitivity``: ``vary`` maps each parameter to ``(lo, hi)``, the command
    line's ``--vary KEY=LO..HI`` (none: the scenario's judged inputs, each
    over its distribution, Sobol' only). ``method`` is ``"sobol"`` (Sobol'
    indices from a Saltelli design of ``samples`` base samples, default
    128) or ``"oat"`` (one at a time). Every design point is a study of
    ``runs`` runs (default 2 000) on the same seed, drawing the default
    worlds of any judged inputs, as the command line does. ``threads`` and
    ``progress`` are as for :func:`run`; so are Ctrl-C and
    :class:`ScenarioError`.
    """
    scenario = _scenario(scenario)
    varies = [_vary(key, bounds, steps=False) for key, bounds in (vary or {}).items()]
    with _progress(progress, None) as report:
        texts = _native.sensitivity(
            scenario._native,
            varies,
            method,
            samples,
            _settings(runs, seed, threads, None),
            report,
        )
    return Sensitivity(*texts)


class Calibration:
    """What :func:`calibrate` learnt: ``report`` is ``calibration.json`` as
    a dict (docs/OUTPUTS.md, "calibrate"), ``scenarios`` maps each
    calibrated scenario's path in the results to its TOML text (load one
    with :meth:`Scenario.from_toml` to run it), ``manifest`` is
    ``manifest.json``."""

    def __init__(self, report_json: str, scenarios: List[Any], manifest_json: str) -> None:
        self.report: Dict[str, Any] = json.loads(report_json)
        self.scenarios: Dict[str, str] = dict(scenarios)
        self.manifest: Dict[str, Any] = json.loads(manifest_json)

    @property
    def inputs(self) -> Any:
        """One row per unknown: its prior and posterior mean and 5th and
        95th percentiles and its contraction, as a pandas DataFrame."""
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "name": i["name"],
                    "prior_mean": i["prior"]["mean"],
                    "prior_p5": i["prior"]["p5"],
                    "prior_p95": i["prior"]["p95"],
                    "posterior_mean": i["posterior"]["mean"],
                    "posterior_p5": i["posterior"]["p5"],
                    "posterior_p95": i["posterior"]["p95"],
                    "contraction": i["contraction"],
                }
                for i in self.report["inputs"]
            ]
        ).set_index("name")

    def __repr__(self) -> str:
        r = self.report
        return (
            f"<Calibration of {len(r['inputs'])} inputs to {len(r['targets'])} "
            f"targets, ESS {r['ess']:.0f}>"
        )


def calibrate(
    path: PathLike,
    *,
    worlds: Optional[int] = None,
    runs_per_world: Optional[int] = None,
    min_ess: Optional[int] = None,
    max_generations: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    progress: Progress = False,
) -> Calibration:
    """Hold the judged inputs of the scenarios a calibration file names to
    its observed frequencies, as ``backchannel calibrate`` (docs/CALIBRATION.md):
    ``worlds`` per generation, ``runs_per_world``, ``min_ess`` and
    ``max_generations`` override the file's ``[calibration]``. ``threads``
    and ``progress`` are as for :func:`run` (progress counts runs, up to
    the most the calibration may take); so are Ctrl-C and
    :class:`ScenarioError`.
    """
    with _progress(progress, None) as report:
        texts = _native.calibrate(
            os.fspath(path),
            _settings(None, seed, threads, worlds),
            runs_per_world,
            min_ess,
            max_generations,
            report,
        )
    return Calibration(*texts)


def trace(
    scenario: Union[Scenario, PathLike],
    run: int,
    *,
    seed: Optional[int] = None,
    worlds: Optional[int] = None,
    threads: Optional[int] = None,
    given: Union[PathLike, Sequence[Fact], None] = None,
    progress: Progress = False,
) -> RunTrace:
    """Replay run ``run`` (from 0, as in ``runs.csv``) alone, as
    ``backchannel trace --run``: each event and each round's state, and the
    run's outcome. ``seed`` and ``worlds`` are those of the study the run
    belongs to. With ``given``, the ``run``-th run consistent with the
    observations (found by a conditional study on ``threads`` threads,
    reporting to ``progress`` and stopped by Ctrl-C).
    """
    scenario = _scenario(scenario)
    given_path, given_toml = _given(given)
    with _progress(progress, None) as report:
        lines = _native.trace(
            scenario._native,
            run,
            _settings(None, seed, threads, worlds),
            given_path,
            given_toml,
            report,
        )
    return RunTrace(*lines)


def _scenario(scenario: Union[Scenario, PathLike]) -> Scenario:
    """A scenario as given, or loaded from a path or an embedded name."""
    return scenario if isinstance(scenario, Scenario) else Scenario.load(scenario)


def _compared(scenario: Union[Scenario, PathLike]) -> Scenario:
    """A scenario to compare, loaded again as its variant spec so that
    results label it with the values set on it."""
    if not isinstance(scenario, Scenario):
        spec = os.fspath(scenario)
        return Scenario(_native.Scenario.load_variant(spec), spec)
    if scenario._variant is None or ":" not in scenario._variant:
        return scenario
    return Scenario(_native.Scenario.load_variant(scenario._variant), scenario._variant)


def _settings(
    runs: Optional[int],
    seed: Optional[int],
    threads: Optional[int],
    worlds: Optional[int],
    precision: Optional[float] = None,
) -> Dict[str, Any]:
    """A study's settings as the extension module takes them."""
    return {"runs": runs, "seed": seed, "threads": threads, "worlds": worlds,
            "precision": precision}


def _vary(key: str, bounds: Sequence[float], steps: bool) -> str:
    """``KEY=LO..HI:STEPS`` (a sweep) or ``KEY=LO..HI`` (a sensitivity
    analysis), as ``--vary`` takes it; the library checks the values."""
    want = 3 if steps else 2
    if isinstance(bounds, (str, bytes)) or len(bounds) != want:
        form = "(lo, hi, steps)" if steps else "(lo, hi)"
        raise ValueError(f"vary {key!r}: give {form}, not {bounds!r}")
    lo, hi = (_toml_value(b) for b in bounds[:2])
    text = f"{key}={lo}..{hi}"
    return f"{text}:{_toml_value(bounds[2])}" if steps else text


def headline(summary: Mapping[str, Any]) -> Dict[str, float]:
    """The headline probabilities of a ``summary.json`` dict, by the names
    of :data:`HEADLINE`."""
    out = {}
    for name in HEADLINE:
        node: Any = summary
        for part in name.split("."):
            node = node[part]
        out[name] = node["p"]
    return out


def _given(given: Union[PathLike, Sequence[Fact], None]):
    """(path, TOML text) of observations given as a path or a list of facts."""
    if given is None:
        return None, None
    if isinstance(given, (str, os.PathLike)):
        return os.fspath(given), None
    tables = []
    for fact in given:
        lines = [f"{key} = {_toml_value(value)}" for key, value in fact.items()]
        tables.append("[[observed]]\n" + "\n".join(lines) + "\n")
    return None, "\n".join(tables)


def _set_value(value: Any) -> str:
    """A value as ``--set`` takes it: a word such as ``direct`` bare, as
    a user types it (so results name the change as the command line's
    would), anything else as TOML."""
    if isinstance(value, str) and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", value):
        if value not in ("true", "false", "inf", "nan"):
            return value
    return _toml_value(value)


def _toml_value(value: Any) -> str:
    """A Python value as TOML source text."""
    if hasattr(value, "item") and callable(value.item):
        # A numpy scalar (EMA Workbench and SALib hand these): its Python
        # value, whose repr is plain TOML.
        value = value.item()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value} is not a number a scenario can hold")
        return repr(float(value))
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, Mapping):
        items = ", ".join(f"{json.dumps(str(k))} = {_toml_value(v)}" for k, v in value.items())
        return "{" + items + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} {value!r} as a scenario value")


def _temporary_csv() -> str:
    handle, path = tempfile.mkstemp(prefix="backchannel-runs-", suffix=".csv")
    os.close(handle)
    return path


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass


def _read_columns(path: str) -> Dict[str, Any]:
    """runs.csv as a dict of numpy arrays by column."""
    with open(path, newline="") as f:
        return _columns(csv.reader(f))


def _columns(rows: Any) -> Dict[str, Any]:
    """CSV rows (the header first) as a dict of numpy arrays by column."""
    try:
        import numpy
    except ImportError as e:
        raise ImportError("tables need pandas or numpy: pip install pandas") from e
    header = next(rows)
    columns: List[List[str]] = [[] for _ in header]
    for row in rows:
        for column, field in zip(columns, row):
            column.append(field)
    return {name: _typed(numpy, fields) for name, fields in zip(header, columns)}


def _typed(numpy: Any, fields: List[str]) -> Any:
    """A column as bools, whole numbers, numbers (an empty field is NaN,
    as pandas reads it) or text."""
    if fields and all(f in ("true", "false") for f in fields):
        return numpy.array([f == "true" for f in fields])
    try:
        return numpy.array(fields, dtype=numpy.int64)
    except ValueError:
        pass
    try:
        return numpy.array([f if f else "nan" for f in fields], dtype=numpy.float64)
    except ValueError:
        return numpy.array(fields, dtype=str)


class _progress:
    """A progress reporter for a study's ``progress`` argument: a
    callable as given, tqdm when installed, else a text line on stderr."""

    def __init__(self, progress: Progress, total: Optional[int]) -> None:
        self._callback = progress if callable(progress) else None
        self._show = progress is True
        self._total = total
        self._bar: Any = None

    def __enter__(self) -> Optional[Callable[[int], None]]:
        if self._callback is not None:
            return self._callback
        if not self._show:
            return None
        try:
            from tqdm.auto import tqdm
        except ImportError:
            return self._line
        self._bar = tqdm(total=self._total, unit="runs", unit_scale=True)
        return self._tick

    def _tick(self, done: int) -> None:
        self._bar.update(done - self._bar.n)

    def _line(self, done: int) -> None:
        total = f" / {self._total}" if self._total else ""
        sys.stderr.write(f"\r{done}{total} runs")
        sys.stderr.flush()

    def __exit__(self, *exc: Any) -> None:
        if self._bar is not None:
            self._bar.close()
        elif self._show:
            sys.stderr.write("\n")


# Last: it takes the names above (EMA Workbench itself is imported only
# when a model is made).
from . import ema  # noqa: E402

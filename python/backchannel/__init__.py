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
    bc.discover(s, "broken", worlds=200, runs=20_000).restrictions()
    bc.trace(s, run=17)

Results equal the command line's for the same scenario, seed, runs and
worlds (``r.summary_json`` is ``summary.json``'s text, byte for byte), on
any number of threads. Bad input raises :class:`ScenarioError` with the
command line's located diagnostics. Long runs release the GIL, stop on
Ctrl-C (``KeyboardInterrupt``) and can show progress (``progress=True``).
"""

from __future__ import annotations

import csv
import html
import io
import json
import math
import numbers
import os
import sys
import tempfile
import weakref
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple, Union

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
    "backtest",
    "sensitivity",
    "trace",
    "calibrate",
    "Calibration",
    "discover",
    "Discovery",
    "Comparison",
    "Sweep",
    "Backtest",
    "Sensitivity",
    "RunTrace",
    "headline",
    "HEADLINE",
    "Probability",
    "MAX_SEED",
    "LIMITS",
]

#: The range of every whole-number argument of each study function, as
#: the library states it (``SETTING_LIMITS`` in ``src/study/checks.rs``):
#: ``LIMITS["run"]["threads"] == (1, 1024)``, by function, then argument.
#: Each function checks its arguments against it before anything runs.
LIMITS: Dict[str, Dict[str, Tuple[int, int]]] = _native.LIMITS

#: The largest seed: seeds are 0 to 2^63 - 1, as ``--seed`` and the
#: scenario file's ``[scenario] seed`` take them (docs/SCENARIO.md).
MAX_SEED: int = LIMITS["run"]["seed"][1]

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

        A value is a string (``"direct"``), a number, a bool, a list, or a
        distribution as a dict (``{"uniform": [0.2, 0.6]}``), which makes
        the key a judged input; numpy's scalars count as their value. The
        library sets each as a typed value, and the text and SHA-256 are
        those ``--set`` makes of the arguments :attr:`values_set` names
        them by. Another type is a ``TypeError`` naming the key.
        """
        changed = self._native.with_values(dict(values))
        # The values as results name them (``KEY=VALUE``, as ``--set``
        # takes them), written by the library from the typed values.
        sets = changed.values_set[len(self._native.values_set):]
        variant = self._variant
        if variant is not None and sets:
            variant = None if any(":" in s for s in sets) else ":".join([variant, *sets])
        return Scenario(changed, variant)

    @property
    def values_set(self) -> List[str]:
        """The values set on this scenario, in order, as results name them
        and the command line's ``--set`` takes them (``format.mode=direct``,
        ``spoilers.israel.capability=0.35``)."""
        return self._native.values_set

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


class Probability(float):
    """A probability with its 95 % interval: a float (its estimate), with
    :attr:`lo` and :attr:`hi`."""

    __slots__ = ("lo", "hi")
    lo: float
    hi: float

    def __new__(cls, p: float, lo: float, hi: float) -> "Probability":
        value = super().__new__(cls, p)
        value.lo = lo
        value.hi = hi
        return value

    def __repr__(self) -> str:
        return f"{float(self):.4f} [{self.lo:.4f}, {self.hi:.4f}]"

    def __reduce__(self) -> Any:
        return (Probability, (float(self), self.lo, self.hi))


class Results:
    """What :func:`run` returns: the summary, the manifest and the runs."""

    def __init__(
        self,
        summary_json: str,
        manifest_json: str,
        runs_csv: Optional[str],
        directory: Optional[str] = None,
    ) -> None:
        self._summary_json = summary_json
        self._summary: Dict[str, Any] = json.loads(summary_json)
        self._manifest: Dict[str, Any] = json.loads(manifest_json)
        self._directory = directory
        self._runs_csv = runs_csv
        if runs_csv is not None:
            self._remove = weakref.finalize(self, _remove, runs_csv)

    @property
    def summary_json(self) -> str:
        """``summary.json``'s text, byte for byte as the command line writes it."""
        return self._summary_json

    @property
    def summary(self) -> Dict[str, Any]:
        """``summary.json`` as a dict (docs/OUTPUTS.md lists every key)."""
        return self._summary

    @property
    def manifest(self) -> Dict[str, Any]:
        """``manifest.json`` as a dict: how the study ran (threads, timings)."""
        return self._manifest

    @property
    def directory(self) -> Optional[str]:
        """The folder the results were written to (``out=``), else None."""
        return self._directory

    @property
    def headline(self) -> Dict[str, "Probability"]:
        """The headline probabilities (:data:`HEADLINE`) by name, each a
        :class:`Probability`: a float with its 95 % interval (``.lo``,
        ``.hi``)."""
        return headline(self._summary, intervals=True)

    def runs(self) -> Any:
        """One row per run, as ``runs.csv`` (docs/OUTPUTS.md): a pandas
        DataFrame with pandas installed (``pip install "./python[pandas]"``),
        else a dict of numpy arrays by column.

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
        p = self._summary["channel_continued"]
        return (
            f"<Results {self._summary['scenario']['name']}: {self._summary['runs']} runs, "
            f"P(channel continued) = {p['p']:.4f} [{p['lo']:.4f}, {p['hi']:.4f}]>"
        )

    def _repr_html_(self) -> str:
        """The headline probabilities as a table, for Jupyter."""
        rows = [
            [name, f"{100 * p:.1f} %", f"[{100 * p.lo:.1f}, {100 * p.hi:.1f}]"]
            for name, p in self.headline.items()
        ]
        caption = (
            f"{self._summary['scenario']['name']}: {self._summary['runs']} runs, "
            f"seed {self._summary['seed']}"
        )
        return _html_table(caption, ["outcome", "probability", "95 % interval"], rows)


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
    out: Optional[PathLike] = None,
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
    ``runs.csv`` in a temporary file for :meth:`Results.runs`. ``out``
    writes the study's folder as ``backchannel run --out DIR`` does (the
    summaries, ``worlds.csv``, the plots, ``report.html`` and the
    manifest; docs/OUTPUTS.md): ``DIR`` must be new or hold this same
    study's earlier results, anything else is refused and left as it was.

    Numbers are checked as Python's own functions check theirs: a
    ``TypeError`` for a value that is not a whole number (``runs="100"``,
    ``runs=True``), a ``ValueError`` for one out of range (``runs=-5``;
    ``seed`` from 0 to :data:`MAX_SEED`).

    The GIL is released while the study runs; Ctrl-C stops it between runs
    and raises ``KeyboardInterrupt``. Bad input raises :class:`ScenarioError`.
    """
    settings = _settings("run", runs, seed, threads, worlds, precision)
    directory = _directory(out)
    scenario = _scenario(scenario)
    given_path, given_toml = _given(given)
    path = _temporary_csv() if keep_runs and given is None else None
    total = runs if runs is not None else (None if precision else scenario.default_runs)
    try:
        with _progress(progress, total) as report:
            summary, manifest = _native.run(
                scenario._native, settings, given_path, given_toml, path, report, directory
            )
    except BaseException:
        if path is not None:
            _remove(path)
        raise
    return Results(summary, manifest, path, directory)


class _Tabled:
    """A study's CSV table and manifest, shared by the multi-study results."""

    def __init__(self, csv_text: str, manifest_json: str, directory: Optional[str] = None) -> None:
        self._csv_text = csv_text
        self._manifest: Dict[str, Any] = json.loads(manifest_json)
        self._directory = directory

    @property
    def directory(self) -> Optional[str]:
        """The folder the results were written to (``out=``), else None."""
        return self._directory

    @property
    def csv_text(self) -> str:
        """The CSV file's text, byte for byte as the command line writes it."""
        return self._csv_text

    @property
    def manifest(self) -> Dict[str, Any]:
        """``manifest.json`` as a dict: how the study ran (threads, timings)."""
        return self._manifest

    def table(self) -> Any:
        """The CSV table (docs/OUTPUTS.md): a pandas DataFrame with pandas
        installed (``pip install "./python[pandas]"``), else a dict of numpy
        arrays by column."""
        try:
            import pandas
        except ImportError:
            return _columns(csv.reader(io.StringIO(self._csv_text, newline="")))
        return pandas.read_csv(io.StringIO(self._csv_text), keep_default_na=False, na_values=[""])

    def _repr_html_(self) -> str:
        """The CSV table as HTML, for Jupyter (its first 100 rows)."""
        rows = list(csv.reader(io.StringIO(self._csv_text, newline="")))
        header, body = rows[0], rows[1:]
        shown = body[:_HTML_ROWS]
        caption = repr(self)
        if len(body) > len(shown):
            caption += f" (the first {len(shown)} of {len(body)} rows)"
        return _html_table(caption, header, shown)


class Comparison(_Tabled):
    """What :func:`compare` returns: ``comparison.json`` (:attr:`json`),
    ``comparison.csv`` (:attr:`csv_text`, :meth:`table`) and the manifest."""

    def __init__(
        self, json_text: str, csv_text: str, manifest_json: str, directory: Optional[str] = None
    ) -> None:
        super().__init__(csv_text, manifest_json, directory)
        self._json_text = json_text
        self._json: Dict[str, Any] = json.loads(json_text)

    @property
    def json_text(self) -> str:
        """The JSON file's text, byte for byte."""
        return self._json_text

    @property
    def json(self) -> Dict[str, Any]:
        """The JSON file as a dict: for a comparison, each metric with every
        scenario's value and its paired difference to the first."""
        return self._json

    def __repr__(self) -> str:
        return f"<Comparison of {len(self._json['scenarios'])} scenarios>"


class Sweep(_Tabled):
    """What :func:`sweep` returns: ``sweep.csv`` (:attr:`csv_text`,
    :meth:`table`: one row per point) and the manifest."""

    def __repr__(self) -> str:
        return f"<Sweep of {self._csv_text.count(chr(10)) - 1} points>"


class Backtest(_Tabled):
    """What :func:`backtest` returns: ``backtest.json`` (:attr:`json`:
    scores with bootstrap intervals, skill, reliability bins, every case's
    forecasts), ``backtest.csv`` (:attr:`csv_text`, :meth:`table`: one row
    per scored outcome) and the manifest."""

    def __init__(
        self, json_text: str, csv_text: str, manifest_json: str, directory: Optional[str] = None
    ) -> None:
        super().__init__(csv_text, manifest_json, directory)
        #: ``backtest.json``'s text, byte for byte.
        self.json_text = json_text
        #: ``backtest.json`` as a dict (docs/OUTPUTS.md, "backtest").
        self.json: Dict[str, Any] = json.loads(json_text)

    def __repr__(self) -> str:
        return f"<Backtest of {len(self.json['cases'])} cases>"


class Sensitivity(Comparison):
    """What :func:`sensitivity` returns: ``sensitivity.json``
    (:attr:`json`), ``sensitivity.csv`` (:attr:`csv_text`, :meth:`table`)
    and the manifest."""

    def __repr__(self) -> str:
        return f"<Sensitivity ({self._json.get('method')})>"


class RunTrace:
    """What :func:`trace` returns: one run replayed, round by round."""

    def __init__(self, text_lines: List[str], json_lines: List[str]) -> None:
        self._text = "\n".join(text_lines) + "\n"
        self._json_text = "".join(line + "\n" for line in json_lines)
        objects = [json.loads(line) for line in json_lines]
        self._lines: List[Dict[str, Any]] = objects[:-1]
        self._outcome: Dict[str, Any] = objects[-1]

    @property
    def text(self) -> str:
        """The replay as ``backchannel trace`` prints it."""
        return self._text

    @property
    def json_text(self) -> str:
        """The replay as ``backchannel trace --json`` prints it (JSON Lines)."""
        return self._json_text

    @property
    def lines(self) -> List[Dict[str, Any]]:
        """Each event and each round's end as a dict (``type``, ``round``,
        the event's fields: docs/OUTPUTS.md, "trace")."""
        return self._lines

    @property
    def outcome(self) -> Dict[str, Any]:
        """The run's outcome: its ``runs.csv`` row as a dict."""
        return self._outcome

    def __str__(self) -> str:
        return self._text

    def __repr__(self) -> str:
        return f"<RunTrace of run {self._outcome.get('run')}: {len(self._lines)} lines>"

    def _repr_html_(self) -> str:
        """The replay as text, for Jupyter."""
        return f"<pre>{html.escape(self._text)}</pre>"


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
    out: Optional[PathLike] = None,
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
    ``worlds``, ``progress`` and ``out`` (here ``backchannel compare --out
    DIR``'s folder) are as for :func:`run`; so are Ctrl-C and
    :class:`ScenarioError`.
    """
    settings = _settings("compare", runs, seed, threads, worlds, precision)
    directory = _directory(out)
    loaded = [_compared(s) for s in scenarios]
    given_path, given_toml = _given(given)
    total = None
    if precision is None and loaded:
        total = runs if runs is not None else loaded[0].default_runs
    with _progress(progress, total) as report:
        texts = _native.compare(
            [s._native for s in loaded],
            settings,
            given_path,
            given_toml,
            report,
            directory,
        )
    return Comparison(*texts, directory)


def sweep(
    scenario: Union[Scenario, PathLike],
    vary: Mapping[str, Sequence[float]],
    *,
    runs: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    progress: Progress = False,
    out: Optional[PathLike] = None,
) -> Sweep:
    """Sweep one key (a line) or two (a grid), as ``backchannel sweep``:
    ``vary`` maps each key to ``(lo, hi, steps)``, the command line's
    ``--vary KEY=LO..HI:STEPS``. Every point is a study of ``runs`` runs
    (default: the scenario's) on the same seed, drawing the default worlds
    of any judged inputs, as the command line does. ``threads``,
    ``progress`` and ``out`` (here ``backchannel sweep --out DIR``'s
    folder) are as for :func:`run`; so are Ctrl-C and :class:`ScenarioError`.
    """
    settings = _settings("sweep", runs, seed, threads, None)
    directory = _directory(out)
    scenario = _scenario(scenario)
    varies = [_vary(key, bounds, steps=True) for key, bounds in vary.items()]
    with _progress(progress, None) as report:
        texts = _native.sweep(scenario._native, varies, settings, report, directory)
    return Sweep(*texts, directory)


def backtest(
    directory: PathLike,
    *,
    runs: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    worlds: Optional[int] = None,
    progress: Progress = False,
    out: Optional[PathLike] = None,
) -> Backtest:
    """Score the forecasts of the historical cases in ``directory``
    (scenario files with a ``[record]`` table), as ``backchannel backtest``
    (docs/BACKTEST.md): each case run with its judged inputs (``runs`` per
    case, default 20 000; each case on its own seed unless ``seed`` is
    given), its recorded outcomes scored with the Brier and logarithmic
    scores, with bootstrap intervals over cases and the skill against the
    leave-one-out base rate and the ICB rate. ``threads``, ``worlds``,
    ``progress`` and ``out`` (here ``backchannel backtest --out DIR``'s
    folder) are as for :func:`run`; so are Ctrl-C and :class:`ScenarioError`.
    """
    settings = _settings("backtest", runs, seed, threads, worlds)
    written = _directory(out)
    with _progress(progress, None) as report:
        texts = _native.backtest(os.fspath(directory), settings, report, written)
    return Backtest(*texts, written)


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
    out: Optional[PathLike] = None,
) -> Sensitivity:
    """Which parameters move the headline outcomes, as ``backchannel
    sensitivity``: ``vary`` maps each parameter to ``(lo, hi)``, the command
    line's ``--vary KEY=LO..HI`` (none: the scenario's judged inputs, each
    over its distribution, Sobol' only). ``method`` is ``"sobol"`` (Sobol'
    indices from a Saltelli design of ``samples`` base samples, default
    128) or ``"oat"`` (one at a time). Every design point is a study of
    ``runs`` runs (default 2 000) on the same seed, drawing the default
    worlds of any judged inputs, as the command line does. ``threads``,
    ``progress`` and ``out`` (here ``backchannel sensitivity --out DIR``'s
    folder) are as for :func:`run`; so are Ctrl-C and :class:`ScenarioError`.
    """
    if method not in ("sobol", "oat"):
        raise ValueError(f'method must be "sobol" or "oat", got {method!r}')
    samples = _limited("sensitivity", "samples", samples)
    settings = _settings("sensitivity", runs, seed, threads, None)
    directory = _directory(out)
    scenario = _scenario(scenario)
    varies = [_vary(key, bounds, steps=False) for key, bounds in (vary or {}).items()]
    with _progress(progress, None) as report:
        texts = _native.sensitivity(
            scenario._native,
            varies,
            method,
            samples,
            settings,
            report,
            directory,
        )
    return Sensitivity(*texts, directory)


class Discovery(_Tabled):
    """What :func:`discover` found, as ``backchannel discover`` writes it:
    ``discover.json`` (:attr:`json`; the box chosen is :attr:`box`, its
    restrictions :meth:`restrictions`), ``discover.csv``, PRIM's trajectory
    of boxes (:attr:`csv_text`, :meth:`table`), ``worlds.csv`` (each
    world's input values and outcome counts, :meth:`worlds`), the manifest
    and the one-screen summary (:attr:`text`, ``str()``)."""

    def __init__(
        self,
        json_text: str,
        csv_text: str,
        worlds_csv: str,
        manifest_json: str,
        text: str,
        directory: Optional[str] = None,
    ) -> None:
        super().__init__(csv_text, manifest_json, directory)
        self._json_text = json_text
        self._json: Dict[str, Any] = json.loads(json_text)
        self._worlds_csv = worlds_csv
        self._text = text

    @property
    def json_text(self) -> str:
        """``discover.json``'s text, byte for byte as the command line writes it."""
        return self._json_text

    @property
    def json(self) -> Dict[str, Any]:
        """``discover.json`` as a dict (docs/OUTPUTS.md, "discover")."""
        return self._json

    @property
    def box(self) -> Dict[str, Any]:
        """The box chosen: its ``step`` of the trajectory, ``coverage``,
        ``density``, ``mass``, how it was chosen and its ``limits``."""
        return self._json["box"]

    @property
    def second_box(self) -> Optional[Dict[str, Any]]:
        """The box found by covering, outside the first, when there is one."""
        return self._json.get("second_box")

    @property
    def sentence(self) -> str:
        """The box chosen in one sentence, as the summary opens."""
        return self._json["sentence"]

    @property
    def text(self) -> str:
        """The one-screen summary the command line prints."""
        return self._text

    @property
    def worlds_csv(self) -> str:
        """``worlds.csv``'s text, byte for byte."""
        return self._worlds_csv

    def restrictions(self, box: Optional[Mapping[str, Any]] = None) -> Any:
        """The restrictions of ``box`` (default: the box chosen), one row
        per input it restricts: ``key``, ``lo``, ``hi``, ``side`` and, when
        judged, ``quasi_p_lo``, ``quasi_p_hi``, ``refit_share``, ``matters``
        and ``dropped`` (docs/OUTPUTS.md); ``options`` for an input of
        options. A pandas DataFrame indexed by key with pandas installed,
        else a dict of lists by column."""
        limits = (box if box is not None else self.box)["limits"]
        columns = ["key", "lo", "hi", "side", "options",
                   "quasi_p_lo", "quasi_p_hi", "refit_share", "matters", "dropped"]
        rows = []
        for limit in limits:
            judged = limit.get("significance") or {}
            row = {c: limit.get(c, judged.get(c)) for c in columns}
            row["options"] = limit.get("options")
            rows.append(row)
        try:
            import pandas
        except ImportError:
            return {c: [r[c] for r in rows] for c in columns}
        return pandas.DataFrame(rows, columns=columns).set_index("key")

    def worlds(self) -> Any:
        """``worlds.csv``: a pandas DataFrame with pandas installed, else a
        dict of numpy arrays by column."""
        try:
            import pandas
        except ImportError:
            return _columns(csv.reader(io.StringIO(self._worlds_csv, newline="")))
        return pandas.read_csv(io.StringIO(self._worlds_csv), keep_default_na=False, na_values=[""])

    def __str__(self) -> str:
        return self._text

    def __repr__(self) -> str:
        b = self.box
        return (
            f"<Discovery of {self._json['outcome']}: box of {b['restricted']} restrictions, "
            f"coverage {b['coverage']:.2f}, density {b['density']:.2f}>"
        )


class Calibration:
    """What :func:`calibrate` learnt: ``report`` is ``calibration.json`` as
    a dict (docs/OUTPUTS.md, "calibrate"), ``scenarios`` maps each
    calibrated scenario's path in the results to its TOML text (load one
    with :meth:`Scenario.from_toml` to run it), ``manifest`` is
    ``manifest.json``."""

    def __init__(
        self,
        report_json: str,
        scenarios: List[Any],
        manifest_json: str,
        directory: Optional[str] = None,
    ) -> None:
        self.report: Dict[str, Any] = json.loads(report_json)
        self.scenarios: Dict[str, str] = dict(scenarios)
        self.manifest: Dict[str, Any] = json.loads(manifest_json)
        #: The folder the results were written to (``out=``), else None.
        self.directory = directory

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


def discover(
    scenario: Union[Scenario, PathLike],
    outcome: str,
    *,
    threshold: float = 0.8,
    below: bool = False,
    case: Optional[str] = None,
    step: Optional[int] = None,
    paste: bool = False,
    keep_all: bool = False,
    sampling: str = "monte-carlo",
    worlds: Optional[int] = None,
    runs: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    progress: Progress = False,
    out: Optional[PathLike] = None,
) -> Discovery:
    """Scenario discovery, as ``backchannel discover``: where in the judged
    inputs' ranges ``outcome`` is likely (PRIM, docs/MODEL.md "Scenario
    discovery"). ``outcome`` is ``broken``, ``continued``, ``escalation``,
    ``deal.partial``, ``deal.comprehensive``, ``deal.none`` or ``channel.``
    and a final state. The other arguments are the command line's flags:
    ``threshold`` (``--threshold``, the density the box chosen must reach),
    ``below`` (where the outcome is unlikely), ``case`` (``"p>=0.6"``: count
    worlds whose probability passes it), ``step`` (report that step of the
    trajectory), ``paste``, ``keep_all``, ``sampling`` (``"monte-carlo"``
    or ``"latin"``), ``worlds`` (default 1000) and ``runs`` (default 500 a
    world). ``seed``, ``threads``, ``progress`` and ``out`` (here
    ``backchannel discover --out DIR``'s folder) are as for :func:`run`;
    so are Ctrl-C and :class:`ScenarioError`. The results equal the command
    line's for the same seed, worlds and runs, on any number of threads.
    """
    settings = _settings("discover", runs, seed, threads, worlds)
    if isinstance(threshold, bool) or not isinstance(threshold, numbers.Real):
        raise TypeError(f"threshold must be a number, not {type(threshold).__name__}")
    ask = {
        "threshold": float(threshold),
        "below": bool(below),
        "case": case,
        "step": _whole("step", step, 0, sys.maxsize),
        "paste": bool(paste),
        "keep_all": bool(keep_all),
        "sampling": sampling,
    }
    directory = _directory(out)
    scenario = _scenario(scenario)
    with _progress(progress, runs) as report:
        texts = _native.discover(scenario._native, outcome, ask, settings, report, directory)
    return Discovery(*texts, directory)


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
    out: Optional[PathLike] = None,
) -> Calibration:
    """Hold the judged inputs of the scenarios a calibration file names to
    its observed frequencies, as ``backchannel calibrate`` (docs/CALIBRATION.md):
    ``worlds`` per generation, ``runs_per_world``, ``min_ess`` and
    ``max_generations`` override the file's ``[calibration]``. ``threads``
    and ``progress`` are as for :func:`run` (progress counts runs, up to
    the most the calibration may take), and so are ``out`` (here
    ``backchannel calibrate --out DIR``'s folder), Ctrl-C and
    :class:`ScenarioError`.
    """
    settings = _settings("calibrate", None, seed, threads, worlds)
    limited = [
        _limited("calibrate", name, value)
        for name, value in [
            ("runs_per_world", runs_per_world),
            ("min_ess", min_ess),
            ("max_generations", max_generations),
        ]
    ]
    directory = _directory(out)
    with _progress(progress, None) as report:
        texts = _native.calibrate(
            os.fspath(path),
            settings,
            *limited,
            report,
            directory,
        )
    return Calibration(*texts, directory)


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
    run = _limited("trace", "run", run)
    settings = _settings("trace", None, seed, threads, worlds)
    scenario = _scenario(scenario)
    given_path, given_toml = _given(given)
    with _progress(progress, None) as report:
        lines = _native.trace(
            scenario._native,
            run,
            settings,
            given_path,
            given_toml,
            report,
        )
    return RunTrace(*lines)


def _directory(out: Optional[PathLike]) -> Optional[str]:
    """The folder ``out=`` names, as a string, or None."""
    return None if out is None else os.fspath(out)


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
    study: str,
    runs: Optional[int],
    seed: Optional[int],
    threads: Optional[int],
    worlds: Optional[int],
    precision: Optional[float] = None,
) -> Dict[str, Any]:
    """A study's settings as the extension module takes them, each checked
    against :data:`LIMITS` and named as the caller wrote it."""
    return {
        "runs": _limited(study, "runs", runs),
        "seed": _limited(study, "seed", seed),
        "threads": _limited(study, "threads", threads),
        "worlds": _limited(study, "worlds", worlds),
        "precision": _precision(precision),
    }


def _limited(study: str, name: str, value: Any, label: Optional[str] = None) -> Optional[int]:
    """Argument ``name`` of function ``study`` checked by :func:`_whole`
    against its range in :data:`LIMITS`; ``label`` names it in messages
    (default: ``name``)."""
    if value is None:
        return None
    lo, hi = LIMITS[study][name]
    return _whole(label or name, value, lo, hi)


def _whole(name: str, value: Any, lo: int, hi: int) -> Optional[int]:
    """``value`` as an int from ``lo`` to ``hi``, or None if not given: a
    TypeError for anything but a whole number (a bool is not one, nor a
    string), a ValueError for one out of range."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{name} must be an integer, not {type(value).__name__} ({value!r})"
        )
    value = int(value)
    if value < lo:
        wanted = {0: "a non-negative integer", 1: "a positive integer"}.get(
            lo, f"an integer of at least {lo}"
        )
        raise ValueError(f"{name} must be {wanted}, got {value}")
    if value > hi:
        raise ValueError(f"{name} must be an integer from {lo} to {hi}, got {value}")
    return value


def _precision(value: Any) -> Optional[float]:
    """A precision target: a 95 % half-width in (0, 0.5], or None."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"precision must be a number, not {type(value).__name__} ({value!r})"
        )
    value = float(value)
    if not 0.0 < value <= 0.5:
        raise ValueError(
            f"precision must be a 95 % interval half-width in (0, 0.5], got {value} "
            "(0.005 for ±0.5 percentage points)"
        )
    return value


def _vary(key: str, bounds: Sequence[float], steps: bool) -> str:
    """``KEY=LO..HI:STEPS`` (a sweep) or ``KEY=LO..HI`` (a sensitivity
    analysis), as ``--vary`` takes it; the library checks the values."""
    want = 3 if steps else 2
    if isinstance(bounds, (str, bytes)) or len(bounds) != want:
        form = "(lo, hi, steps)" if steps else "(lo, hi)"
        raise ValueError(f"vary {key!r}: give {form}, not {bounds!r}")
    for bound in bounds[:2]:
        if isinstance(bound, bool) or not isinstance(bound, numbers.Real):
            raise TypeError(
                f"vary {key!r}: lo and hi must be numbers, not {type(bound).__name__} ({bound!r})"
            )
    lo, hi = (_toml_value(b) for b in bounds[:2])
    text = f"{key}={lo}..{hi}"
    if not steps:
        return text
    return f"{text}:{_limited('sweep', 'steps', bounds[2], f'vary {key!r}: steps')}"


def headline(summary: Mapping[str, Any], intervals: bool = False) -> Dict[str, float]:
    """The headline probabilities of a ``summary.json`` dict, by the names
    of :data:`HEADLINE`: floats, or with ``intervals`` each a
    :class:`Probability` (a float with its 95 % interval)."""
    out: Dict[str, float] = {}
    for name in HEADLINE:
        node: Any = summary
        for part in name.split("."):
            node = node[part]
        out[name] = Probability(node["p"], node["lo"], node["hi"]) if intervals else node["p"]
    return out


#: The rows a study's table shows in a notebook.
_HTML_ROWS = 100


def _html_table(caption: str, header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain HTML table, every cell escaped (names come from scenarios)."""
    def cells(tag: str, row: Sequence[str]) -> str:
        return "".join(f"<{tag}>{html.escape(str(c))}</{tag}>" for c in row)

    body = "".join(f"<tr>{cells('td', row)}</tr>" for row in rows)
    return (
        f"<table><caption>{html.escape(caption)}</caption>"
        f"<thead><tr>{cells('th', header)}</tr></thead><tbody>{body}</tbody></table>"
    )


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
        raise ImportError(
            "numpy is a dependency of backchannel: reinstall it with pip install ./python"
        ) from e
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

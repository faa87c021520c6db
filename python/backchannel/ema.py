"""A scenario as an EMA Workbench model.

``model(scenario)`` returns an ``ema_workbench.Model`` whose uncertainties
are the scenario's judged inputs (each with its declared distribution) and
whose outcomes are the headline probabilities (:data:`backchannel.HEADLINE`),
so ``perform_experiments``, PRIM, CART and feature scoring work on it as on
any EMA model::

    from ema_workbench import perform_experiments
    from ema_workbench.analysis import prim
    import backchannel as bc

    m = bc.ema.model(bc.Scenario.load("muscat-2026"), runs=2000)
    experiments, outcomes = perform_experiments(m, 200)
    broken = outcomes["channel_broken"]
    box = prim.Prim(bc.ema.inputs(experiments, m), broken > broken.mean(),
                    threshold=0.5).find_box()

Each experiment is one forecast of ``runs`` runs with the experiment's
values set on the scenario (``Scenario.with_values``), on one seed: common
random numbers across the experiments, so their differences come from the
inputs, not from chance. EMA Workbench names must be Python identifiers:
a key's name is the key with every other character replaced by ``_``
(``spoilers.israel.capability`` is ``spoilers_israel_capability``); the
model's ``keys`` maps names back to keys.
"""

from __future__ import annotations

import re
from typing import Any, Dict, Mapping, Optional, Sequence, Tuple, Union

from . import HEADLINE, Scenario, run

__all__ = ["model", "identifier", "parameter", "inputs"]

#: A range given instead of a declared distribution: ``(lo, hi)`` for a
#: number (uniform; whole numbers if both ends are ints), or a list of
#: options.
Range = Union[Tuple[float, float], Sequence[str]]


def identifier(key: str) -> str:
    """The EMA Workbench name of a scenario key or outcome."""
    return re.sub(r"\W", "_", key)


def model(
    scenario: Union[Scenario, str],
    *,
    ranges: Optional[Mapping[str, Range]] = None,
    runs: int = 2000,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    name: Optional[str] = None,
) -> Any:
    """An ``ema_workbench.Model`` of ``scenario``.

    Uncertainties: every judged input with its declared distribution
    (:func:`parameter`), and every key of ``ranges`` over the range given
    there (which replaces a declared distribution). Outcomes: the headline
    probabilities, named by :func:`identifier` (``channel_broken``, ...).
    Each experiment runs ``runs`` runs on ``seed`` (the scenario's own by
    default) with ``threads`` threads. The default of 2 000 runs puts each
    probability within about ±2.2 percentage points (the 95 % interval's
    half-width at p = 0.5), finer than the differences PRIM looks for
    between experiments, and keeps 200 experiments to a minute or so.
    """
    from ema_workbench import Model, ScalarOutcome

    if not isinstance(scenario, Scenario):
        scenario = Scenario.load(scenario)
    ranges = dict(ranges or {})
    uncertainties = [
        parameter(judged) for judged in scenario.judged_inputs if judged["key"] not in ranges
    ]
    uncertainties += [_ranged(key, r) for key, r in ranges.items()]
    keys = {identifier(key): key for key in _keys(scenario, ranges)}
    outcomes = {identifier(o): o for o in HEADLINE}

    def forecast(**values: Any) -> Dict[str, float]:
        changed = scenario.with_values({keys[n]: v for n, v in values.items()})
        results = run(changed, runs=runs, seed=seed, threads=threads, keep_runs=False)
        return {n: results.headline[o] for n, o in outcomes.items()}

    # EMA Workbench takes only letters and digits in a model's name.
    m = Model(name or re.sub(r"[\W_]", "", scenario.name), function=forecast)
    m.uncertainties = uncertainties
    m.outcomes = [ScalarOutcome(n) for n in outcomes]
    m.keys = keys
    return m


def inputs(experiments: Any, m: Any) -> Any:
    """The experiments' columns of ``m``'s inputs, for PRIM and CART, with
    whole-number inputs as floats: PRIM pastes limits such as 8.5 into
    them, which pandas 3 refuses in an integer column."""
    x = experiments[list(m.keys)]
    return x.astype({c: float for c in x.select_dtypes("integer").columns})


def parameter(judged: Mapping[str, Any]) -> Any:
    """The EMA Workbench parameter of a judged input
    (``Scenario.judged_inputs``): uniform and whole numbers as
    ``RealParameter``/``IntegerParameter``; triangular, beta and truncated
    normal through ``RealParameter.from_dist`` with the same scipy
    distribution; ``one_of`` as a ``CategoricalParameter`` (EMA Workbench
    samples categories with equal weights, whatever the scenario's)."""
    from ema_workbench import CategoricalParameter, IntegerParameter, RealParameter
    from scipy import stats

    name, kind = identifier(judged["key"]), judged["kind"]
    if kind == "uniform":
        return RealParameter(name, judged["lo"], judged["hi"])
    if kind == "integers":
        return IntegerParameter(name, judged["lo"], judged["hi"])
    if kind == "one_of":
        return CategoricalParameter(name, judged["options"])
    if kind == "triangular":
        lo, width = judged["lo"], judged["hi"] - judged["lo"]
        dist = stats.triang((judged["mode"] - lo) / width, loc=lo, scale=width)
    elif kind == "beta":
        dist = stats.beta(judged["alpha"], judged["beta"])
    elif kind == "normal":
        mean, sd = judged["mean"], judged["sd"]
        dist = stats.truncnorm(
            (judged["lo"] - mean) / sd, (judged["hi"] - mean) / sd, loc=mean, scale=sd
        )
    else:
        raise ValueError(f"unknown distribution kind {kind!r} for {judged['key']}")
    return RealParameter.from_dist(name, dist)


def _ranged(key: str, given: Range) -> Any:
    """A parameter over a range given by the user."""
    from ema_workbench import CategoricalParameter, IntegerParameter, RealParameter

    name = identifier(key)
    if isinstance(given, tuple) and len(given) == 2 and not isinstance(given[0], str):
        lo, hi = given
        if isinstance(lo, int) and isinstance(hi, int):
            return IntegerParameter(name, lo, hi)
        return RealParameter(name, float(lo), float(hi))
    return CategoricalParameter(name, list(given))


def _keys(scenario: Scenario, ranges: Mapping[str, Range]) -> list:
    keys = [j["key"] for j in scenario.judged_inputs if j["key"] not in ranges]
    return keys + list(ranges)

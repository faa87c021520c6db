"""Sobol' indices of P(channel broken) over the flagship's judged inputs
with SALib: Saltelli's design from SALib.sample, one forecast per point
with bc.run (every point on one seed: common random numbers), and
SALib.analyze.sobol on the results.

    python python/examples/salib_sobol.py          # 64 base points, 1 000 runs each

BACKCHANNEL_POINTS and BACKCHANNEL_RUNS make it smaller or larger.
"""

import os

import numpy
from SALib.analyze import sobol as analyze
from SALib.sample import sobol as sample

import backchannel as bc

points = int(os.environ.get("BACKCHANNEL_POINTS", 64))
runs = int(os.environ.get("BACKCHANNEL_RUNS", 1000))

scenario = bc.Scenario.load("muscat-2026")
# SALib samples uniformly over bounds: each judged number over its support.
numbers = [j for j in scenario.judged_inputs if j["kind"] not in ("one_of",)]
bounds = [[j.get("lo", 0.0), j.get("hi", 1.0)] for j in numbers]
problem = {"num_vars": len(numbers), "names": [j["key"] for j in numbers], "bounds": bounds}

design = sample.sample(problem, points, calc_second_order=False, seed=1)
broken = numpy.empty(len(design))
for i, row in enumerate(design):
    values = {
        j["key"]: int(round(v)) if j["kind"] == "integers" else float(v)
        for j, v in zip(numbers, row)
    }
    result = bc.run(scenario.with_values(values), runs=runs, keep_runs=False)
    broken[i] = result.headline["channel.broken"]

indices = analyze.analyze(problem, broken, calc_second_order=False, seed=1)
order = numpy.argsort(-indices["ST"])
print(f"Sobol' indices of P(channel broken), {len(design)} forecasts of {runs} runs")
print(f"{'input':45} {'S1':>7} {'ST':>7}")
for k in order:
    print(f"{problem['names'][k]:45} {indices['S1'][k]:7.3f} {indices['ST'][k]:7.3f}")

"""Scenario discovery on the flagship with EMA Workbench: 200 experiments
over the judged inputs, then PRIM for the inputs under which the channel
is likely to break.

    python python/examples/ema_prim.py            # 200 experiments of 2 000 runs

BACKCHANNEL_EXPERIMENTS and BACKCHANNEL_RUNS make it smaller (the tests run
it that way).
"""

import os

import numpy
import pandas
from ema_workbench import perform_experiments
from ema_workbench.analysis import prim

import backchannel as bc

experiments_count = int(os.environ.get("BACKCHANNEL_EXPERIMENTS", 200))
runs = int(os.environ.get("BACKCHANNEL_RUNS", 2000))

scenario = bc.Scenario.load("muscat-2026")
model = bc.ema.model(scenario, runs=runs)
# EMA Workbench samples with numpy's global generator: seeded, the example
# gives the same experiments every time.
numpy.random.seed(20260206)
experiments, outcomes = perform_experiments(model, experiments_count)

broken = outcomes["channel_broken"]
# "Likely to break": the experiments in the top quarter of P(channel broken).
threshold = sorted(broken)[int(0.75 * len(broken))]
print(f"P(channel broken) over {len(broken)} experiments: "
      f"{broken.min():.3f} to {broken.max():.3f}; cases: P >= {threshold:.3f}")

finder = prim.Prim(bc.ema.inputs(experiments, model), broken >= threshold, threshold=0.5)
box = finder.find_box()
pandas.set_option("display.width", 160)
box.inspect(style="table")

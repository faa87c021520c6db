"""The examples run as written, made small through their environment
variables."""

import os
import subprocess
import sys

import pytest


def run_example(root, name, **env):
    done = subprocess.run(
        [sys.executable, str(root / "python" / "examples" / name)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_ema_prim_prints_a_box(root):
    pytest.importorskip("ema_workbench", reason="ema_workbench is not installed")
    out = run_example(root, "ema_prim.py", BACKCHANNEL_EXPERIMENTS="24", BACKCHANNEL_RUNS="200")
    assert "P(channel broken) over 24 experiments" in out
    assert "box" in out


def test_salib_sobol_prints_indices(root):
    pytest.importorskip("SALib", reason="SALib is not installed")
    out = run_example(root, "salib_sobol.py", BACKCHANNEL_POINTS="4", BACKCHANNEL_RUNS="200")
    assert "Sobol' indices of P(channel broken)" in out
    assert "spoilers.israel.capability" in out

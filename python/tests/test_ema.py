"""`bc.ema.model`: an EMA Workbench model whose uncertainties are the
judged inputs and whose outcomes are the headline probabilities."""

import pytest

import backchannel as bc

ema_workbench = pytest.importorskip(
    "ema_workbench", reason="ema_workbench cannot be installed here (pip install ema_workbench)"
)


def test_uncertainties_are_the_judged_inputs_with_their_distributions():
    s = bc.Scenario.load("muscat-2026")
    m = bc.ema.model(s, runs=200)
    names = [u.name for u in m.uncertainties]
    assert names == [bc.ema.identifier(k) for k in s.judged_keys]
    assert all(n.isidentifier() for n in names)
    assert m.keys == dict(zip(names, s.judged_keys))
    # A triangular input keeps its support and its mode.
    judged = next(j for j in s.judged_inputs if j["kind"] == "triangular")
    u = next(u for u in m.uncertainties if u.name == bc.ema.identifier(judged["key"]))
    assert u.dist.support() == pytest.approx((judged["lo"], judged["hi"]))
    assert [o.name for o in m.outcomes] == [bc.ema.identifier(h) for h in bc.HEADLINE]


def test_a_small_experiment_and_prim():
    from ema_workbench import perform_experiments
    from ema_workbench.analysis import prim

    s = bc.Scenario.load("muscat-2026")
    m = bc.ema.model(s, runs=300, seed=5)
    experiments, outcomes = perform_experiments(m, 16)
    broken = outcomes["channel_broken"]
    assert len(broken) == 16
    assert ((broken >= 0) & (broken <= 1)).all()
    assert outcomes["channel_continued"] == pytest.approx(1 - broken)
    # One experiment again by hand: the same forecast.
    first = experiments.iloc[0]
    values = {m.keys[n]: first[n] for n in m.keys}
    again = bc.run(s.with_values(values), runs=300, seed=5, keep_runs=False)
    assert again.headline["channel.broken"] == broken[0]
    x = bc.ema.inputs(experiments, m)
    box = prim.Prim(x, broken > broken.mean(), threshold=0.5).find_box()
    assert box.peeling_trajectory.shape[0] >= 1


def test_given_ranges_replace_declared_distributions():
    s = bc.Scenario.load("muscat-2026")
    key = s.judged_keys[0]
    m = bc.ema.model(s, ranges={key: (0.1, 0.2), "format.mode": ["direct", "indirect"]})
    u = {p.name: p for p in m.uncertainties}
    assert (u[bc.ema.identifier(key)].lower_bound, u[bc.ema.identifier(key)].upper_bound) == (0.1, 0.2)
    assert [c.value for c in u["format_mode"].categories] == ["direct", "indirect"]

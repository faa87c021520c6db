"""`bc.run` and `bc.Scenario` against the command line: the same summary,
byte for byte, and the same runs."""

import json

import pytest

import backchannel as bc


def test_load_by_name_by_path_and_from_text(root):
    by_name = bc.Scenario.load("muscat-2026")
    by_path = bc.Scenario.load(root / "scenarios" / "muscat-2026.toml")
    from_text = bc.Scenario.from_toml(by_path.toml, origin="cell 3")
    assert by_name.name == by_path.name == from_text.name == "muscat-2026"
    assert by_name.sha256 == by_path.sha256 == from_text.sha256
    assert by_name.default_runs > 0 and by_name.default_seed >= 0
    assert "muscat-2026" in repr(by_name)


def test_summary_equals_the_command_lines_byte_for_byte(cli, tmp_path):
    out = tmp_path / "cli"
    cli("run", "muscat-2026", "--runs", 3000, "--seed", 11, "--set", "format.mode=direct",
        "--out", out, "--no-plots", "--quiet")
    s = bc.Scenario.load("muscat-2026").with_values({"format.mode": "direct"})
    r = bc.run(s, runs=3000, seed=11, threads=1)
    text = (out / "summary.json").read_text()
    assert r.summary_json == text
    assert r.summary == json.loads(text)
    assert r.summary["scenario"]["overrides"] == ["format.mode=direct"]
    assert r.manifest["threads"] == 1


def test_typed_values_publish_what_the_command_lines_set_does(cli, tmp_path):
    # Python's values are typed by the library, not written as text: the
    # arguments it names them by, given to --set, make the same scenario
    # text, SHA-256, summary and manifest.
    import numpy

    values = {
        "format.mode": "direct",
        "spoilers.israel.capability": numpy.float64(0.35),
        "scenario.horizon": 10,
        "format.leak_hazard": {"uniform": [0.05, 0.15]},
    }
    s = bc.Scenario.load("muscat-2026").with_values(values)
    assert s.values_set == [
        "format.mode=direct",
        "spoilers.israel.capability=0.35",
        "scenario.horizon=10",
        "format.leak_hazard={ uniform = [0.05, 0.15] }",
    ]
    out = tmp_path / "cli"
    sets = [word for v in s.values_set for word in ("--set", v)]
    cli("run", "muscat-2026", "--runs", 2000, "--seed", 4, *sets, "--out", out,
        "--no-plots", "--quiet")
    r = bc.run(s, runs=2000, seed=4, threads=1, out=tmp_path / "py")
    assert r.summary_json == (out / "summary.json").read_text()
    assert r.summary["scenario"]["sha256"] == s.sha256
    made = json.loads((out / "manifest.json").read_text())
    ours = r.manifest
    assert made["scenario"]["sha256"] == s.sha256
    for field in ("scenario", "study", "seed", "runs"):
        assert ours.get(field) == made.get(field), field
    assert "format.leak_hazard" in s.judged_keys


def test_values_are_typed_bool_before_int():
    # True is an int in Python, but a truth value to a scenario: refused
    # where a number is expected, as --set format.leak_hazard=true is.
    with pytest.raises(bc.ScenarioError) as caught:
        bc.Scenario.load("minimal").with_values({"format.leak_hazard": True})
    assert caught.value.key == "format.leak_hazard"
    assert "with_values" in caught.value.file


def test_worlds_and_threads(cli, tmp_path):
    out = tmp_path / "cli"
    cli("run", "muscat-2026", "--runs", 2000, "--worlds", 20, "--threads", 2,
        "--out", out, "--no-plots", "--quiet")
    r = bc.run("muscat-2026", runs=2000, worlds=20, threads=1)
    assert r.summary_json == (out / "summary.json").read_text()
    assert r.summary["uncertainty"]["worlds"] == 20


def test_runs_frame_equals_runs_csv(cli, tmp_path):
    pandas = pytest.importorskip("pandas", reason="pandas is not installed")
    out = tmp_path / "cli"
    cli("run", "minimal", "--runs", 500, "--seed", 3, "--save-runs", "--out", out,
        "--no-plots", "--quiet")
    r = bc.run("minimal", runs=500, seed=3)
    frame = r.runs()
    expected = pandas.read_csv(out / "runs.csv", keep_default_na=False, na_values=[""])
    assert len(frame) == 500
    pandas.testing.assert_frame_equal(frame, expected)
    assert list(frame["run"]) == list(range(500))


def test_runs_without_pandas_are_numpy_arrays(monkeypatch):
    numpy = pytest.importorskip("numpy", reason="numpy is not installed")
    r = bc.run("muscat-2026", runs=300, seed=5)
    monkeypatch.setitem(__import__("sys").modules, "pandas", None)
    columns = r.runs()
    assert isinstance(columns, dict)
    assert columns["run"].dtype == numpy.int64
    assert list(columns["run"]) == list(range(300))
    assert columns["escalation"].dtype == bool
    # Runs without an agreement have an empty field: NaN, as pandas reads it.
    assert columns["first_agreement_round"].dtype == numpy.float64
    assert numpy.isnan(columns["first_agreement_round"]).any()
    broken = (columns["channel"] == "broken").sum()
    assert broken == r.summary["channel"]["broken"]["count"]


def test_runs_not_kept_say_why():
    r = bc.run("minimal", runs=100, keep_runs=False)
    with pytest.raises(ValueError, match="kept no runs"):
        r.runs()


def test_given_a_file_equals_the_command_line(cli, tmp_path):
    news = tmp_path / "news.toml"
    news.write_text('[[observed]]\nround = 2\nchannel = "active"\n')
    out = tmp_path / "cli"
    cli("run", "muscat-2026", "--runs", 1000, "--given", news, "--out", out,
        "--no-plots", "--quiet")
    r = bc.run("muscat-2026", runs=1000, given=news)
    assert r.summary_json == (out / "summary.json").read_text()
    with pytest.raises(ValueError):
        r.runs()


def test_given_a_list_of_facts_conditions_the_same_way(tmp_path):
    news = tmp_path / "news.toml"
    news.write_text('[[observed]]\nround = 2\nchannel = "active"\n')
    from_file = bc.run("muscat-2026", runs=1000, given=news).summary
    from_facts = bc.run("muscat-2026", runs=1000, given=[{"round": 2, "channel": "active"}]).summary
    assert from_facts["conditioning"]["observations"] == ["round 2: channel active"]
    for summary in (from_file, from_facts):
        del summary["conditioning"]["observations_sha256"]
    assert from_facts == from_file


def test_headline_probabilities_sum_over_states():
    r = bc.run("minimal", runs=400)
    h = r.headline
    assert set(h) == set(bc.HEADLINE)
    states = sum(h[f"channel.{s}"] for s in ("concluded", "active", "suspended", "broken"))
    assert states == pytest.approx(1.0)
    assert h["channel_continued"] == pytest.approx(1.0 - h["channel.broken"])
    assert "P(channel continued)" in repr(r)


def test_precision_doubles_until_met():
    r = bc.run("minimal", runs=64_000, precision=0.05, keep_runs=False)
    p = r.manifest["precision"]
    assert p["reached"] and p["runs"] < 64_000
    assert r.summary["runs"] == p["runs"]


def test_distribution_values_make_judged_inputs():
    s = bc.Scenario.load("minimal")
    assert s.judged_keys == []
    key = "parties.a.domestic.threshold"
    judged = s.with_values({key: {"triangular": [0.3, 0.4, 0.5]}})
    assert judged.judged_keys == [key]
    assert judged.judged_inputs == [
        {"key": key, "kind": "triangular", "lo": 0.3, "mode": 0.4, "hi": 0.5}
    ]
    fixed = judged.with_values({key: 0.45})
    assert fixed.judged_keys == []

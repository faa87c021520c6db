"""`bc.discover` against the command line's `backchannel discover`: the
same discover.json, discover.csv and worlds.csv for the same seed, worlds
and runs, and the box chosen as tables."""

import json

import pytest

import backchannel as bc


def test_discover_equals_the_command_lines_files(cli, tmp_path):
    out = tmp_path / "cli"
    cli("discover", "muscat-2026", "--outcome", "broken", "--worlds", 60, "--runs", 3000,
        "--seed", 5, "--out", out, "--no-plots", "--quiet")
    d = bc.discover("muscat-2026", "broken", worlds=60, runs=3000, seed=5, threads=1)
    assert d.json_text == (out / "discover.json").read_text()
    assert d.csv_text == (out / "discover.csv").read_text()
    assert d.worlds_csv == (out / "worlds.csv").read_text()
    assert d.json == json.loads(d.json_text)
    assert d.box == d.json["box"]
    assert d.sentence in d.text and d.sentence in str(d)
    assert d.manifest["threads"] == 1
    assert "Discovery of broken" in repr(d)


def test_discover_takes_the_command_lines_flags(cli, tmp_path):
    out = tmp_path / "cli"
    cli("discover", "muscat-2026", "--outcome", "broken", "--worlds", 40, "--runs", 2000,
        "--case", "p>=0.7", "--paste", "--keep-all", "--step", 3,
        "--sampling", "latin", "--threshold", 0.7, "--seed", 8, "--out", out, "--quiet")
    d = bc.discover("muscat-2026", "broken", worlds=40, runs=2000, case="p>=0.7",
                    paste=True, keep_all=True, step=3, sampling="latin",
                    threshold=0.7, seed=8, out=tmp_path / "py")
    assert d.json_text == (out / "discover.json").read_text()
    assert d.json["box"]["step"] == 3
    assert d.directory == str(tmp_path / "py")
    for name in ("discover.json", "discover.csv", "worlds.csv"):
        assert (tmp_path / "py" / name).read_bytes() == (out / name).read_bytes(), name
    below = bc.discover("muscat-2026", "escalation", worlds=40, runs=2000, below=True,
                        threshold=0.2, seed=8)
    cli("discover", "muscat-2026", "--outcome", "escalation", "--worlds", 40, "--runs", 2000,
        "--below", "--threshold", 0.2, "--seed", 8, "--out", tmp_path / "below", "--quiet")
    assert below.json_text == (tmp_path / "below" / "discover.json").read_text()
    assert below.json["direction"] == "below"


def test_the_box_as_tables():
    pandas = pytest.importorskip("pandas", reason="pandas is not installed")
    d = bc.discover("muscat-2026", "broken", worlds=40, runs=2000, seed=2)
    limits = d.restrictions()
    assert isinstance(limits, pandas.DataFrame)
    assert list(limits.index) == [limit["key"] for limit in d.box["limits"]]
    assert {"lo", "hi", "side", "quasi_p_lo", "quasi_p_hi", "dropped"} <= set(limits.columns)
    first = d.box["limits"][0]
    assert limits.loc[first["key"], "lo"] == first["lo"]
    trajectory = d.table()
    assert len(trajectory) == len(d.json["trajectory"])
    assert list(trajectory["step"]) == list(range(len(trajectory)))
    assert len(d.worlds()) == 40


def test_discover_refuses_what_the_command_line_refuses():
    with pytest.raises(bc.ScenarioError) as caught:
        bc.discover("muscat-2026", "brokn", worlds=40, runs=200)
    assert caught.value.key == "outcome"
    with pytest.raises(bc.ScenarioError) as caught:
        bc.discover("minimal", "broken", worlds=40, runs=200)
    assert "no judged inputs" in str(caught.value)
    with pytest.raises(ValueError, match="^worlds must be an integer of at least 20"):
        bc.discover("muscat-2026", "broken", worlds=5)
    with pytest.raises(ValueError, match="^case: "):
        bc.discover("muscat-2026", "broken", worlds=40, runs=200, case="p=0.3")
    with pytest.raises(ValueError, match="^sampling: "):
        bc.discover("muscat-2026", "broken", worlds=40, runs=200, sampling="grid")

"""Bad input raises `bc.ScenarioError` with the command line's located
diagnostics, in its message and as attributes."""

import subprocess

import pytest

import backchannel as bc

BAD = """[scenario]
name = "bad"
horizon = -3
"""


def test_a_bad_file_is_located(cli, tmp_path):
    with pytest.raises(bc.ScenarioError) as caught:
        bc.Scenario.from_toml(BAD, origin="cell 1")
    e = caught.value
    assert isinstance(e, ValueError)
    assert (e.file, e.line, e.column) == ("cell 1", 3, 11)
    assert e.key == "scenario.horizon"
    assert e.problem and e.problem in str(e)
    assert "cell 1:3:11" in str(e)
    assert e.diagnostics[0]["line"] == 3
    # The same text as the command line's message for the same file.
    path = tmp_path / "bad.toml"
    path.write_text(BAD)
    with pytest.raises(bc.ScenarioError) as from_file:
        bc.Scenario.load(path)
    with pytest.raises(subprocess.CalledProcessError) as failed:
        cli("validate", path)
    assert failed.value.returncode == 2
    assert str(from_file.value) in failed.value.stderr


def test_an_unknown_key_gets_a_suggestion():
    with pytest.raises(bc.ScenarioError) as caught:
        bc.Scenario.load("muscat-2026").with_values({"format.mdoe": "direct"})
    e = caught.value
    assert e.file == "with_values"
    assert e.key == "format.mdoe"
    assert e.help == "did you mean `mode`?"


def test_a_bad_value_is_checked_like_the_command_lines():
    with pytest.raises(bc.ScenarioError) as caught:
        bc.Scenario.load("muscat-2026").with_values({"format.mode": "shouting"})
    assert caught.value.key == "format.mode"
    assert caught.value.line is not None


def test_settings_beyond_the_librarys_limits_name_their_argument():
    # Python checks every setting against the library's limits
    # (bc.LIMITS, test_arguments.py): a ValueError naming the argument.
    with pytest.raises(ValueError, match="^threads must be an integer from 1 to 1024") as caught:
        bc.run("minimal", runs=10, threads=5000)
    assert not isinstance(caught.value, bc.ScenarioError)


def test_bad_observations_are_located():
    with pytest.raises(bc.ScenarioError) as caught:
        bc.run("muscat-2026", runs=100, given=[{"round": 2, "chanel": "active"}])
    assert caught.value.file == "given facts"
    assert caught.value.line == 3


def test_a_missing_scenario_is_an_error_not_a_crash():
    with pytest.raises(bc.ScenarioError):
        bc.Scenario.load("no-such-scenario")


def test_values_that_are_not_scenario_values():
    with pytest.raises(TypeError):
        bc.Scenario.load("minimal").with_values({"format.leak_hazard": object()})
    with pytest.raises(ValueError):
        bc.Scenario.load("minimal").with_values({"format.leak_hazard": float("nan")})

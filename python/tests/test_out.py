"""`out=` on every study that writes files: the folder holds exactly what
the command line's `--out DIR` writes for the same study, byte for byte
(the tables, the charts, the page and every calibrated scenario), and
`manifest.json` says the same about the study (only how it ran differs:
threads, timings, the command line of the process). A folder holding
anything else is refused and left as it was, as the command line refuses
it (docs/RELIABILITY.md)."""

import json
import pathlib

import pytest

import backchannel as bc

ROOT = pathlib.Path(__file__).resolve().parents[2]

#: The fields of manifest.json that describe the study, not the process
#: that ran it (docs/OUTPUTS.md, "manifest.json").
STUDY_FIELDS = ("schema", "scenario", "study", "seed", "runs", "files")


def hazard_calibration(tmp_path):
    """A small calibration: a constant hazard held to 6 survivors of 20."""
    path = tmp_path / "hazard.toml"
    path.write_text(
        f"""[calibration]
seed = 17
worlds = 40
runs_per_world = 20
min_ess = 20
max_generations = 2

[[targets]]
name = "survival"
scenario = "{ROOT / 'scenarios/validation/constant-hazard.toml'}"
set = ["shocks.break.hazard={{ uniform = [0.0, 1.0] }}"]
outcome = "channel_continued"
observed = 6
trials = 20
"""
    )
    return path


#: Each study: the Python call writing into a folder, and the command
#: line's arguments for the same study (before `--out`).
STUDIES = {
    "compare": (
        lambda out, tmp: bc.compare(
            ["minimal", "minimal:format.mode=direct"], runs=300, seed=3, out=out
        ),
        lambda tmp: ["compare", "minimal", "minimal:format.mode=direct", "--runs", 300,
                     "--seed", 3],
    ),
    "sweep": (
        lambda out, tmp: bc.sweep(
            "minimal", {"format.leak_hazard": (0.1, 0.2, 2)}, runs=60, seed=3, out=out
        ),
        lambda tmp: ["sweep", "minimal", "--vary", "format.leak_hazard=0.1..0.2:2",
                     "--runs", 60, "--seed", 3],
    ),
    "sensitivity": (
        lambda out, tmp: bc.sensitivity(
            "minimal", {"format.leak_hazard": (0.0, 0.2)}, method="oat", runs=60, seed=3,
            out=out,
        ),
        lambda tmp: ["sensitivity", "minimal", "--vary", "format.leak_hazard=0.0..0.2",
                     "--method", "oat", "--runs", 60, "--seed", 3],
    ),
    "backtest": (
        lambda out, tmp: bc.backtest(
            str(ROOT / "scenarios" / "backtest"), runs=40, worlds=10, seed=3, out=out
        ),
        lambda tmp: ["backtest", str(ROOT / "scenarios" / "backtest"), "--runs", 40,
                     "--worlds", 10, "--seed", 3],
    ),
    "calibrate": (
        lambda out, tmp: bc.calibrate(hazard_calibration(tmp), out=out),
        lambda tmp: ["calibrate", hazard_calibration(tmp)],
    ),
}


def files_under(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


@pytest.mark.parametrize("study", sorted(STUDIES))
def test_out_writes_the_command_lines_folder(cli, tmp_path, study):
    write, arguments = STUDIES[study]
    ours, theirs = tmp_path / "from-python", tmp_path / "from-cli"
    result = write(ours, tmp_path)
    assert result.directory == str(ours)
    cli(*arguments(tmp_path), "--out", theirs, "--quiet")
    assert files_under(ours) == files_under(theirs)
    assert any(name.startswith("plots/") for name in files_under(ours))
    for name in files_under(ours):
        if name == "manifest.json":
            continue
        assert (ours / name).read_bytes() == (theirs / name).read_bytes(), name
    manifests = [json.loads((d / "manifest.json").read_text()) for d in (ours, theirs)]
    for field in STUDY_FIELDS:
        assert manifests[0][field] == manifests[1][field], field


@pytest.mark.parametrize("study", sorted(STUDIES))
def test_out_refuses_a_folder_it_did_not_write(tmp_path, study):
    write, _ = STUDIES[study]
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("my notes")
    with pytest.raises(bc.ScenarioError):
        write(folder, tmp_path)
    assert files_under(folder) == ["notes.txt"]
    assert (folder / "notes.txt").read_text() == "my notes"

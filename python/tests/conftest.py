"""What the tests share: the repository, the command line to compare with."""

import os
import pathlib
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _binary() -> str:
    """The `backchannel` binary: $BACKCHANNEL_BIN, else the release build
    in the target directory (.ci/run builds it first)."""
    named = os.environ.get("BACKCHANNEL_BIN")
    if named:
        return named
    target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    for profile in ("release", "debug"):
        candidate = target / profile / "backchannel"
        if candidate.is_file():
            return str(candidate)
    found = shutil.which("backchannel")
    if found:
        return found
    raise RuntimeError(
        "no backchannel binary to compare with: run `cargo build --release` "
        "or set BACKCHANNEL_BIN"
    )


@pytest.fixture(scope="session")
def cli():
    """Run the command line; returns its completed process (checked)."""
    binary = _binary()

    def run(*args):
        return subprocess.run(
            [binary, *map(str, args)], check=True, capture_output=True, text=True
        )

    run.binary = binary
    return run


@pytest.fixture(scope="session")
def root():
    return ROOT

#!/usr/bin/env bash
# The Python package's tests, as CI runs them: a fresh virtual environment,
# the test dependencies from the package registry (failing loudly if any
# cannot be installed), a wheel built with maturin into target/wheels/ (the
# one CI keeps for users) and installed with the `pandas` extra, its lints,
# then pytest against the command-line binary: $BACKCHANNEL_BIN, else the
# release build (`cargo build --release` first). tests/real_parts.rs runs
# this script with the binary `cargo test` built.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-$PWD/target}"
venv="$target/python-venv"
python="${PYTHON:-python3}"
rm -rf "$venv"
"$python" -m venv "$venv" || { echo "cannot create a virtual environment with $python" >&2; exit 1; }
"$venv/bin/pip" install -q --upgrade pip >/dev/null ||
    { echo "cannot upgrade pip in $venv" >&2; exit 1; }
"$venv/bin/pip" install -q maturin pytest scipy tqdm ema_workbench SALib properscoring pyabc ||
    { echo "cannot install the Python test dependencies (maturin pytest scipy tqdm ema_workbench SALib properscoring pyabc)" >&2; exit 1; }
wheels="$target/wheels"
rm -f "$wheels"/backchannel-*.whl
"$venv/bin/maturin" build --release --quiet -m python/Cargo.toml -i "$venv/bin/python" --out "$wheels" ||
    { echo "maturin could not build the wheel" >&2; exit 1; }
wheel=$(ls "$wheels"/backchannel-*.whl)
# numpy comes as a dependency and pandas with the extra, from the registry.
"$venv/bin/pip" install -q "$wheel[pandas]" || { echo "pip install $wheel[pandas] failed" >&2; exit 1; }
PYO3_PYTHON="$venv/bin/python" cargo clippy -p backchannel-python --all-targets -- -D warnings
binary="${BACKCHANNEL_BIN:-$target/release/backchannel}"
[ -x "$binary" ] || { echo "no $binary: run cargo build --release first, or set BACKCHANNEL_BIN" >&2; exit 1; }
# From the repository's root, so the source tree's python/backchannel (with
# no compiled module) cannot shadow the installed package.
BACKCHANNEL_BIN="$binary" "$venv/bin/pytest" -q python/tests

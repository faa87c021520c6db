#!/usr/bin/env bash
# The Python package's tests, as CI runs them: a fresh virtual environment,
# the test dependencies from the package registry (failing loudly if any
# cannot be installed), `pip install ./python` as a user would, its lints,
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
"$venv/bin/pip" install -q maturin pytest numpy pandas scipy tqdm ema_workbench SALib pyabc ||
    { echo "cannot install the Python test dependencies (maturin pytest numpy pandas scipy tqdm ema_workbench SALib pyabc)" >&2; exit 1; }
"$venv/bin/pip" install -q ./python || { echo "pip install ./python failed" >&2; exit 1; }
PYO3_PYTHON="$venv/bin/python" cargo clippy -p backchannel-python --all-targets -- -D warnings
binary="${BACKCHANNEL_BIN:-$target/release/backchannel}"
[ -x "$binary" ] || { echo "no $binary: run cargo build --release first, or set BACKCHANNEL_BIN" >&2; exit 1; }
# From the repository's root, so the source tree's python/backchannel (with
# no compiled module) cannot shadow the installed package.
BACKCHANNEL_BIN="$binary" "$venv/bin/pytest" -q python/tests

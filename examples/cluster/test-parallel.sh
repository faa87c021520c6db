#!/usr/bin/env bash
# Test gnu-parallel.sh's GNU parallel branch (its plain loop is tested by
# tests/cluster_examples.rs): installs Debian's parallel when absent (needs
# root then), runs a study into a path with spaces and compares the merged
# summary.json with a single-machine run, then checks that the slots per
# machine written in SSHLOGIN are kept ("3/:" is three at a time on this
# machine, through parallel's remote-login path, without ssh) rather than
# overridden by JOBS.
#
#   examples/cluster/test-parallel.sh
#
# BACKCHANNEL: the binary to test (default: target/release/backchannel,
# built with `cargo build --release` when absent).
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
say() { echo "test-parallel: $*"; }
fail() {
    echo "test-parallel: FAILED: $*" >&2
    exit 1
}

if ! command -v parallel >/dev/null; then
    say "installing GNU parallel"
    [ "$(id -u)" = 0 ] || fail "root is needed to install parallel"
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -q && apt-get install -y -q parallel; } >/dev/null ||
        fail "cannot install parallel"
fi
parallel --version | head -n 1 | grep -q "GNU parallel" || fail "parallel is not GNU parallel"

bin=${BACKCHANNEL:-$repo/target/release/backchannel}
if [ ! -x "$bin" ]; then
    say "building $bin"
    (cd "$repo" && cargo build --release --quiet) || fail "cargo build --release"
fi
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")

tmp=$(mktemp -d /tmp/backchannel-parallel.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

"$bin" run muscat-2026 --runs 20001 --seed 5 --quiet --no-plots --out single

# 1. Here, JOBS at a time, into a path with spaces.
BACKCHANNEL=$bin "$repo/examples/cluster/gnu-parallel.sh" muscat-2026 20001 5 "my results/study one" 5 >/dev/null
cmp "my results/study one/summary.json" single/summary.json ||
    fail "the merged summary.json differs from the single run's"
say "parallel branch, 5 shards into a path with spaces: summary.json identical (cmp)"

# The docs' rerun of one shard by hand, then the merge.
rm -r "my results/study one.shards/shard-3"
"$bin" run muscat-2026 --runs 20001 --seed 5 --threads 1 --quiet --shard 3/5 \
    --out "my results/study one.shards/shard-3"
"$bin" merge "my results/study one.shards"/shard-{0..4} --out "my results/study one" --quiet
cmp "my results/study one/summary.json" single/summary.json ||
    fail "after rerunning shard 3 by hand, the merge differs"
say "shard 3 rerun by hand and merged again: summary.json identical (cmp)"

# 2. The slots in SSHLOGIN, not JOBS (2), set how many run at once. A
# wrapper counts the shards running at the same time.
mkdir counts
cat >wrapper.sh <<'WRAPPER'
#!/usr/bin/env bash
touch "$COUNTS/running.$$"
ls "$COUNTS" | grep -c '^running\.' >>"$COUNTS/seen"
sleep 1
status=0
"$REAL" "$@" || status=$?
rm -f "$COUNTS/running.$$"
exit "$status"
WRAPPER
chmod +x wrapper.sh
COUNTS=$tmp/counts REAL=$bin BACKCHANNEL=$tmp/wrapper.sh SSHLOGIN="3/:" \
    "$repo/examples/cluster/gnu-parallel.sh" muscat-2026 20001 6 slots 5 >/dev/null
cmp slots/summary.json single/summary.json ||
    fail "with SSHLOGIN, the merged summary.json differs from the single run's"
most=$(sort -n counts/seen | tail -n 1)
[ "$most" = 3 ] || fail "SSHLOGIN=3/: ran $most shards at once, expected 3"
say "SSHLOGIN=3/: ran 3 shards at once (JOBS is 2); summary.json identical (cmp)"
# 3. A failed shard stops the others, which leave nothing behind: shard 0
# cannot write (its directory holds something else), shard 1 is long.
mkdir -p failing.shards/shard-0
echo "not a shard" >failing.shards/shard-0/notes.txt
if BACKCHANNEL=$bin "$repo/examples/cluster/gnu-parallel.sh" muscat-2026 100000000 2 failing 5 \
    >/dev/null 2>failing.err; then
    fail "a failed shard did not fail the script"
fi
[ ! -e failing ] || fail "a merge was written despite a failed shard"
left=$(ls -A failing.shards)
[ "$left" = shard-0 ] || fail "a failed shard left behind: $left"
say "a failed shard stops the others: exit status non-zero, no temporary folder left"
say "passed"

#!/usr/bin/env bash
# Run a study as SHARDS shards and merge them. With GNU parallel installed,
# the shards go to the machines listed in $SSHLOGIN, or run here JOBS at a
# time; without it, a plain loop runs them here, JOBS at a time.
#
#   examples/cluster/gnu-parallel.sh SCENARIO RUNS SHARDS OUT [SEED] [-- STUDY ARGUMENTS...]
#   COMMAND=sensitivity examples/cluster/gnu-parallel.sh muscat-2026 2000 16 results/s 7 -- --samples 64
#   COMMAND=compare examples/cluster/gnu-parallel.sh muscat-2026 100000 8 results/c 7 -- muscat-2026:format.mode=direct
#   COMMAND=discover examples/cluster/gnu-parallel.sh muscat-2026 500000 8 results/d 7 -- --outcome broken
#   SSHLOGIN=4/alice@node1,4/alice@node2 examples/cluster/gnu-parallel.sh muscat-2026 100000000 16 results/m
#
# Adapt: SSHLOGIN, in GNU parallel's form: "4/alice@node1" runs 4 shards at
# a time on node1 (the slots before the slash; without them, as many as the
# machine has cores). Every machine listed needs:
#   - backchannel on the PATH of a non-interactive ssh command: check with
#     `ssh alice@node1 backchannel --version` (~/.bashrc usually stops early
#     for those, so install it in /usr/local/bin or set BACKCHANNEL to its
#     absolute path, the same on every machine);
#   - this working directory, shared (NFS or the like): the shards are
#     written there, under OUT.shards, and merged on this machine.
#
# COMMAND picks the study: run (the default), sweep or sensitivity (then
# RUNS is per point, and the design goes after `--`: --vary, --samples,
# --method), compare (SCENARIO is the baseline, the scenarios compared
# with it go after `--`, and RUNS is the paired runs of each), indicators
# (`-- --at ROUND`), discover (`-- --outcome KEY`, RUNS over every world)
# or backtest (SCENARIO is the folder of cases, RUNS per case); the
# arguments after `--` go to every shard, quoted as written, right after
# SCENARIO (a comparison's scenarios must follow one another).
#
# Environment: COMMAND (see above), BACKCHANNEL (the binary; default:
# backchannel on the PATH),
# JOBS (shards at once on this machine, default 2; not used with SSHLOGIN,
# whose slots count), SSHLOGIN (see above), NO_GNU_PARALLEL=1 (the plain
# loop even when GNU parallel is installed).
set -euo pipefail

scenario=${1:?usage: $0 SCENARIO RUNS SHARDS OUT [SEED] [-- STUDY ARGUMENTS...]}
runs=${2:?runs}
shards=${3:?shards}
out=${4:?output directory}
shift 4
seed=
if [ $# -gt 0 ] && [ "$1" != -- ]; then
    seed=$1
    shift
fi
if [ $# -gt 0 ] && [ "$1" = -- ]; then shift; fi
study_args=("$@")
command=${COMMAND:-run}
case $command in
run | compare | sweep | sensitivity | indicators | discover | backtest) ;;
*)
    echo "gnu-parallel.sh: COMMAND=$command: run, compare, sweep, sensitivity, indicators, discover and backtest shard (docs/SCALING.md)" >&2
    exit 2
    ;;
esac
bin=${BACKCHANNEL:-backchannel}
jobs=${JOBS:-2}
seed_args=()
if [ -n "$seed" ]; then seed_args=(--seed "$seed"); fi

work="$out.shards"
mkdir -p "$work"

if [ "${NO_GNU_PARALLEL:-}" != 1 ] && command -v parallel >/dev/null 2>&1; then
    if [ -n "${SSHLOGIN:-}" ]; then
        # The slots per machine come from SSHLOGIN: no -j, which would
        # override them.
        where=(--sshlogin "$SSHLOGIN" --workdir .)
    else
        where=(-j "$jobs")
    fi
    # -q quotes every argument, so paths with spaces reach the shard (over
    # ssh too); --halt stops the other shards when one fails.
    seq 0 $((shards - 1)) | parallel --halt now,fail=1 "${where[@]}" -q \
        "$bin" "$command" "$scenario" "${study_args[@]}" --runs "$runs" "${seed_args[@]}" \
        --threads 1 --quiet --shard "{}/$shards" --out "$work/shard-{}"
else
    # No GNU parallel: a plain loop, $jobs shards at a time; when one fails,
    # the others are stopped (SIGTERM: they leave nothing behind).
    running=()
    stop_all() {
        if [ "${#running[@]}" -gt 0 ]; then kill "${running[@]}" 2>/dev/null || true; fi
        wait || true
    }
    trap stop_all EXIT
    for i in $(seq 0 $((shards - 1))); do
        "$bin" "$command" "$scenario" "${study_args[@]}" --runs "$runs" "${seed_args[@]}" \
            --threads 1 --quiet --shard "$i/$shards" --out "$work/shard-$i" &
        running+=($!)
        if [ "${#running[@]}" -ge "$jobs" ]; then
            wait "${running[0]}"
            running=("${running[@]:1}")
        fi
    done
    while [ "${#running[@]}" -gt 0 ]; do
        wait "${running[0]}"
        running=("${running[@]:1}")
    done
    trap - EXIT
fi

shard_dirs=()
for ((i = 0; i < shards; i++)); do shard_dirs+=("$work/shard-$i"); done
"$bin" merge "${shard_dirs[@]}" --out "$out"

#!/usr/bin/env bash
# Run a study as N shards in parallel and merge them. With GNU parallel
# installed, shards go to the machines listed in $SSHLOGIN (e.g.
# "4/alice@node1,4/alice@node2", each with backchannel on its PATH and a
# shared working directory); without it, they run here, a few at a time.
#
#   examples/cluster/gnu-parallel.sh SCENARIO RUNS SHARDS OUT [SEED]
#
# Environment: BACKCHANNEL (the binary; default: backchannel on the PATH),
# JOBS (shards at once on this machine; default 2), SSHLOGIN (see above).
set -euo pipefail

scenario=${1:?usage: $0 SCENARIO RUNS SHARDS OUT [SEED]}
runs=${2:?runs}
shards=${3:?shards}
out=${4:?output directory}
seed=${5:-}
bin=${BACKCHANNEL:-backchannel}
jobs=${JOBS:-2}
seed_args=()
[ -n "$seed" ] && seed_args=(--seed "$seed")

work="$out.shards"
mkdir -p "$work"

run_shard() {
    "$bin" run "$scenario" --runs "$runs" "${seed_args[@]}" --threads 1 --quiet \
        --shard "$1/$shards" --out "$work/shard-$1"
}

if command -v parallel >/dev/null 2>&1; then
    remote=()
    [ -n "${SSHLOGIN:-}" ] && remote=(--sshlogin "$SSHLOGIN" --workdir .)
    seq 0 $((shards - 1)) | parallel --halt now,fail=1 -j "$jobs" "${remote[@]}" \
        "$bin" run "$scenario" --runs "$runs" "${seed_args[@]}" --threads 1 --quiet \
        --shard {}/"$shards" --out "$work/shard-{}"
else
    # No GNU parallel: a plain loop, $jobs shards at a time.
    pids=()
    for i in $(seq 0 $((shards - 1))); do
        run_shard "$i" &
        pids+=($!)
        if [ "${#pids[@]}" -ge "$jobs" ]; then
            wait "${pids[0]}"
            pids=("${pids[@]:1}")
        fi
    done
    for pid in "${pids[@]}"; do wait "$pid"; done
fi

"$bin" merge "$work"/shard-* --out "$out"

#!/usr/bin/env bash
# Submit a backchannel study to SLURM, from the login node: a job array of
# SHARDS shards (slurm.sbatch) and a merge job (slurm-merge.sbatch) that
# starts once every shard has succeeded (--dependency=afterok). Its options
# go to both sbatch calls, so the merge runs in the shards' partition and
# account:
#
#   examples/cluster/submit.sh -p PARTITION -A ACCOUNT [-- STUDY FLAGS...]
#
# Arguments after `--` go to every shard's `backchannel COMMAND`, right
# after SCENARIO (not to sbatch): `-- --set format.mode=direct --worlds
# 200`, a design's `-- --vary format.leak_hazard=0..0.2:9` (sweep) or
# `-- --samples 1024` (sensitivity), the scenarios a comparison compares
# with SCENARIO (`-- variant.toml other.toml`), `-- --at 6` (indicators)
# or `-- --outcome broken` (discover).
#
# Adapt: the partition and account (and --qos) on the command line; the
# resources at the top of slurm.sbatch and slurm-merge.sbatch.
#
# The study, from the environment (defaults in brackets):
#   COMMAND [run; or compare, sweep, sensitivity, indicators, discover,
#     backtest]  SCENARIO [muscat-2026; compare: the baseline; backtest:
#     the folder of cases]
#   RUNS [1000000000; sweep, sensitivity: runs per point; backtest: per
#     case]  SEED [the scenario's]
#   SHARDS [64]  OUT [results/$SCENARIO; the shards go to $OUT.shards]
#   LOGS [logs: the jobs' logs, created here before submitting]
#   ARRAY [0-(SHARDS-1): which shards to run; ARRAY=2 reruns shard 2 only]
#   BACKCHANNEL [backchannel on the PATH, which sbatch exports to the jobs]
#
# Rerunning failed shards: with the same settings, ARRAY=2 (or ARRAY=2,7,
# or ARRAY=10-19) runs those shards again and submits a new merge; cancel
# the old merge first (it waits forever: DependencyNeverSatisfied).
#
# Arrays larger than the cluster's MaxArraySize (1001 by default: indices
# 0-1000) are submitted in chunks of that size, each its own array whose
# tasks add the chunk's SHARD_OFFSET to their index; the merge waits for
# every chunk.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
export COMMAND=${COMMAND:-run}
export SCENARIO=${SCENARIO:-muscat-2026}
export RUNS=${RUNS:-1000000000}
export SEED=${SEED:-}
export SHARDS=${SHARDS:-64}
OUT=${OUT:-results/$SCENARIO}
case $OUT in /*) ;; *) OUT=$PWD/$OUT ;; esac
export OUT
logs=${LOGS:-logs}
array=${ARRAY:-0-$((SHARDS - 1))}

bin=${BACKCHANNEL:-backchannel}
if ! command -v "$bin" >/dev/null; then
    echo "submit.sh: $bin is not on the PATH; put it there or set BACKCHANNEL" >&2
    exit 2
fi
mkdir -p "$logs"

# The study's own flags (after --) travel to the shards quoted, in
# STUDY_ARGS, which sbatch exports.
sbatch_args=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do
    sbatch_args+=("$1")
    shift
done
[ $# -gt 0 ] && shift
STUDY_ARGS=
[ $# -eq 0 ] || STUDY_ARGS=$(printf '%q ' "$@")
export STUDY_ARGS

# Every shard index ARRAY names (items "I" or "I-J", comma-separated).
indices=()
IFS=, read -ra items <<<"$array"
for item in "${items[@]}"; do
    case $item in
    *[!0-9-]* | "" | -* | *- | *-*-*)
        echo "submit.sh: ARRAY=$array: expected shard indices like 2 or 0-63 or 2,7" >&2
        exit 2
        ;;
    *-*) first=${item%-*} last=${item#*-} ;;
    *) first=$item last=$item ;;
    esac
    if [ "$first" -gt "$last" ] || [ "$last" -ge "$SHARDS" ]; then
        echo "submit.sh: ARRAY=$array: shard $item is not within 0-$((SHARDS - 1))" >&2
        exit 2
    fi
    for ((i = first; i <= last; i++)); do indices+=("$i"); done
done

# The largest array index the cluster accepts is MaxArraySize - 1.
max_array=$(scontrol show config 2>/dev/null | awk '$1 == "MaxArraySize" { print $3 }')
max_array=${max_array:-1001}

# "0 1 2 5" -> "0-2,5"
ranges() {
    local out="" start="" prev="" i
    for i in "$@" ""; do
        if [ -n "$prev" ] && [ "$i" = $((prev + 1)) ]; then
            prev=$i
            continue
        fi
        [ -n "$start" ] && out+="${out:+,}$start$([ "$prev" != "$start" ] && echo "-$prev")"
        start=$i prev=$i
    done
    echo "$out"
}

# One array per chunk of max_array shards.
jids=()
chunk=-1
tasks=()
submit_chunk() {
    [ "${#tasks[@]}" -gt 0 ] || return 0
    local offset=$((chunk * max_array)) spec jid
    spec=$(ranges "${tasks[@]}")
    jid=$(SHARD_OFFSET=$offset sbatch --parsable --array="$spec" \
        --output="$logs/shard-%A_%a.out" "${sbatch_args[@]}" "$here/slurm.sbatch")
    jid=${jid%%;*}
    jids+=("$jid")
    if [ "$offset" = 0 ]; then
        echo "shards: job $jid (array $spec of $SHARDS), logs in $logs/shard-${jid}_*.out"
    else
        echo "shards: job $jid (array $spec, shards $offset + index, of $SHARDS), logs in $logs/shard-${jid}_*.out"
    fi
}
for i in "${indices[@]}"; do
    if [ $((i / max_array)) != "$chunk" ]; then
        submit_chunk
        chunk=$((i / max_array))
        tasks=()
    fi
    tasks+=($((i % max_array)))
done
submit_chunk

dependency=afterok$(printf ':%s' "${jids[@]}")
mid=$(sbatch --parsable --dependency="$dependency" --output="$logs/merge-%j.out" \
    "${sbatch_args[@]}" "$here/slurm-merge.sbatch")
mid=${mid%%;*}
echo "merge:  job $mid, once every shard has succeeded, into $OUT"

#!/usr/bin/env bash
# Submit a backchannel study to SLURM, from the login node: a job array of
# SHARDS shards (slurm.sbatch) and a merge job (slurm-merge.sbatch) that
# starts once every shard has succeeded (--dependency=afterok). Its options
# go to both sbatch calls, so the merge runs in the shards' partition and
# account:
#
#   examples/cluster/submit.sh -p PARTITION -A ACCOUNT
#
# Adapt: the partition and account (and --qos) on the command line; the
# resources at the top of slurm.sbatch and slurm-merge.sbatch.
#
# The study, from the environment (defaults in brackets):
#   SCENARIO [muscat-2026]  RUNS [1000000000]  SEED [the scenario's]
#   SHARDS [64]  OUT [results/$SCENARIO; the shards go to $OUT.shards]
#   LOGS [logs: the jobs' logs, created here before submitting]
#   ARRAY [0-(SHARDS-1): which shards to run; ARRAY=2 reruns shard 2 only]
#   BACKCHANNEL [backchannel on the PATH, which sbatch exports to the jobs]
#
# Rerunning failed shards: with the same settings, ARRAY=2 (or ARRAY=2,7)
# runs those shards again and submits a new merge; cancel the old merge
# first (it waits forever: DependencyNeverSatisfied).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
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

jid=$(sbatch --parsable --array="$array" --output="$logs/shard-%A_%a.out" "$@" \
    "$here/slurm.sbatch")
jid=${jid%%;*}
mid=$(sbatch --parsable --dependency="afterok:$jid" --output="$logs/merge-%j.out" "$@" \
    "$here/slurm-merge.sbatch")
mid=${mid%%;*}
echo "shards: job $jid (array $array of $SHARDS), logs in $logs/shard-${jid}_*.out"
echo "merge:  job $mid, once every shard has succeeded, into $OUT"

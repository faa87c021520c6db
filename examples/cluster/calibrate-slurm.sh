#!/usr/bin/env bash
# Run a calibration on SLURM, from the login node, one generation at a
# time (docs/SCALING.md, "Calibrating on a cluster"): each generation's
# worlds as a job array of SHARDS shards, then a fold job that starts once
# every shard has succeeded (--dependency=afterok) and is waited for
# (sbatch --wait); again until the calibration is complete, when the last
# fold writes its files to OUT. Its options go to every sbatch call:
#
#   FILE=calibrations/icb-mediation.toml SHARDS=16 examples/cluster/calibrate-slurm.sh -p PARTITION -A ACCOUNT [-- CALIBRATE FLAGS...]
#
# The script waits for every generation: run it where it may stay (tmux,
# screen, nohup); it uses no compute itself. Flags after `--` go to every
# step (shards and folds alike), quoted as written: `-- --seed 7`.
#
# Adapt: the partition and account (and --qos) on the command line; the
# resources of a shard below (CPUS, MEM, TIME).
#
# From the environment (defaults in brackets):
#   FILE (the calibration file; required)  SHARDS [16]  OUT [results/calibrate-NAME]
#   GENERATIONS [$OUT.generations: the generation directory]  LOGS [logs]
#   CPUS [2: cores, and threads, of a shard]  MEM [1G]  TIME [01:00:00]
#   BACKCHANNEL [backchannel on the PATH, which sbatch exports to the jobs]
#
# A generation of more shards than the cluster's MaxArraySize (1001 by
# default: indices 0-1000) is submitted in chunks of that size, each its own
# array whose tasks add the chunk's offset to their index; the fold waits
# for every chunk.
#
# A failed shard stops the generation (its fold is cancelled): the script
# prints the shards to rerun and exits 1. Fix the cause and run the script
# again with the same settings: the generations folded are kept and
# complete shards are skipped.
set -euo pipefail

file=${FILE:?set FILE to the calibration file}
shards=${SHARDS:-16}
name=$(basename "${file%.*}")
out=${OUT:-results/calibrate-$name}
case $out in /*) ;; *) out=$PWD/$out ;; esac
generations=${GENERATIONS:-$out.generations}
case $generations in /*) ;; *) generations=$PWD/$generations ;; esac
logs=${LOGS:-logs}
cpus=${CPUS:-2}
bin=${BACKCHANNEL:-backchannel}
if ! command -v "$bin" >/dev/null; then
    echo "calibrate-slurm.sh: $bin is not on the PATH; put it there or set BACKCHANNEL" >&2
    exit 2
fi
max_array=$(scontrol show config 2>/dev/null | awk '$1 == "MaxArraySize" { print $3 }')
max_array=${max_array:-1001}
mkdir -p "$logs"

sbatch_args=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do
    sbatch_args+=("$1")
    shift
done
if [ $# -gt 0 ]; then shift; fi
calibrate=("$bin" calibrate "$file" --generation-dir "$generations" "$@")
# A command line for --wrap, every argument shell-quoted.
command_line() { printf '%q ' "$@"; }

while :; do
    next=$("${calibrate[@]}" --next)
    if [ "$next" = done ]; then
        break
    fi
    # One array per chunk of at most max_array shards; a task's shard is
    # its chunk's offset plus its index, worked out when it runs.
    arrays=()
    for ((offset = 0; offset < shards; offset += max_array)); do
        size=$((shards - offset < max_array ? shards - offset : max_array))
        array=$(sbatch --parsable "${sbatch_args[@]}" --job-name="calibrate-g$next" \
            --array="0-$((size - 1))" --cpus-per-task="$cpus" --mem="${MEM:-1G}" \
            --time="${TIME:-01:00:00}" --output="$logs/calibrate-g$next-%A_%a.out" \
            --wrap="$(command_line "${calibrate[@]}" --threads "$cpus" --quiet) --shard \$(($offset + SLURM_ARRAY_TASK_ID))/$shards")
        arrays+=("${array%%;*}")
    done
    echo "calibrate-slurm.sh: generation $next: $shards shards in array(s) ${arrays[*]}"
    if ! sbatch --wait --parsable "${sbatch_args[@]}" --job-name="calibrate-fold-g$next" \
        --dependency="afterok$(printf ':%s' "${arrays[@]}")" --kill-on-invalid-dep=yes \
        --output="$logs/calibrate-fold-g$next-%j.out" \
        --wrap="$(command_line "${calibrate[@]}" --step --quiet --out "$out")" >/dev/null; then
        missing=$("${calibrate[@]}" --missing 2>/dev/null || true)
        echo "calibrate-slurm.sh: generation $next did not fold (shards to rerun: ${missing:-see $logs}); fix the cause and run this script again: complete shards are skipped" >&2
        exit 1
    fi
done
if [ ! -f "$out/calibration.json" ]; then
    # Complete before this run (or its files were moved): write them.
    "${calibrate[@]}" --step --quiet --out "$out"
fi
echo "calibrate-slurm.sh: the calibration is in $out"

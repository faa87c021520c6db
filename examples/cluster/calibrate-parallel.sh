#!/usr/bin/env bash
# Run a calibration one generation at a time, each generation's worlds as
# SHARDS shards, then fold it; again until the calibration is complete,
# when the last fold writes its files to OUT (docs/SCALING.md, "Calibrating
# on a cluster"). With GNU parallel installed, the shards go to the
# machines listed in $SSHLOGIN, or run here JOBS at a time; without it, a
# plain loop runs them here, JOBS at a time.
#
#   examples/cluster/calibrate-parallel.sh FILE SHARDS GENERATIONS OUT [-- CALIBRATE FLAGS...]
#   SSHLOGIN=4/alice@node1,4/alice@node2 examples/cluster/calibrate-parallel.sh calibrations/icb-mediation.toml 16 results/icb.generations results/icb
#
# GENERATIONS is the generation directory: every generation's shards and
# folded counts. The flags after `--` go to every step (shards and folds
# alike), quoted as written: `-- --seed 7 --worlds 2000`.
#
# Adapt: SSHLOGIN, in GNU parallel's form ("4/alice@node1": 4 shards at a
# time on node1). Every machine listed needs backchannel on the PATH of a
# non-interactive ssh command (or BACKCHANNEL, its absolute path, the same
# everywhere), this working directory shared (NFS or the like), and the
# calibration file and its targets' scenarios at the same paths.
#
# Environment: BACKCHANNEL (the binary; default: backchannel on the PATH),
# JOBS (shards at once on this machine, default 2; not used with SSHLOGIN),
# SSHLOGIN, NO_GNU_PARALLEL=1 (the plain loop even with GNU parallel).
#
# Stopped or failed: run the script again with the same arguments. The
# generations folded are kept and complete shards are skipped.
set -euo pipefail

file=${1:?usage: $0 FILE SHARDS GENERATIONS OUT [-- CALIBRATE FLAGS...]}
shards=${2:?shards}
generations=${3:?generation directory}
out=${4:?output directory}
shift 4
if [ $# -gt 0 ] && [ "$1" = -- ]; then shift; fi
bin=${BACKCHANNEL:-backchannel}
jobs=${JOBS:-2}
calibrate=("$bin" calibrate "$file" --generation-dir "$generations" "$@")

# The shards of the current generation, $jobs at a time; when one fails,
# the others are stopped (SIGTERM: they leave nothing behind).
run_shards() {
    if [ "${NO_GNU_PARALLEL:-}" != 1 ] && command -v parallel >/dev/null 2>&1; then
        if [ -n "${SSHLOGIN:-}" ]; then
            where=(--sshlogin "$SSHLOGIN" --workdir .)
        else
            where=(-j "$jobs")
        fi
        seq 0 $((shards - 1)) | parallel --halt now,fail=1 "${where[@]}" -q \
            "${calibrate[@]}" --threads 1 --quiet --shard "{}/$shards"
        return
    fi
    running=()
    stop_all() {
        if [ "${#running[@]}" -gt 0 ]; then kill "${running[@]}" 2>/dev/null || true; fi
        wait || true
    }
    trap stop_all EXIT
    for i in $(seq 0 $((shards - 1))); do
        "${calibrate[@]}" --threads 1 --quiet --shard "$i/$shards" &
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
}

while :; do
    next=$("${calibrate[@]}" --next)
    if [ "$next" = done ]; then
        break
    fi
    echo "calibrate-parallel.sh: generation $next in $shards shards"
    run_shards
    "${calibrate[@]}" --step --quiet --out "$out"
done
if [ ! -f "$out/calibration.json" ]; then
    # Complete before this run (or its files were moved): write them.
    "${calibrate[@]}" --step --quiet --out "$out"
fi
echo "calibrate-parallel.sh: the calibration is in $out"

#!/usr/bin/env bash
# Test the SLURM example on a real SLURM: a single-node cluster (Debian's
# slurm-wlm and munge, installed when absent) whose state lives in a
# temporary folder, started here and stopped by PID on exit. It submits the
# study exactly as docs/SCALING.md says, merges, and compares the merged
# summary.json byte for byte with a single-machine run; reruns one failed
# shard; cancels a running shard and checks that it leaves no temporary
# folder; runs a sweep, a Sobol' design, a comparison and a back-test
# through the array and the merge, each identical to one machine's files. Needs root (to install packages and run the daemons). It fails,
# never skips, when SLURM cannot be set up.
#
#   examples/cluster/test-slurm.sh
#
# BACKCHANNEL: the binary to test (default: target/release/backchannel,
# built with `cargo build --release` when absent).
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
started=$(date +%s)
say() { echo "test-slurm: $*"; }
fail() {
    echo "test-slurm: FAILED: $*" >&2
    exit 1
}

# --- SLURM and munge --------------------------------------------------------
need=()
for cmd in slurmctld slurmd sbatch munged mungekey; do
    command -v "$cmd" >/dev/null || need+=("$cmd")
done
if [ "${#need[@]}" -gt 0 ]; then
    say "installing slurm-wlm and munge (missing: ${need[*]})"
    [ "$(id -u)" = 0 ] || fail "root is needed to install slurm-wlm and munge"
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -q && apt-get install -y -q slurm-wlm munge; } >/dev/null ||
        fail "cannot install slurm-wlm and munge"
fi
[ "$(id -u)" = 0 ] || fail "root is needed to run slurmd"

# --- the binary, on the PATH the jobs inherit ------------------------------
bin=${BACKCHANNEL:-$repo/target/release/backchannel}
if [ ! -x "$bin" ]; then
    say "building $bin"
    (cd "$repo" && cargo build --release --quiet) || fail "cargo build --release"
fi
bindir=$(mktemp -d /tmp/backchannel-bin.XXXXXX)
ln -s "$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")" "$bindir/backchannel"
export PATH="$bindir:$PATH"

# --- a single-node cluster in a temporary folder ---------------------------
tmp=$(mktemp -d /tmp/backchannel-slurm.XXXXXX)
chmod 755 "$tmp"
pids=()
slurm_up=
stop() {
    status=$?
    # Cancel what is left of our jobs, then stop our daemons by PID.
    if [ -n "$slurm_up" ]; then
        timeout 10 scancel --user=root 2>/dev/null || true
        for _ in $(seq 20); do
            [ -z "$(timeout 5 squeue -h 2>/dev/null)" ] && break
            sleep 0.5
        done
    fi
    for ((k = ${#pids[@]} - 1; k >= 0; k--)); do
        kill "${pids[k]}" 2>/dev/null || true
        wait "${pids[k]}" 2>/dev/null || true
    done
    if [ "$status" != 0 ]; then
        for log in "$tmp"/slurmctld.log "$tmp"/slurmd.log "$tmp"/munged.log; do
            [ -f "$log" ] && { echo "--- last lines of $log" >&2; tail -n 15 "$log" >&2; }
        done
        for log in "$work"/logs/*.out; do
            [ -f "$log" ] && { echo "--- $log" >&2; tail -n 15 "$log" >&2; }
        done
    fi
    rm -rf "$tmp" "$bindir"
    exit "$status"
}
work="$tmp/work dir" # a space, as in real paths
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A port nothing listens on, other than $1.
free_port() {
    local port
    for port in $(shuf -i 20000-40000 -n 50); do
        if [ "$port" != "${1:-}" ] && ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return
        fi
    done
    fail "no free port"
}

mkdir -p "$tmp/munge" "$tmp/state" "$tmp/spool" "$work"
chmod 755 "$tmp/munge"
mungekey --create --keyfile="$tmp/munge/munge.key" --force 2>/dev/null ||
    dd if=/dev/urandom of="$tmp/munge/munge.key" bs=1024 count=1 2>/dev/null
chmod 600 "$tmp/munge/munge.key"
munged --foreground --force --key-file="$tmp/munge/munge.key" \
    --socket="$tmp/munge/munge.sock" --pid-file="$tmp/munge/munged.pid" \
    --log-file="$tmp/munged.log" --seed-file="$tmp/munge/seed" 2>>"$tmp/munged.log" &
pids+=($!)
for _ in $(seq 50); do [ -S "$tmp/munge/munge.sock" ] && break; sleep 0.1; done
[ -S "$tmp/munge/munge.sock" ] || fail "munged did not start"

host=$(hostname -s)
memory=$(awk '/MemTotal/ { print int($2 / 1024 / 2) }' /proc/meminfo)
ctld_port=$(free_port)
slurmd_port=$(free_port "$ctld_port")
export SLURM_CONF="$tmp/slurm.conf"
cat >"$SLURM_CONF" <<CONF
ClusterName=backchannel-test
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$tmp/munge/munge.sock
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
KillWait=10
# Array indices 0-3 only, so that a 6-shard study must be chunked.
MaxArraySize=4
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=$memory State=UNKNOWN
# No default partition: the example must pass -p to every job it submits.
PartitionName=test Nodes=$host Default=NO MaxTime=INFINITE State=UP
CONF
slurmctld -D -i >>"$tmp/slurmctld.log" 2>&1 &
pids+=($!)
slurm_up=1
slurmd -D -N "$host" >>"$tmp/slurmd.log" 2>&1 &
pids+=($!)
for _ in $(seq 60); do
    [ "$(sinfo -h -p test -o %t 2>/dev/null)" = idle ] && break
    sleep 0.5
done
[ "$(sinfo -h -p test -o %t 2>/dev/null)" = idle ] || fail "the SLURM node did not come up"
say "SLURM $(sinfo -V | cut -d' ' -f2) up on $host in $(($(date +%s) - started)) s"

# --- helpers ------------------------------------------------------------------
state() { scontrol -o show job "$1" | grep -o 'JobState=[A-Z_]*' | cut -d= -f2 | sort -u | tr '\n' ' ' | sed 's/ $//'; }
reason() { scontrol -o show job "$1" | grep -o 'Reason=[A-Za-z_]*' | cut -d= -f2; }
# Wait until no task of job $1 is pending or running (at most $2 s).
wait_done() {
    local deadline=$(($(date +%s) + $2))
    while [ -n "$(squeue -h -j "$1" 2>/dev/null)" ]; do
        [ "$(date +%s)" -lt "$deadline" ] || fail "job $1 still queued after $2 s: $(squeue -j "$1")"
        sleep 1
    done
}
# Job ids from submit.sh's output.
shards_job() { sed -n 's/^shards: job \([0-9]*\).*/\1/p' "$1"; }
merge_job() { sed -n 's/^merge: *job \([0-9]*\).*/\1/p' "$1"; }
# Read the job ids submit.sh printed into $1 (as jid and mid), wait for the
# merge, and check that both jobs completed and the merged summary.json in
# $2 equals the single run's; $3 names the case in failures.
expect_merged() {
    jid=$(shards_job "$1")
    mid=$(merge_job "$1")
    [ -n "$jid" ] && [ -n "$mid" ] || fail "$3: submit.sh printed no job ids"
    wait_done "$mid" 180
    [ "$(state "$jid")" = COMPLETED ] || fail "$3: shards $(state "$jid")"
    [ "$(state "$mid")" = COMPLETED ] || fail "$3: merge $(state "$mid")"
    cmp "$2/summary.json" "$work/single/summary.json" ||
        fail "$3: the merged summary.json differs from the single run's"
}

cd "$work"
SCENARIO=muscat-2026
RUNS=200000
SEED=11
"$bin" run "$SCENARIO" --runs "$RUNS" --seed "$SEED" --quiet --no-plots --out "$work/single"

# --- 1. the study as the docs submit it --------------------------------------
SCENARIO=$SCENARIO RUNS=$RUNS SEED=$SEED SHARDS=4 OUT="$work/results/muscat" \
    "$repo/examples/cluster/submit.sh" -p test | tee submit-1.out
expect_merged submit-1.out "$work/results/muscat" "4 shards and the merge"
say "1. 4 shards and the merge: summary.json identical to a single run (cmp)"
ls logs/shard-"$jid"_{0,1,2,3}.out logs/merge-"$mid".out >/dev/null || fail "logs missing"

# --- 2. a failed shard, rerun alone -----------------------------------------------
# Shard 2 fails: its output directory holds something backchannel did not
# write, which it refuses to replace (exit status 2).
out2="$work/results/rerun"
mkdir -p "$out2.shards/shard-2"
echo "not a shard" >"$out2.shards/shard-2/notes.txt"
SCENARIO=$SCENARIO RUNS=$RUNS SEED=$SEED SHARDS=4 OUT="$out2" \
    "$repo/examples/cluster/submit.sh" -p test | tee submit-2.out
jid=$(shards_job submit-2.out)
mid=$(merge_job submit-2.out)
wait_done "$jid" 180
[ "$(state "${jid}_2")" = FAILED ] || fail "shard 2: $(state "${jid}_2"), expected FAILED"
for _ in $(seq 30); do
    [ "$(reason "$mid")" = DependencyNeverSatisfied ] && break
    sleep 1
done
[ "$(state "$mid")" = PENDING ] && [ "$(reason "$mid")" = DependencyNeverSatisfied ] ||
    fail "merge after a failed shard: $(state "$mid") $(reason "$mid")"
say "2. shard 2 failed; the merge waits: PENDING (DependencyNeverSatisfied)"
# What the docs say to do: cancel the merge, fix the cause, rerun shard 2.
scancel "$mid"
rm -r "$out2.shards/shard-2"
ARRAY=2 SCENARIO=$SCENARIO RUNS=$RUNS SEED=$SEED SHARDS=4 OUT="$out2" \
    "$repo/examples/cluster/submit.sh" -p test | tee submit-3.out
expect_merged submit-3.out "$out2" "rerun of shard 2 with ARRAY=2"
say "2. shard 2 rerun with ARRAY=2, merged again: summary.json identical (cmp)"

# The same rerun straight through sbatch, as slurm.sbatch's comment says.
rm -r "$out2.shards/shard-2"
SCENARIO=$SCENARIO RUNS=$RUNS SEED=$SEED OUT="$out2" SHARDS=4 \
    sbatch -p test --array=2 --wait "$repo/examples/cluster/slurm.sbatch" >/dev/null ||
    fail "SHARDS=4 sbatch --array=2 slurm.sbatch"
"$bin" merge "$out2.shards"/shard-{0..3} --out "$work/merged-by-hand" --quiet --no-plots
cmp "$work/merged-by-hand/summary.json" "$work/single/summary.json" ||
    fail "after SHARDS=4 sbatch --array=2, the merge differs"
say "2. SHARDS=4 sbatch --array=2 slurm.sbatch: summary.json identical (cmp)"

# Forgetting SHARDS with --array=0 makes the task shard 0 of 1, a different
# study: backchannel refuses to replace shard 0 of 4 with it.
cp "$out2.shards/shard-0/partial.json" shard-0.json
if SCENARIO=$SCENARIO RUNS=$RUNS SEED=$SEED OUT="$out2" \
    sbatch -p test --array=0 --wait "$repo/examples/cluster/slurm.sbatch" >/dev/null; then
    fail "sbatch --array=0 without SHARDS replaced shard 0 of 4"
fi
cmp shard-0.json "$out2.shards/shard-0/partial.json" || fail "shard 0 of 4 was changed"
say "2. sbatch --array=0 without SHARDS: refused, shard 0 of 4 untouched"

# --- 3. scancel of a running shard leaves no temporary folder ---------------
out3="$work/results/cancelled"
SCENARIO=$SCENARIO RUNS=1000000000 SEED=$SEED SHARDS=2 ARRAY=0 OUT="$out3" \
    "$repo/examples/cluster/submit.sh" -p test | tee submit-4.out
jid=$(shards_job submit-4.out)
mid=$(merge_job submit-4.out)
for _ in $(seq 60); do
    compgen -G "$out3.shards/.shard-0.partial-*" >/dev/null && break
    sleep 0.5
done
compgen -G "$out3.shards/.shard-0.partial-*" >/dev/null ||
    fail "shard 0 did not start: $(state "$jid")"
[ "$(state "$jid")" = RUNNING ] || fail "shard 0: $(state "$jid"), expected RUNNING"
sleep 1
cancelled_at=$(date +%s%N)
scancel "$jid"
wait_done "$jid" 60
stopped_ms=$((($(date +%s%N) - cancelled_at) / 1000000))
[ "$(state "$jid")" = CANCELLED ] || fail "shard 0 after scancel: $(state "$jid")"
left=$(find "$out3.shards" -mindepth 1 -maxdepth 1)
[ -z "$left" ] || fail "scancel left: $left"
grep -q "SIGTERM" logs/shard-"${jid}"_0.out ||
    fail "the shard's log does not say it was stopped: $(cat logs/shard-"${jid}"_0.out)"
scancel "$mid"
say "3. scancel of a running shard: stopped in ${stopped_ms} ms, nothing left in $out3.shards"

# --- 4. an array above MaxArraySize, with the study's own flags ------------
# 6 shards on a cluster that takes array indices 0-3: two chunks, the
# second with SHARD_OFFSET=4; the merge waits for both.
"$bin" run "$SCENARIO" --runs "$RUNS" --seed "$SEED" --set format.mode=direct \
    --quiet --no-plots --out "$work/single-direct"
out4="$work/results/chunked"
SCENARIO=$SCENARIO RUNS=$RUNS SEED=$SEED SHARDS=6 OUT="$out4" \
    "$repo/examples/cluster/submit.sh" -p test -- --set format.mode=direct | tee submit-5.out
mapfile -t chunks < <(shards_job submit-5.out)
[ "${#chunks[@]}" = 2 ] || fail "6 shards under MaxArraySize=4: ${#chunks[@]} arrays, expected 2"
mid=$(merge_job submit-5.out)
wait_done "$mid" 180
for chunk in "${chunks[@]}"; do
    [ "$(state "$chunk")" = COMPLETED ] || fail "chunk $chunk: $(state "$chunk")"
done
[ "$(state "$mid")" = COMPLETED ] || fail "merge of the chunks: $(state "$mid")"
cmp "$out4/summary.json" "$work/single-direct/summary.json" ||
    fail "the chunked study's summary.json differs from the single run's"
say "4. 6 shards in 2 arrays under MaxArraySize=4, with --set: summary.json identical (cmp)"

# --- 5. a sharded sweep, Sobol' design, comparison and back-test ----------
# Every file but the manifest (timings, hosts) must equal one machine's:
# the tables, the charts and the page. The Sobol' design's 6 shards are
# chunked under MaxArraySize=4, and cut points in two.
same_files() {
    diff -r -x manifest.json "$1" "$2" >/dev/null || fail "$3: $(diff -r -q -x manifest.json "$1" "$2")"
}
sweep=(--vary format.leak_hazard=0.0..0.2:3 --vary parties.us.domestic.threshold=0.3..0.7:2)
"$bin" sweep "$SCENARIO" --runs 400 --seed "$SEED" "${sweep[@]}" --quiet --out "$work/single-sweep"
COMMAND=sweep SCENARIO=$SCENARIO RUNS=400 SEED=$SEED SHARDS=4 OUT="$work/results/sweep" \
    "$repo/examples/cluster/submit.sh" -p test -- "${sweep[@]}" | tee submit-6.out
wait_done "$(merge_job submit-6.out)" 180
[ "$(state "$(merge_job submit-6.out)")" = COMPLETED ] || fail "the sweep's merge: $(state "$(merge_job submit-6.out)")"
same_files "$work/results/sweep" "$work/single-sweep" "the sharded sweep"
say "5. a sweep in 4 shards and the merge: sweep.csv, charts and page identical (diff -r)"
"$bin" sensitivity "$SCENARIO" --samples 8 --runs 100 --seed "$SEED" --quiet --out "$work/single-sobol"
COMMAND=sensitivity SCENARIO=$SCENARIO RUNS=100 SEED=$SEED SHARDS=6 OUT="$work/results/sobol" \
    "$repo/examples/cluster/submit.sh" -p test -- --samples 8 | tee submit-7.out
wait_done "$(merge_job submit-7.out)" 300
[ "$(state "$(merge_job submit-7.out)")" = COMPLETED ] || fail "the Sobol' merge: $(state "$(merge_job submit-7.out)")"
same_files "$work/results/sobol" "$work/single-sobol" "the sharded Sobol' design"
say "5. a Sobol' design in 6 shards (2 arrays) and the merge: sensitivity.json, .csv, charts and page identical (diff -r)"
compared=(muscat-2026:format.mode=direct muscat-2026:format.leak_hazard=0.2)
"$bin" compare "$SCENARIO" "${compared[@]}" --runs 901 --seed "$SEED" --quiet --out "$work/single-compare"
COMMAND=compare SCENARIO=$SCENARIO RUNS=901 SEED=$SEED SHARDS=3 OUT="$work/results/compare" \
    "$repo/examples/cluster/submit.sh" -p test -- "${compared[@]}" | tee submit-7c.out
wait_done "$(merge_job submit-7c.out)" 180
[ "$(state "$(merge_job submit-7c.out)")" = COMPLETED ] || fail "the comparison's merge: $(state "$(merge_job submit-7c.out)")"
same_files "$work/results/compare" "$work/single-compare" "the sharded comparison"
say "5. a comparison of 3 scenarios in 3 shards and the merge: comparison.json, .csv, charts and page identical (diff -r)"
cases=$repo/scenarios/backtest
"$bin" backtest "$cases" --runs 200 --worlds 20 --seed "$SEED" --quiet --out "$work/single-backtest"
COMMAND=backtest SCENARIO=$cases RUNS=200 SEED=$SEED SHARDS=5 OUT="$work/results/backtest" \
    "$repo/examples/cluster/submit.sh" -p test -- --worlds 20 | tee submit-7b.out
wait_done "$(merge_job submit-7b.out)" 300
[ "$(state "$(merge_job submit-7b.out)")" = COMPLETED ] || fail "the back-test's merge: $(state "$(merge_job submit-7b.out)")"
same_files "$work/results/backtest" "$work/single-backtest" "the sharded back-test"
say "5. a back-test in 5 shards (2 arrays) and the merge: backtest.json, .csv, chart and page identical (diff -r)"

# --- 6. merge --missing names the shards to rerun; a rerun skips the rest ---
rm -r "$work/results/sobol.shards/shard-1" "$work/results/sobol.shards/shard-4"
missing=$("$bin" merge --missing "$work/results/sobol.shards"/shard-*)
[ "$missing" = "1,4" ] || fail "merge --missing said '$missing', expected 1,4"
kept=$(stat -c %y "$work/results/sobol.shards/shard-0/partial.json")
ARRAY=0-5 COMMAND=sensitivity SCENARIO=$SCENARIO RUNS=100 SEED=$SEED SHARDS=6 \
    OUT="$work/results/sobol" "$repo/examples/cluster/submit.sh" -p test -- --samples 8 | tee submit-8.out
wait_done "$(merge_job submit-8.out)" 300
same_files "$work/results/sobol" "$work/single-sobol" "the Sobol' design rerun whole"
[ "$(stat -c %y "$work/results/sobol.shards/shard-0/partial.json")" = "$kept" ] ||
    fail "the rerun rewrote shard 0, which was complete"
say "6. merge --missing printed 1,4; the whole array rerun skipped the complete shards and merged identically"

# --- 7. a calibration, arrays and one fold a generation --------------------
hazard="$repo/scenarios/validation/constant-hazard.toml"
cat >"$work/cal.toml" <<CAL
[calibration]
worlds = 300
runs_per_world = 20
min_ess = 250
max_generations = 4
seed = 11

[[targets]]
name = "survival"
scenario = "$hazard"
set = ["scenario.horizon=10", "shocks.break.hazard={ uniform = [0.0, 0.3] }"]
outcome = "channel_continued"
observed = 40
trials = 100

[[targets]]
name = "short"
scenario = "$hazard"
set = ["scenario.horizon=4", "shocks.break.hazard={ uniform = [0.0, 0.3] }"]
outcome = "channel_continued"
observed = 70
trials = 100
CAL
"$bin" calibrate "$work/cal.toml" --quiet --out "$work/single-calibration"
# 6 shards a generation under MaxArraySize=4: two arrays a generation.
FILE="$work/cal.toml" SHARDS=6 OUT="$work/results/calibration" CPUS=1 \
    "$repo/examples/cluster/calibrate-slurm.sh" -p test | tee calibrate-1.out
[ "$(grep -cE '6 shards in array\(s\) [0-9]+ [0-9]+$' calibrate-1.out)" = 3 ] ||
    fail "the calibration did not run 3 generations of 6 shards in 2 arrays"
same_files "$work/results/calibration" "$work/single-calibration" "the calibration by generations"
say "7. a calibration in 3 generations of 6 shards, 2 arrays under MaxArraySize=4 each, folded by a dependent job: calibration.json, calibrated scenarios, charts and page identical (diff -r)"

say "passed in $(($(date +%s) - started)) s"

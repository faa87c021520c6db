#!/usr/bin/env bash
# Test gnu-parallel.sh's GNU parallel branch (its plain loop is tested by
# tests/cluster_examples.rs): installs Debian's parallel when absent (needs
# root then), runs a study into a path with spaces and compares the merged
# summary.json with a single-machine run, and likewise a Sobol' analysis,
# a comparison and a scenario discovery (every file but the manifest); checks that the slots per machine
# written in SSHLOGIN are kept ("3/:" is three at a time on this machine,
# through parallel's remote-login path, without ssh) rather than overridden
# by JOBS, and that a failed shard stops the others; then runs the shards
# over real ssh to an sshd of its own on 127.0.0.1 (openssh-server installed
# when absent).
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

# A design study: a Sobol' analysis in 5 shards, every file but the
# manifest identical to one machine's.
"$bin" sensitivity muscat-2026 --samples 4 --runs 60 --seed 5 --quiet --out single-sobol
COMMAND=sensitivity BACKCHANNEL=$bin "$repo/examples/cluster/gnu-parallel.sh" \
    muscat-2026 60 5 "my results/sobol" 5 -- --samples 4 >/dev/null
diff -r -x manifest.json "my results/sobol" single-sobol >/dev/null ||
    fail "the merged Sobol' analysis differs from one machine's"
say "a Sobol' analysis in 5 shards: sensitivity.json, .csv, charts and page identical (diff -r)"

# A comparison of three scenarios in 4 shards: every file but the manifest
# identical to one machine's.
"$bin" compare muscat-2026 muscat-2026:format.mode=direct muscat-2026:format.leak_hazard=0.2 \
    --runs 2001 --seed 5 --quiet --out single-compare
COMMAND=compare BACKCHANNEL=$bin "$repo/examples/cluster/gnu-parallel.sh" \
    muscat-2026 2001 4 "my results/compare" 5 -- \
    muscat-2026:format.mode=direct muscat-2026:format.leak_hazard=0.2 >/dev/null
diff -r -x manifest.json "my results/compare" single-compare >/dev/null ||
    fail "the merged comparison differs from one machine's"
say "a comparison of 3 scenarios in 4 shards: comparison.json, .csv, charts and page identical (diff -r)"

# A scenario discovery over 30 worlds in 4 shards: every file but the
# manifest identical to one machine's.
"$bin" discover muscat-2026 --outcome broken --worlds 30 --runs 3001 --seed 5 --quiet \
    --out single-discover
COMMAND=discover BACKCHANNEL=$bin "$repo/examples/cluster/gnu-parallel.sh" \
    muscat-2026 3001 4 "my results/discover" 5 -- --outcome broken --worlds 30 >/dev/null
diff -r -x manifest.json "my results/discover" single-discover >/dev/null ||
    fail "the merged discovery differs from one machine's"
say "a scenario discovery in 4 shards: discover.json, .csv, worlds.csv, charts and page identical (diff -r)"

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
# 4. Over real ssh (an sshd of our own on 127.0.0.1, stopped by PID on
# exit), from a working directory and into a path with spaces, with the
# binary given by absolute path as the script's comment advises.
if ! command -v /usr/sbin/sshd >/dev/null; then
    say "installing openssh-server"
    [ "$(id -u)" = 0 ] || fail "root is needed to install openssh-server"
    { apt-get update -q && apt-get install -y -q openssh-server; } >/dev/null ||
        fail "cannot install openssh-server"
fi
port=
for candidate in $(shuf -i 20000-40000 -n 50); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
        port=$candidate
        break
    fi
done
[ -n "$port" ] || fail "no free port for sshd"
mkdir ssh "over ssh"
ssh-keygen -q -t ed25519 -N '' -f ssh/host_key
ssh-keygen -q -t ed25519 -N '' -f ssh/user_key
cp ssh/user_key.pub ssh/authorized_keys
cat >ssh/sshd_config <<CONF
Port $port
ListenAddress 127.0.0.1
HostKey $tmp/ssh/host_key
AuthorizedKeysFile $tmp/ssh/authorized_keys
PidFile $tmp/ssh/sshd.pid
StrictModes no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
UsePAM no
CONF
mkdir -p /run/sshd
/usr/sbin/sshd -D -e -f "$tmp/ssh/sshd_config" 2>"$tmp/ssh/sshd.log" &
sshd_pid=$!
trap 'kill "$sshd_pid" 2>/dev/null; wait "$sshd_pid" 2>/dev/null; rm -rf "$tmp"' EXIT
ssh_command="ssh -p $port -i $tmp/ssh/user_key -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR $(id -un)@127.0.0.1"
for _ in $(seq 50); do
    $ssh_command true 2>/dev/null && break
    sleep 0.2
done
$ssh_command true || fail "cannot ssh to our sshd: $(tail -n 5 "$tmp/ssh/sshd.log")"
(cd "over ssh" && BACKCHANNEL=$bin SSHLOGIN="2/$ssh_command" \
    "$repo/examples/cluster/gnu-parallel.sh" muscat-2026 20001 4 "my results/study" 5 >/dev/null)
cmp "over ssh/my results/study/summary.json" single/summary.json ||
    fail "over ssh, the merged summary.json differs from the single run's"
logins=$(grep -c "Accepted publickey" "$tmp/ssh/sshd.log")
[ "$logins" -ge 4 ] || fail "$logins ssh logins for 4 shards"
say "over ssh ($logins logins), in paths with spaces: summary.json identical (cmp)"
say "passed"

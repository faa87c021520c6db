//! The parts of the project a machine with only Rust cannot test: the
//! cluster examples on a real single-node SLURM and on GNU parallel (over
//! real ssh), and the Python package in a real interpreter with its
//! test dependencies from the package registry. Each test runs the script
//! that sets its part up and checks it (`examples/cluster/test-slurm.sh`,
//! `examples/cluster/test-parallel.sh`, `python/run-tests.sh`), against the
//! binary this `cargo test` built.
//!
//! A bare `cargo test` reports them as ignored; `.ci/run` runs them with
//! `cargo test -- --include-ignored`. A script that cannot set its part up
//! (no root to install packages, no network to the registry) fails the
//! test: they never skip.

use std::path::Path;
use std::process::Command;
use std::sync::Mutex;

/// The scripts start daemons, install packages and run many studies:
/// one at a time, whatever the test harness's thread count.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Run `script` (relative to the repository) with the binary under test;
/// it must exit 0.
fn passes(script: &str) {
    let _turn = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let binary = env!("CARGO_BIN_EXE_backchannel");
    let status = Command::new("bash")
        .arg(repo.join(script))
        .current_dir(repo)
        .env("BACKCHANNEL", binary)
        .env("BACKCHANNEL_BIN", binary)
        .status()
        .unwrap_or_else(|e| panic!("cannot start bash for {script}: {e}"));
    assert!(
        status.success(),
        "{script} failed ({status}); its output is above"
    );
}

#[test]
#[ignore = "needs root to install and start slurm-wlm and munge: run .ci/run or cargo test -- --ignored"]
fn slurm_array_and_merge_on_a_single_node_cluster() {
    passes("examples/cluster/test-slurm.sh");
}

#[test]
#[ignore = "needs GNU parallel and an sshd (installed as root): run .ci/run or cargo test -- --ignored"]
fn gnu_parallel_locally_and_over_ssh() {
    passes("examples/cluster/test-parallel.sh");
}

#[test]
#[ignore = "needs python3 with venv and the package registry: run .ci/run or cargo test -- --ignored"]
fn python_package_in_a_fresh_virtual_environment() {
    passes("python/run-tests.sh");
}

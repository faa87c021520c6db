//! The cluster examples (examples/cluster) as far as they can be checked
//! without a cluster: the Kubernetes files parse and agree with each other
//! and with the Dockerfile, the wait helper fails fast, the SLURM shard
//! script runs under `set -u` outside SLURM's defaults, and the GNU parallel
//! script's plain loop handles paths with spaces. The real engines are
//! tested by examples/cluster/test-slurm.sh and test-parallel.sh.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod support;

use support::backchannel;
use yaml_rust2::{Yaml, YamlLoader};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The one YAML document of examples/cluster/k8s/`name`.
fn k8s(name: &str) -> Yaml {
    let path = repo().join("examples/cluster/k8s").join(name);
    let text = fs::read_to_string(&path).unwrap();
    let mut docs = YamlLoader::load_from_str(&text)
        .unwrap_or_else(|e| panic!("{}: not valid YAML: {e}", path.display()));
    assert_eq!(docs.len(), 1, "{name}: one object per file");
    docs.remove(0)
}

/// Where the examples put the shards of the study written to `out`.
fn shards_of(out: &Path) -> PathBuf {
    PathBuf::from(format!("{}.shards", out.display()))
}

fn text(yaml: &Yaml) -> &str {
    yaml.as_str()
        .unwrap_or_else(|| panic!("expected a string, got {yaml:?}"))
}

/// The pod spec of a Job, or of a Pod.
fn pod_spec(object: &Yaml) -> &Yaml {
    match text(&object["kind"]) {
        "Job" => &object["spec"]["template"]["spec"],
        "Pod" => &object["spec"],
        other => panic!("no pod spec in a {other}"),
    }
}

/// `(image, shell command, claim)` of the one container of a Job or Pod.
fn container(object: &Yaml) -> (String, String, String) {
    let spec = pod_spec(object);
    let containers = spec["containers"].as_vec().unwrap();
    assert_eq!(containers.len(), 1);
    let c = &containers[0];
    let command: Vec<&str> = c["command"]
        .as_vec()
        .unwrap()
        .iter()
        .map(text)
        .chain(c["args"].as_vec().into_iter().flatten().map(text))
        .collect();
    let claim = text(&spec["volumes"][0]["persistentVolumeClaim"]["claimName"]);
    assert_eq!(text(&c["volumeMounts"][0]["mountPath"]), "/results");
    (
        text(&c["image"]).to_string(),
        command.join(" "),
        claim.to_string(),
    )
}

#[test]
fn the_kubernetes_files_parse_and_agree() {
    let volume = k8s("volume.yaml");
    let shards = k8s("shards.yaml");
    let merge = k8s("merge.yaml");
    let fetch = k8s("fetch.yaml");
    assert_eq!(text(&volume["kind"]), "PersistentVolumeClaim");
    assert_eq!(text(&shards["kind"]), "Job");
    assert_eq!(text(&merge["kind"]), "Job");
    assert_eq!(text(&fetch["kind"]), "Pod");
    let claim = text(&volume["metadata"]["name"]);
    assert!(
        volume["spec"]["storageClassName"].as_str().is_some(),
        "the claim names its storage class (the defaults offer no ReadWriteMany)"
    );

    // The shard Job: Indexed, N completions, N in --shard auto/N, no field
    // that needs a newer Kubernetes than the one its comment names.
    let spec = &shards["spec"];
    assert_eq!(text(&spec["completionMode"]), "Indexed");
    assert!(
        spec["backoffLimitPerIndex"].is_badvalue(),
        "backoffLimitPerIndex needs Kubernetes 1.29"
    );
    let n = spec["completions"].as_i64().unwrap();
    let (image, command, shard_claim) = container(&shards);
    assert!(
        command.contains(&format!("--shard auto/{n} ")),
        "completions ({n}) must equal N in --shard auto/N: {command}"
    );
    let study = command
        .split_whitespace()
        .find_map(|w| w.strip_prefix("--out="))
        .map(str::to_string)
        .unwrap_or_else(|| {
            let words: Vec<&str> = command.split_whitespace().collect();
            let at = words.iter().position(|w| *w == "--out").unwrap();
            words[at + 1].to_string()
        });
    let study = study
        .strip_suffix(".shards/shard-$JOB_COMPLETION_INDEX")
        .unwrap_or_else(|| panic!("shards go to STUDY.shards/shard-INDEX: {study}"));
    assert_eq!(shard_claim, claim);

    // The merge reads exactly shards 0..N of the same study.
    let (merge_image, merge_command, merge_claim) = container(&merge);
    assert!(
        merge_command.contains(&format!(
            "$(seq -f '{study}.shards/shard-%.0f' 0 {})",
            n - 1
        )),
        "{merge_command}"
    );
    assert!(merge_command.ends_with(&format!("--out {study}")));
    assert_eq!(merge_claim, claim);
    let (fetch_image, _, fetch_claim) = container(&fetch);
    assert_eq!(fetch_claim, claim);

    // One versioned image everywhere.
    assert_eq!(merge_image, image);
    assert_eq!(fetch_image, image);
    let tag = image.rsplit_once(':').map(|(_, tag)| tag).unwrap_or("");
    assert!(
        !tag.is_empty() && tag != "latest" && !tag.contains('/'),
        "a versioned image, not :latest: {image}"
    );
    assert_eq!(
        tag,
        env!("CARGO_PKG_VERSION"),
        "the image is tagged with the crate's version"
    );
}

/// The Dockerfile builds the crate's binary with its Rust version and
/// copies it from where cargo puts it into a Debian slim image (with sh).
#[test]
fn the_dockerfile_matches_the_repository() {
    let dockerfile = fs::read_to_string(repo().join("Dockerfile")).unwrap();
    let froms: Vec<&str> = dockerfile
        .lines()
        .filter_map(|l| l.strip_prefix("FROM "))
        .collect();
    assert_eq!(froms.len(), 2, "a build stage and a run stage: {froms:?}");
    let rust_version = env!("CARGO_PKG_RUST_VERSION");
    assert!(
        froms[0].starts_with(&format!("rust:{rust_version}-slim-")),
        "{}",
        froms[0]
    );
    let debian = froms[0]
        .split_whitespace()
        .next()
        .unwrap()
        .rsplit('-')
        .next()
        .unwrap();
    assert_eq!(
        froms[1],
        format!("debian:{debian}-slim"),
        "the run image is the build image's Debian release"
    );
    assert!(dockerfile.contains("cargo build --release --locked"));
    let binary = Path::new(env!("CARGO_BIN_EXE_backchannel"))
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(dockerfile.contains(&format!("install -m 755 target/release/{binary} ")));
    assert!(dockerfile.contains("COPY --from=build /usr/local/bin/backchannel"));
    // The tag the Dockerfile tells to build is the one the YAML uses.
    let (image, _, _) = container(&k8s("shards.yaml"));
    assert!(dockerfile.contains(&format!("docker build -t {image} .")));
    let ignore = fs::read_to_string(repo().join(".dockerignore")).unwrap();
    assert!(ignore.lines().any(|l| l == "target"));
}

/// A fake `kubectl` reporting `conditions` for every job, in a fresh PATH.
fn fake_kubectl(dir: &Path, conditions: &str) -> String {
    let bin = dir.join("bin");
    fs::create_dir_all(&bin).unwrap();
    let kubectl = bin.join("kubectl");
    fs::write(
        &kubectl,
        format!(
            "#!/bin/sh\ncase \"$*\" in *'@.type==\"Failed\"'*) echo 'BackoffLimitExceeded: Job has reached the specified backoff limit' ;; *) printf '%s' '{conditions}' ;; esac\n"
        ),
    )
    .unwrap();
    Command::new("chmod")
        .arg("+x")
        .arg(&kubectl)
        .status()
        .unwrap();
    format!("{}:/usr/bin:/bin", bin.display())
}

#[test]
fn the_kubernetes_wait_fails_fast() {
    let script = repo().join("examples/cluster/k8s/wait.sh");
    let cases = [
        ("SuccessCriteriaMet Complete ", Some(0), "complete"),
        ("FailureTarget Failed ", Some(1), "BackoffLimitExceeded"),
        ("", Some(1), "not finished after 2 s"),
    ];
    for (conditions, status, says) in cases {
        let dir = tempfile::tempdir().unwrap();
        let start = Instant::now();
        let output = Command::new("sh")
            .arg(&script)
            .args(["backchannel-shards", "2"])
            .env("PATH", fake_kubectl(dir.path(), conditions))
            .env("POLL", "1")
            .output()
            .unwrap();
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(output.status.code(), status, "{conditions:?}: {said}");
        assert!(said.contains(says), "{conditions:?}: {said}");
        assert!(start.elapsed() < Duration::from_secs(10));
    }
}

/// The SLURM shard script outside its defaults: no --cpus-per-task (so no
/// SLURM_CPUS_PER_TASK) under `set -u`, and a rerun of one task that
/// forgets SHARDS is refused rather than run as the whole study.
#[test]
fn the_slurm_shard_script_runs_without_cpus_per_task() {
    let dir = tempfile::tempdir().unwrap();
    let script = repo().join("examples/cluster/slurm.sbatch");
    let out = dir.path().join("study");
    let task = |id: &str, min: &str, count: &str, shards: Option<&str>| {
        let mut command = Command::new("bash");
        command
            .arg(&script)
            .current_dir(dir.path())
            .env("BACKCHANNEL", env!("CARGO_BIN_EXE_backchannel"))
            .env("SCENARIO", "muscat-2026")
            .env("RUNS", "1000")
            .env("SEED", "3")
            .env("OUT", &out)
            .env("SLURM_ARRAY_TASK_ID", id)
            .env("SLURM_ARRAY_TASK_MIN", min)
            .env("SLURM_ARRAY_TASK_COUNT", count)
            .env_remove("SLURM_CPUS_PER_TASK")
            .env_remove("SHARDS");
        if let Some(shards) = shards {
            command.env("SHARDS", shards);
        }
        command.output().unwrap()
    };
    let output = task("1", "0", "2", None);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let partial = support::json(&shards_of(&out).join("shard-1/partial.json"));
    assert_eq!(partial["shard"]["count"], 2);
    assert_eq!(partial["slice"]["start"], 500);

    // `sbatch --array=2` without SHARDS: refused, nothing written.
    let output = task("2", "2", "1", None);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("set SHARDS"));
    // With SHARDS, shard 2 of 4.
    let output = task("2", "2", "1", Some("4"));
    assert!(output.status.success());
    let partial = support::json(&shards_of(&out).join("shard-2/partial.json"));
    assert_eq!(partial["shard"]["count"], 4);
    assert_eq!(partial["slice"]["start"], 500);
}

/// Every shell script of the examples parses.
#[test]
fn the_example_scripts_parse() {
    let dir = repo().join("examples/cluster");
    let mut scripts: Vec<PathBuf> = Vec::new();
    for entry in fs::read_dir(&dir)
        .unwrap()
        .chain(fs::read_dir(dir.join("k8s")).unwrap())
    {
        let path = entry.unwrap().path();
        if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("sh" | "sbatch")
        ) {
            scripts.push(path);
        }
    }
    assert!(scripts.len() >= 6, "{scripts:?}");
    for script in scripts {
        let shell = if fs::read_to_string(&script)
            .unwrap()
            .starts_with("#!/bin/sh")
        {
            "sh"
        } else {
            "bash"
        };
        let status = Command::new(shell)
            .arg("-n")
            .arg(&script)
            .stderr(Stdio::inherit())
            .status()
            .unwrap();
        assert!(status.success(), "{}", script.display());
    }
}

/// The GNU parallel script's plain loop (forced with NO_GNU_PARALLEL=1),
/// into a path with spaces: the merge equals a single run. Its parallel
/// branch is tested, with GNU parallel installed, by
/// examples/cluster/test-parallel.sh.
#[test]
fn the_parallel_script_loop_handles_paths_with_spaces() {
    let dir = tempfile::tempdir().unwrap();
    let script = repo().join("examples/cluster/gnu-parallel.sh");
    let out = dir.path().join("my results/study one");
    let status = Command::new("bash")
        .arg(&script)
        .args(["muscat-2026", "10001", "4"])
        .arg(&out)
        .arg("5")
        .env("BACKCHANNEL", env!("CARGO_BIN_EXE_backchannel"))
        .env("NO_GNU_PARALLEL", "1")
        .env("PATH", "/usr/bin:/bin")
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let single = dir.path().join("single");
    backchannel()
        .args([
            "run",
            "muscat-2026",
            "--runs",
            "10001",
            "--seed",
            "5",
            "-q",
            "--no-plots",
            "--out",
        ])
        .arg(&single)
        .assert()
        .success();
    assert_eq!(
        fs::read(out.join("summary.json")).unwrap(),
        fs::read(single.join("summary.json")).unwrap()
    );
}

/// A failing shard stops the plain loop with a failure, and the shards
/// still running are stopped, leaving no temporary directory.
#[test]
fn the_parallel_script_loop_stops_on_a_failed_shard() {
    let dir = tempfile::tempdir().unwrap();
    let script = repo().join("examples/cluster/gnu-parallel.sh");
    let out = dir.path().join("study");
    // Shard 0 cannot write: its directory holds something else.
    fs::create_dir_all(shards_of(&out).join("shard-0")).unwrap();
    fs::write(shards_of(&out).join("shard-0/notes.txt"), "mine").unwrap();
    let output = Command::new("bash")
        .arg(&script)
        .args(["muscat-2026", "100000000", "2"])
        .arg(&out)
        .env("BACKCHANNEL", env!("CARGO_BIN_EXE_backchannel"))
        .env("NO_GNU_PARALLEL", "1")
        .env("PATH", "/usr/bin:/bin")
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(!out.exists());
    let left: Vec<String> = fs::read_dir(shards_of(&out))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["shard-0"], "left behind: {left:?}");
}

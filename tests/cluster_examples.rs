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

/// The studies that shard, as the examples name them.
const SHARDING: [&str; 7] = [
    "run",
    "compare",
    "sweep",
    "sensitivity",
    "indicators",
    "discover",
    "backtest",
];

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

    // A user's own scenario, from the ConfigMap mounted read-only.
    let shard_pod = pod_spec(&shards);
    let scenario_volume = shard_pod["volumes"]
        .as_vec()
        .unwrap()
        .iter()
        .find(|v| !v["configMap"].is_badvalue())
        .expect("a ConfigMap volume holding the user's scenario");
    let mount = shard_pod["containers"][0]["volumeMounts"]
        .as_vec()
        .unwrap()
        .iter()
        .find(|m| m["name"] == scenario_volume["name"])
        .expect("the scenario's volume is mounted");
    assert_eq!(mount["readOnly"].as_bool(), Some(true));
    // The study from the container's env: a command that shards, run on
    // the mounted scenario with its flags.
    let env = |name: &str| {
        shard_pod["containers"][0]["env"]
            .as_vec()
            .unwrap()
            .iter()
            .find(|e| text(&e["name"]) == name)
            .map(|e| text(&e["value"]).to_string())
            .unwrap_or_else(|| panic!("the shards' env sets {name}"))
    };
    assert!(
        command.contains(r#"exec backchannel "$COMMAND" $SCENARIOS $STUDY_ARGS "#),
        "the shards run the study the env names: {command}"
    );
    assert!(
        SHARDING.contains(&env("COMMAND").as_str()),
        "{}",
        env("COMMAND")
    );
    assert!(
        env("SCENARIOS").starts_with(&format!("{}/", text(&mount["mountPath"]))),
        "the shards run the mounted scenario: {}",
        env("SCENARIOS")
    );
    assert!(env("STUDY_ARGS").contains("--runs "));

    // Exit status 2 (bad input) fails the Job at once; a disruption is
    // not counted; nothing else is special.
    let rules = spec["podFailurePolicy"]["rules"].as_vec().unwrap();
    let fail_on_2 = rules.iter().any(|r| {
        text(&r["action"]) == "FailJob"
            && text(&r["onExitCodes"]["operator"]) == "In"
            && r["onExitCodes"]["values"].as_vec().unwrap() == &vec![Yaml::Integer(2)]
            && r["onExitCodes"]["containerName"] == shard_pod["containers"][0]["name"]
    });
    assert!(fail_on_2, "podFailurePolicy fails the Job on exit status 2");
    let ignore_disruption = rules.iter().any(|r| {
        text(&r["action"]) == "Ignore"
            && r["onPodConditions"]
                .as_vec()
                .is_some_and(|c| c.iter().any(|c| text(&c["type"]) == "DisruptionTarget"))
    });
    assert!(
        ignore_disruption,
        "a disrupted pod is not counted as a failure"
    );
    for object in [&shards, &merge, &fetch] {
        restricted(object);
    }

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

/// The "restricted" Pod Security Standard and a read-only root file
/// system, as the image's user (the Dockerfile's `USER`).
fn restricted(object: &Yaml) {
    let name = text(&object["metadata"]["name"]);
    let pod = &pod_spec(object)["securityContext"];
    assert_eq!(pod["runAsNonRoot"].as_bool(), Some(true), "{name}");
    assert_eq!(
        text(&pod["seccompProfile"]["type"]),
        "RuntimeDefault",
        "{name}"
    );
    let user = pod["runAsUser"].as_i64().unwrap();
    let dockerfile = fs::read_to_string(repo().join("Dockerfile")).unwrap();
    assert!(
        dockerfile
            .lines()
            .any(|l| l == format!("USER {user}:{user}")),
        "{name}: the image runs as the pods' user {user}"
    );
    for container in pod_spec(object)["containers"].as_vec().unwrap() {
        let c = &container["securityContext"];
        assert_eq!(
            c["allowPrivilegeEscalation"].as_bool(),
            Some(false),
            "{name}"
        );
        assert_eq!(c["readOnlyRootFilesystem"].as_bool(), Some(true), "{name}");
        assert_eq!(
            c["capabilities"]["drop"]
                .as_vec()
                .map(|v| v.iter().map(text).collect::<Vec<_>>()),
            Some(vec!["ALL"]),
            "{name}"
        );
    }
}

/// The Dockerfile builds the crate's binary with its Rust version, from
/// base images pinned by digest, strips it and copies it from where cargo
/// puts it into a Debian slim image (with sh) of the same release, run as
/// an unprivileged user.
#[test]
fn the_dockerfile_matches_the_repository() {
    let dockerfile = fs::read_to_string(repo().join("Dockerfile")).unwrap();
    let images: Vec<&str> = dockerfile
        .lines()
        .filter_map(|l| l.strip_prefix("FROM "))
        .map(|from| from.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(images.len(), 2, "a build stage and a run stage: {images:?}");
    let tags: Vec<&str> = images
        .iter()
        .map(|image| {
            let (tag, digest) = image
                .split_once("@sha256:")
                .unwrap_or_else(|| panic!("{image}: pinned by digest (@sha256:...)"));
            assert!(
                digest.len() == 64 && digest.bytes().all(|b| b.is_ascii_hexdigit()),
                "{image}: a sha256 digest"
            );
            tag
        })
        .collect();
    let rust_version = env!("CARGO_PKG_RUST_VERSION");
    assert!(
        tags[0].starts_with(&format!("rust:{rust_version}-slim-")),
        "{}",
        tags[0]
    );
    let debian = tags[0].rsplit('-').next().unwrap();
    assert_eq!(
        tags[1],
        format!("debian:{debian}-slim"),
        "the run image is the build image's Debian release"
    );
    assert!(
        dockerfile.contains("CARGO_PROFILE_RELEASE_STRIP=symbols cargo build --release --locked")
    );
    assert!(dockerfile.contains("--mount=type=cache,target=/usr/local/cargo/registry"));
    let binary = Path::new(env!("CARGO_BIN_EXE_backchannel"))
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(dockerfile.contains(&format!("install -m 755 target/release/{binary} ")));
    assert!(dockerfile.contains("COPY --from=build /usr/local/bin/backchannel"));
    let user = dockerfile
        .lines()
        .filter_map(|l| l.strip_prefix("USER "))
        .next_back()
        .expect("the image names its user");
    assert!(
        !user.starts_with('0') && !user.starts_with("root"),
        "USER {user}"
    );
    // The tag the Dockerfile tells to build is the one the YAML uses.
    let (image, _, _) = container(&k8s("shards.yaml"));
    assert!(dockerfile.contains(&format!("docker build -t {image} .")));
    // What the cluster examples and the studies write stays out of the
    // build context and of git.
    let dockerignore = fs::read_to_string(repo().join(".dockerignore")).unwrap();
    let gitignore = fs::read_to_string(repo().join(".gitignore")).unwrap();
    for ignored in ["target", "output", "results", "logs"] {
        assert!(
            dockerignore.lines().any(|l| l == ignored),
            ".dockerignore: {ignored}"
        );
        assert!(
            gitignore.lines().any(|l| l == format!("/{ignored}")),
            ".gitignore: /{ignored}"
        );
    }
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
    let cases = [
        ("SuccessCriteriaMet Complete ", Some(0), "complete"),
        ("FailureTarget Failed ", Some(1), "BackoffLimitExceeded"),
        ("", Some(1), "not finished after 2 s"),
    ];
    for (conditions, status, says) in cases {
        let dir = tempfile::tempdir().unwrap();
        let start = Instant::now();
        let (code, said) = wait_for(fake_kubectl(dir.path(), conditions), "2", &[("POLL", "1")]);
        assert_eq!(code, status, "{conditions:?}: {said}");
        assert!(said.contains(says), "{conditions:?}: {said}");
        assert!(start.elapsed() < Duration::from_secs(10));
    }
}

/// `wait.sh backchannel-shards TIMEOUT` with `path` as its PATH and `env`
/// set: its exit status and what it printed on both streams.
fn wait_for(path: String, timeout: &str, env: &[(&str, &str)]) -> (Option<i32>, String) {
    let output = Command::new("sh")
        .arg(repo().join("examples/cluster/k8s/wait.sh"))
        .args(["backchannel-shards", timeout])
        .env("PATH", path)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code(), said)
}

/// A fake `kubectl` that fails its first `failures` calls (as an API
/// server restarting would), then reports `conditions`; in a fresh PATH.
fn flaky_kubectl(dir: &Path, failures: u32, conditions: &str) -> String {
    let path = fake_kubectl(dir, conditions);
    let kubectl = dir.join("bin/kubectl");
    let real = dir.join("bin/kubectl-answers");
    fs::rename(&kubectl, &real).unwrap();
    let count = dir.join("calls");
    fs::write(
        &kubectl,
        format!(
            "#!/bin/sh
echo x >> '{count}'
if [ \"$(wc -l < '{count}')\" -le {failures} ]; then
  echo 'Unable to connect to the server: dial tcp: i/o timeout' >&2; exit 1
fi
exec '{real}' \"$@\"
",
            count = count.display(),
            real = real.display()
        ),
    )
    .unwrap();
    Command::new("chmod")
        .arg("+x")
        .arg(&kubectl)
        .status()
        .unwrap();
    path
}

/// A kubectl error is retried, not read as a failed Job; only many in a
/// row end the wait, with its own exit status (3: cannot tell).
#[test]
fn the_kubernetes_wait_retries_transient_errors() {
    let cases = [
        (3, Some(0), "complete"),
        (100, Some(3), "cannot read its status after 4 attempts"),
    ];
    for (failures, status, says) in cases {
        let dir = tempfile::tempdir().unwrap();
        let path = flaky_kubectl(dir.path(), failures, "SuccessCriteriaMet Complete ");
        let (code, said) = wait_for(path, "60", &[("POLL", "0"), ("MAX_ERRORS", "4")]);
        assert_eq!(code, status, "{failures} failures: {said}");
        assert!(said.contains(says), "{failures} failures: {said}");
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

/// A fake `sbatch` that records each submission (its arguments and the
/// variables the shard script reads) and prints job ids 1, 2, ...; and a
/// fake `scontrol` whose cluster has `MaxArraySize = 4`. The PATH.
fn fake_slurm(dir: &Path) -> String {
    let bin = dir.join("bin");
    fs::create_dir_all(&bin).unwrap();
    let log = dir.join("submitted");
    let count = dir.join("count");
    let sbatch = format!(
        "#!/bin/bash\nn=$(( $(cat '{count}' 2>/dev/null || echo 0) + 1 )); echo $n > '{count}'\n\
         echo \"offset=${{SHARD_OFFSET:-}} study=${{STUDY_ARGS}} $*\" >> '{log}'\necho \"$n;cluster\"\n",
        count = count.display(),
        log = log.display()
    );
    fs::write(bin.join("sbatch"), sbatch).unwrap();
    fs::write(
        bin.join("scontrol"),
        "#!/bin/sh\necho 'MaxArraySize            = 4'\n",
    )
    .unwrap();
    Command::new("chmod")
        .arg("+x")
        .arg(bin.join("sbatch"))
        .arg(bin.join("scontrol"))
        .status()
        .unwrap();
    format!("{}:/usr/bin:/bin", bin.display())
}

/// submit.sh over a fake SLURM whose MaxArraySize is 4: the shards it
/// submits (one line per sbatch call), or its refusal.
fn submitted(array: Option<&str>, shards: &str, args: &[&str]) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut command = Command::new("bash");
    command
        .arg(repo().join("examples/cluster/submit.sh"))
        .args(args)
        .current_dir(dir.path())
        .env("PATH", fake_slurm(dir.path()))
        .env("BACKCHANNEL", "/bin/true")
        .env("SHARDS", shards)
        .env_remove("ARRAY");
    if let Some(array) = array {
        command.env("ARRAY", array);
    }
    let output = command.output().unwrap();
    let log = fs::read_to_string(dir.path().join("submitted")).unwrap_or_default();
    let said = String::from_utf8_lossy(&output.stderr);
    (output.status.code(), format!("{log}{said}"))
}

/// Arrays larger than the cluster's MaxArraySize go in chunks, each with
/// its offset; the merge waits for every chunk; a rerun's shards land in
/// their chunks; the study's own flags reach the shards, quoted.
#[test]
fn submit_chunks_arrays_above_max_array_size() {
    let (status, log) = submitted(None, "10", &["-p", "test", "--", "--set", "a=b c"]);
    assert_eq!(status, Some(0), "{log}");
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 4, "{log}");
    for (line, (offset, array)) in lines.iter().zip([("0", "0-3"), ("4", "0-3"), ("8", "0-1")]) {
        assert!(line.starts_with(&format!("offset={offset} ")), "{line}");
        assert!(line.contains(&format!("--array={array} ")), "{line}");
        assert!(line.contains(r"study=--set a=b\ c "), "{line}");
        assert!(
            line.contains("-p test ") && line.ends_with("slurm.sbatch"),
            "{line}"
        );
    }
    assert!(
        lines[3].contains("--dependency=afterok:1:2:3 "),
        "{}",
        lines[3]
    );
    assert!(lines[3].ends_with("slurm-merge.sbatch"), "{}", lines[3]);

    let (status, log) = submitted(Some("2,5-6,9"), "10", &["-p", "test"]);
    assert_eq!(status, Some(0), "{log}");
    let arrays: Vec<&str> = log
        .lines()
        .filter_map(|l| l.split_whitespace().find(|w| w.starts_with("--array=")))
        .collect();
    assert_eq!(arrays, ["--array=2", "--array=1-2", "--array=1"], "{log}");

    for bad in ["12", "3-1", "a", "1-", "1--2"] {
        let (status, said) = submitted(Some(bad), "10", &["-p", "test"]);
        assert_eq!(status, Some(2), "ARRAY={bad}: {said}");
        assert!(said.contains(&format!("ARRAY={bad}")), "{said}");
        assert!(!said.contains("--array"), "ARRAY={bad} submitted: {said}");
    }
}

/// A task of a chunked array writes shard SHARD_OFFSET + its index, with
/// the study's own flags.
#[test]
fn the_slurm_shard_script_adds_the_chunk_offset_and_study_flags() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("study");
    let output = Command::new("bash")
        .arg(repo().join("examples/cluster/slurm.sbatch"))
        .current_dir(dir.path())
        .env("BACKCHANNEL", env!("CARGO_BIN_EXE_backchannel"))
        .env("SCENARIO", "muscat-2026")
        .env("RUNS", "600")
        .env("SEED", "3")
        .env("OUT", &out)
        .env("SHARDS", "6")
        .env("SHARD_OFFSET", "4")
        .env("STUDY_ARGS", r"--set mediator.name=Two\ Words")
        .env("SLURM_ARRAY_TASK_ID", "1")
        .env("SLURM_ARRAY_TASK_MIN", "0")
        .env("SLURM_ARRAY_TASK_COUNT", "2")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let partial = support::json(&shards_of(&out).join("shard-5/partial.json"));
    assert_eq!(partial["shard"]["index"], 5);
    assert_eq!(partial["shard"]["count"], 6);
    assert!(
        partial.to_string().contains("Two Words"),
        "the --set reached the shard"
    );
}

/// The shard script runs the study COMMAND names (a sweep, with its
/// design from STUDY_ARGS), and refuses a command that does not shard.
#[test]
fn the_slurm_shard_script_runs_a_design_study() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sweep");
    let task = |command: &str| {
        Command::new("bash")
            .arg(repo().join("examples/cluster/slurm.sbatch"))
            .current_dir(dir.path())
            .env("BACKCHANNEL", env!("CARGO_BIN_EXE_backchannel"))
            .env("COMMAND", command)
            .env("SCENARIO", "muscat-2026")
            .env("RUNS", "400")
            .env("OUT", &out)
            .env("SHARDS", "3")
            .env("STUDY_ARGS", "--vary format.leak_hazard=0.0..0.2:3")
            .env("SLURM_ARRAY_TASK_ID", "1")
            .env("SLURM_ARRAY_TASK_MIN", "0")
            .env("SLURM_ARRAY_TASK_COUNT", "3")
            .output()
            .unwrap()
    };
    let output = task("sweep");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let partial = support::json(&shards_of(&out).join("shard-1/partial.json"));
    assert_eq!(partial["study"]["command"], "sweep");
    assert_eq!(partial["study"]["points"], 3);
    let output = task("trace");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("COMMAND=trace"));
}

/// The shard script runs every study that shards: a comparison (the
/// scenarios compared with SCENARIO in STUDY_ARGS, right after it),
/// indicators and a scenario discovery (their flags in STUDY_ARGS).
#[test]
fn the_slurm_shard_script_runs_every_study_that_shards() {
    let dir = tempfile::tempdir().unwrap();
    let task = |command: &str, runs: &str, study_args: &str| {
        let out = dir.path().join(command);
        let output = Command::new("bash")
            .arg(repo().join("examples/cluster/slurm.sbatch"))
            .current_dir(dir.path())
            .env("BACKCHANNEL", env!("CARGO_BIN_EXE_backchannel"))
            .env("COMMAND", command)
            .env("SCENARIO", "muscat-2026")
            .env("RUNS", runs)
            .env("OUT", &out)
            .env("SHARDS", "3")
            .env("STUDY_ARGS", study_args)
            .env("SLURM_ARRAY_TASK_ID", "2")
            .env("SLURM_ARRAY_TASK_MIN", "0")
            .env("SLURM_ARRAY_TASK_COUNT", "3")
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{command}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        support::json(&shards_of(&out).join("shard-2/partial.json"))
    };
    let partial = task("compare", "600", "muscat-2026:format.mode=direct");
    assert_eq!(partial["schema"], "backchannel.compare-partial.v1");
    assert_eq!(partial["scenarios"].as_array().unwrap().len(), 2);
    assert_eq!(partial["slice"]["start"], 400);
    let partial = task("indicators", "600", "--at 3");
    assert_eq!(partial["schema"], "backchannel.indicators-partial.v1");
    assert_eq!(partial["at"], 3);
    let partial = task("discover", "600", "--outcome broken --worlds 20");
    assert_eq!(partial["schema"], "backchannel.discover-partial.v1");
    assert_eq!(partial["study"]["worlds"], 20);
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

/// The plain loop runs the study COMMAND names with the flags after
/// `--`: a sweep in 3 shards merges into one machine's `sweep.csv`.
#[test]
fn the_parallel_script_loop_runs_a_design_study() {
    let dir = tempfile::tempdir().unwrap();
    let script = repo().join("examples/cluster/gnu-parallel.sh");
    let vary = "format.leak_hazard=0.0..0.2:3";
    let out = dir.path().join("sweep");
    let output = Command::new("bash")
        .arg(&script)
        .args(["muscat-2026", "400", "3"])
        .arg(&out)
        .args(["5", "--", "--vary", vary])
        .env("BACKCHANNEL", env!("CARGO_BIN_EXE_backchannel"))
        .env("COMMAND", "sweep")
        .env("NO_GNU_PARALLEL", "1")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let single = dir.path().join("single");
    support::backchannel()
        .args(["sweep", "muscat-2026", "--runs", "400", "--seed", "5"])
        .args(["--vary", vary, "--no-plots", "-q", "--out"])
        .arg(&single)
        .assert()
        .success();
    assert_eq!(
        fs::read(out.join("sweep.csv")).unwrap(),
        fs::read(single.join("sweep.csv")).unwrap()
    );
}

/// The plain loop shards a comparison (COMMAND=compare, the scenarios
/// compared with the baseline after `--`): its merge is one machine's
/// `comparison.json`.
#[test]
fn the_parallel_script_loop_runs_a_comparison() {
    let dir = tempfile::tempdir().unwrap();
    let script = repo().join("examples/cluster/gnu-parallel.sh");
    let other = "muscat-2026:format.mode=direct";
    let out = dir.path().join("compare");
    let output = Command::new("bash")
        .arg(&script)
        .args(["muscat-2026", "601", "3"])
        .arg(&out)
        .args(["5", "--", other])
        .env("BACKCHANNEL", env!("CARGO_BIN_EXE_backchannel"))
        .env("COMMAND", "compare")
        .env("NO_GNU_PARALLEL", "1")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let single = dir.path().join("single");
    support::backchannel()
        .args([
            "compare",
            "muscat-2026",
            other,
            "--runs",
            "601",
            "--seed",
            "5",
        ])
        .args(["--no-plots", "-q", "--out"])
        .arg(&single)
        .assert()
        .success();
    assert_eq!(
        fs::read(out.join("comparison.json")).unwrap(),
        fs::read(single.join("comparison.json")).unwrap()
    );
}

/// The plain loop shards a scenario discovery and indicators (their flags
/// after `--`): each merge writes one machine's files, byte for byte.
#[test]
fn the_parallel_script_loop_runs_discovery_and_indicators() {
    let dir = tempfile::tempdir().unwrap();
    let script = repo().join("examples/cluster/gnu-parallel.sh");
    for (command, flags) in [
        ("discover", &["--outcome", "broken", "--worlds", "20"][..]),
        ("indicators", &["--at", "3"]),
    ] {
        let out = dir.path().join(command);
        let output = Command::new("bash")
            .arg(&script)
            .args(["muscat-2026", "1201", "3"])
            .arg(&out)
            .arg("5")
            .arg("--")
            .args(flags)
            .env("BACKCHANNEL", env!("CARGO_BIN_EXE_backchannel"))
            .env("COMMAND", command)
            .env("NO_GNU_PARALLEL", "1")
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{command}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let single = dir.path().join(format!("single-{command}"));
        support::backchannel()
            .args([command, "muscat-2026"])
            .args(flags)
            .args(["--runs", "1201", "--seed", "5", "-q", "--out"])
            .arg(&single)
            .assert()
            .success();
        let table = format!("{command}.json");
        assert_eq!(
            fs::read(out.join(&table)).unwrap(),
            fs::read(single.join(&table)).unwrap(),
            "{command}"
        );
    }
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

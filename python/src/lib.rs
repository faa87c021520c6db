//! `backchannel._native`: the library's front door for Python. This crate
//! only converts arguments and results; every capability lives in the
//! `backchannel` crate (`src/study/`): a value set on a scenario is typed
//! here ([`set_value`]), never written as text. The package around it
//! (`backchannel/__init__.py`) turns facts into observations and JSON
//! texts into dicts.

use std::fs::File;
use std::io::BufWriter;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use backchannel::error::SettingWords;
use backchannel::results::Case;
use backchannel::{
    Backtest, Calibration, CalibrationFile, Comparison, Discovery, Distribution, Error, Method,
    Observations, SETTING_LIMITS, Sampling, Sensitivity, SetEntry, SetValue, Study, Sweep, Trace,
};
use pyo3::create_exception;
use pyo3::exceptions::{
    PyKeyboardInterrupt, PyRuntimeError, PyTypeError, PyUserWarning, PyValueError,
};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple};

create_exception!(
    _native,
    ScenarioError,
    PyValueError,
    "Bad input: a scenario, a value set on it, observations or a study's \
     settings. The message is the command line's (file:line:column, the \
     offending line, help); the attributes locate the first problem (`file`, \
     `line`, `column`, `key`, `help`, `problem`) and `diagnostics` lists \
     every one as a dict with those keys."
);

/// A scenario parsed, changed by any values set on it, and checked.
#[pyclass(frozen, module = "backchannel._native", name = "Scenario")]
struct PyScenario {
    inner: backchannel::Scenario,
}

#[pymethods]
impl PyScenario {
    /// A path to a scenario file, or the name of an embedded scenario.
    #[staticmethod]
    fn load(py: Python<'_>, spec: &str) -> PyResult<Self> {
        wrap(py, backchannel::Scenario::load(spec))
    }

    /// A variant, `SPEC[:KEY=VALUE...]`, as `compare` names its scenarios
    /// (and results label them).
    #[staticmethod]
    fn load_variant(py: Python<'_>, spec: &str) -> PyResult<Self> {
        wrap(py, backchannel::Scenario::load_variant(spec))
    }

    /// A scenario from its TOML text; `origin` names it in messages.
    #[staticmethod]
    fn from_toml(py: Python<'_>, text: &str, origin: &str) -> PyResult<Self> {
        wrap(py, backchannel::Scenario::from_toml(text, origin))
    }

    /// This scenario with each key of `values` set to its value, typed
    /// from the Python value (see [`set_value`]): the same keys, checks,
    /// text and SHA-256 as `--set` with the argument results name it by.
    fn with_values(&self, py: Python<'_>, values: &Bound<'_, PyDict>) -> PyResult<Self> {
        let typed = values
            .iter()
            .map(|(key, value)| {
                let key: String = key.extract()?;
                let value = set_value(&key, &value)?;
                Ok((key, value))
            })
            .collect::<PyResult<Vec<_>>>()?;
        wrap(py, self.inner.with_typed_values(&typed))
    }

    /// The `KEY=VALUE` values set, in order, as results name them.
    #[getter]
    fn values_set(&self) -> Vec<String> {
        self.inner.values_set().to_vec()
    }

    #[getter]
    fn name(&self) -> &str {
        self.inner.name()
    }

    #[getter]
    fn display_name(&self) -> String {
        self.inner.display_name()
    }

    #[getter]
    fn toml(&self) -> &str {
        self.inner.toml()
    }

    #[getter]
    fn sha256(&self) -> &str {
        self.inner.sha256()
    }

    #[getter]
    fn default_seed(&self) -> u64 {
        self.inner.default_seed()
    }

    #[getter]
    fn default_runs(&self) -> u64 {
        self.inner.default_runs()
    }

    /// Each judged input as a dict: `key`, `kind` and the distribution's
    /// parameters under the names the scenario file uses.
    fn judged_inputs<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyDict>>> {
        self.inner
            .judged_inputs()
            .into_iter()
            .map(|input| distribution_dict(py, input.key, input.distribution))
            .collect()
    }
}

/// A judged input's distribution as plain values.
fn distribution_dict<'py>(
    py: Python<'py>,
    key: &str,
    distribution: &Distribution,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("key", key)?;
    match distribution {
        Distribution::Uniform { lo, hi } => {
            d.set_item("kind", "uniform")?;
            d.set_item("lo", lo)?;
            d.set_item("hi", hi)?;
        }
        Distribution::Triangular { lo, mode, hi } => {
            d.set_item("kind", "triangular")?;
            d.set_item("lo", lo)?;
            d.set_item("mode", mode)?;
            d.set_item("hi", hi)?;
        }
        Distribution::Beta { alpha, beta } => {
            d.set_item("kind", "beta")?;
            d.set_item("alpha", alpha)?;
            d.set_item("beta", beta)?;
        }
        Distribution::Normal { mean, sd, lo, hi } => {
            d.set_item("kind", "normal")?;
            d.set_item("mean", mean)?;
            d.set_item("sd", sd)?;
            d.set_item("lo", lo)?;
            d.set_item("hi", hi)?;
        }
        Distribution::Integers { lo, hi } => {
            d.set_item("kind", "integers")?;
            d.set_item("lo", lo)?;
            d.set_item("hi", hi)?;
        }
        Distribution::OneOf { options, weights } => {
            d.set_item("kind", "one_of")?;
            d.set_item("options", options)?;
            d.set_item("weights", weights)?;
        }
    }
    Ok(d)
}

/// A study's settings as the package passes them (`None`: the default).
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
struct Settings {
    runs: Option<u64>,
    seed: Option<u64>,
    threads: Option<usize>,
    worlds: Option<u64>,
    precision: Option<f64>,
}

/// A builder with the settings every study builder shares (seed, threads,
/// worlds; `None` keeps the default), stopped by `cancel` and reporting its
/// runs done to `done`.
macro_rules! shared {
    ($builder:expr, $settings:expr, $cancel:expr, $done:expr) => {
        $builder
            .seed($settings.seed)
            .threads($settings.threads)
            .worlds($settings.worlds)
            .cancel_on($cancel)
            .on_progress(|n| $done.store(n, Ordering::Relaxed))
    };
}

/// Run one forecast: `given_path` or `given_toml` (observations), and
/// `runs_csv`, a path to write runs.csv to; with `out`, its files written
/// into that folder as `backchannel run --out` writes them
/// (`Study::write_to`). Returns summary.json's and manifest.json's texts.
#[pyfunction]
#[pyo3(signature = (scenario, settings, given_path=None, given_toml=None, runs_csv=None, progress=None, out=None))]
#[allow(clippy::too_many_arguments)]
fn run(
    py: Python<'_>,
    scenario: &Bound<'_, PyScenario>,
    settings: Settings,
    given_path: Option<&str>,
    given_toml: Option<&str>,
    runs_csv: Option<PathBuf>,
    progress: Option<Bound<'_, PyAny>>,
    out: Option<PathBuf>,
) -> PyResult<(String, String)> {
    let scenario = &scenario.get().inner;
    let given = observations(py, scenario, given_path, given_toml)?;
    let runs_csv = runs_csv
        .map(|path| File::create(&path).map(BufWriter::new))
        .transpose()
        .map_err(|e| PyRuntimeError::new_err(format!("cannot write runs.csv: {e}")))?;
    let results = supervise(py, progress.as_ref(), |cancel, done| {
        let mut study = shared!(Study::new(scenario), settings, cancel, done);
        if let Some(runs) = settings.runs {
            study = study.runs(runs);
        }
        if let Some(eps) = settings.precision {
            study = study.precision(eps);
        }
        if let Some(observations) = &given {
            study = study.given(observations);
        }
        if let Some(runs) = runs_csv {
            study = study.runs_csv(runs);
        }
        match &out {
            Some(dir) => study.write_to(dir),
            None => study.run(),
        }
    })?;
    warn_all(py, &results.notes)?;
    Ok((results.summary.to_json(), results.manifest.to_json()))
}

/// Each of `notes` (what writing a study's files noted: previous results
/// kept aside, an index not updated) as a Python `UserWarning`.
fn warn_all(py: Python<'_>, notes: &[String]) -> PyResult<()> {
    let category = py.get_type::<PyUserWarning>();
    for note in notes {
        let message =
            std::ffi::CString::new(note.replace('\0', " ")).expect("NUL bytes were replaced");
        PyErr::warn(py, &category, &message, 1)?;
    }
    Ok(())
}

/// Observations from a file (`given_path`) or a TOML text (`given_toml`),
/// checked against `scenario`.
fn observations(
    py: Python<'_>,
    scenario: &backchannel::Scenario,
    given_path: Option<&str>,
    given_toml: Option<&str>,
) -> PyResult<Option<Observations>> {
    let loaded = match (given_path, given_toml) {
        (Some(path), _) => Observations::load(path, scenario),
        (None, Some(text)) => Observations::from_toml(text, "given facts", scenario),
        (None, None) => return Ok(None),
    };
    checked(py, loaded).map(Some)
}

/// Compare scenarios on common random numbers, as `backchannel compare`:
/// the first is the baseline and `given_path` or `given_toml` (checked
/// against it) restricts the runs compared; with `out`, its files written
/// into that folder as `backchannel compare --out` writes them. Returns
/// comparison.json's, comparison.csv's and manifest.json's texts.
#[pyfunction]
#[pyo3(signature = (scenarios, settings, given_path=None, given_toml=None, progress=None, out=None))]
fn compare(
    py: Python<'_>,
    scenarios: Vec<Bound<'_, PyScenario>>,
    settings: Settings,
    given_path: Option<&str>,
    given_toml: Option<&str>,
    progress: Option<Bound<'_, PyAny>>,
    out: Option<PathBuf>,
) -> PyResult<(String, String, String)> {
    let scenarios: Vec<&backchannel::Scenario> = scenarios.iter().map(|s| &s.get().inner).collect();
    let given = match scenarios.first() {
        Some(baseline) => observations(py, baseline, given_path, given_toml)?,
        None => None,
    };
    let results = supervise(py, progress.as_ref(), |cancel, done| {
        let mut comparison = shared!(Comparison::new(&scenarios), settings, cancel, done);
        if let Some(runs) = settings.runs {
            comparison = comparison.runs(runs);
        }
        if let Some(eps) = settings.precision {
            comparison = comparison.precision(eps);
        }
        if let Some(observations) = &given {
            comparison = comparison.given(observations);
        }
        match &out {
            Some(dir) => comparison.write_to(dir),
            None => comparison.run(),
        }
    })?;
    let csv = utf8(results.comparison.to_csv())?;
    Ok((
        results.comparison.to_json(),
        csv,
        results.manifest.to_json(),
    ))
}

/// Sweep a scenario over one or two `KEY=LO..HI:STEPS` ranges, as
/// `backchannel sweep` (with `out`, into that folder as `--out` writes
/// it). Returns sweep.csv's and manifest.json's texts.
#[pyfunction]
#[pyo3(signature = (scenario, varies, settings, progress=None, out=None))]
fn sweep(
    py: Python<'_>,
    scenario: &Bound<'_, PyScenario>,
    varies: Vec<String>,
    settings: Settings,
    progress: Option<Bound<'_, PyAny>>,
    out: Option<PathBuf>,
) -> PyResult<(String, String)> {
    let scenario = &scenario.get().inner;
    let results = supervise(py, progress.as_ref(), |cancel, done| {
        let mut sweep = shared!(Sweep::new(scenario), settings, cancel, done);
        for vary in varies {
            sweep = sweep.vary(vary);
        }
        if let Some(runs) = settings.runs {
            sweep = sweep.runs(runs);
        }
        match &out {
            Some(dir) => sweep.write_to(dir),
            None => sweep.run(),
        }
    })?;
    Ok((utf8(results.table.to_csv())?, results.manifest.to_json()))
}

/// A back-test of the cases (scenario files with a `[record]`) in `dir`, as
/// `backchannel backtest` (with `out`, into that folder as `--out` writes
/// it). Returns backtest.json's, backtest.csv's and manifest.json's texts.
#[pyfunction]
#[pyo3(signature = (dir, settings, progress=None, out=None))]
fn backtest(
    py: Python<'_>,
    dir: PathBuf,
    settings: Settings,
    progress: Option<Bound<'_, PyAny>>,
    out: Option<PathBuf>,
) -> PyResult<(String, String, String)> {
    let results = supervise(py, progress.as_ref(), |cancel, done| {
        let mut backtest = shared!(Backtest::new(&dir), settings, cancel, done);
        if let Some(runs) = settings.runs {
            backtest = backtest.runs(runs);
        }
        match &out {
            Some(dir) => backtest.write_to(dir),
            None => backtest.run(),
        }
    })?;
    let report = &results.report;
    Ok((
        report.to_json(),
        utf8(report.to_csv())?,
        results.manifest.to_json(),
    ))
}

/// A sensitivity analysis over `KEY=LO..HI` ranges (none: the judged
/// inputs), as `backchannel sensitivity` (with `out`, into that folder as
/// `--out` writes it); `method` is `sobol` or `oat`. Returns
/// sensitivity.json's, sensitivity.csv's and manifest.json's texts.
#[pyfunction]
#[pyo3(signature = (scenario, varies, method, samples, settings, progress=None, out=None))]
#[allow(clippy::too_many_arguments)]
fn sensitivity(
    py: Python<'_>,
    scenario: &Bound<'_, PyScenario>,
    varies: Vec<String>,
    method: &str,
    samples: Option<usize>,
    settings: Settings,
    progress: Option<Bound<'_, PyAny>>,
    out: Option<PathBuf>,
) -> PyResult<(String, String, String)> {
    let scenario = &scenario.get().inner;
    let method = match method {
        "sobol" => Method::Sobol,
        "oat" => Method::Oat,
        other => {
            return Err(PyValueError::new_err(format!(
                "method {other:?} is not one of \"sobol\", \"oat\""
            )));
        }
    };
    let results = supervise(py, progress.as_ref(), |cancel, done| {
        let mut analysis = shared!(Sensitivity::new(scenario), settings, cancel, done);
        analysis = analysis.method(method);
        for vary in varies {
            analysis = analysis.vary(vary);
        }
        if let Some(runs) = settings.runs {
            analysis = analysis.runs(runs);
        }
        if let Some(samples) = samples {
            analysis = analysis.samples(samples);
        }
        match &out {
            Some(dir) => analysis.write_to(dir),
            None => analysis.run(),
        }
    })?;
    let report = &results.report;
    Ok((
        report.to_json(),
        utf8(report.to_csv())?,
        results.manifest.to_json(),
    ))
}

/// A file's path in a study's results and its text.
type NamedText = (String, String);

/// A calibration of the file at `path`, as `backchannel calibrate`
/// (`settings.worlds`: worlds per generation; with `out`, into that folder
/// as `--out` writes it). Returns calibration.json's text, each calibrated
/// scenario's path and text, and manifest.json's text.
#[pyfunction]
#[pyo3(signature = (path, settings, runs_per_world=None, min_ess=None, max_generations=None, progress=None, out=None))]
#[allow(clippy::too_many_arguments)]
fn calibrate(
    py: Python<'_>,
    path: &str,
    settings: Settings,
    runs_per_world: Option<u64>,
    min_ess: Option<u64>,
    max_generations: Option<u64>,
    progress: Option<Bound<'_, PyAny>>,
    out: Option<PathBuf>,
) -> PyResult<(String, Vec<NamedText>, String)> {
    let file = checked(py, CalibrationFile::load(path))?;
    let results = supervise(py, progress.as_ref(), |cancel, done| {
        let calibration = shared!(Calibration::new(&file), settings, cancel, done)
            .runs_per_world(runs_per_world)
            .min_ess(min_ess)
            .max_generations(max_generations);
        match &out {
            Some(dir) => calibration.write_to(dir),
            None => calibration.run(),
        }
    })?;
    Ok((
        results.calibration.to_json(),
        results
            .scenarios
            .into_iter()
            .map(|scenario| (scenario.path, scenario.text))
            .collect(),
        results.manifest.to_json(),
    ))
}

/// Replay run `run` (with observations, the `run`-th run consistent with
/// them), as `backchannel trace`. Returns the text lines and the JSON
/// Lines (`--json`), the outcome last.
#[pyfunction]
#[pyo3(signature = (scenario, run, settings, given_path=None, given_toml=None, progress=None))]
fn trace(
    py: Python<'_>,
    scenario: &Bound<'_, PyScenario>,
    run: u64,
    settings: Settings,
    given_path: Option<&str>,
    given_toml: Option<&str>,
    progress: Option<Bound<'_, PyAny>>,
) -> PyResult<(Vec<String>, Vec<String>)> {
    let scenario = &scenario.get().inner;
    let given = observations(py, scenario, given_path, given_toml)?;
    let replay = supervise(py, progress.as_ref(), |cancel, done| {
        let mut trace = shared!(Trace::new(scenario, run), settings, cancel, done);
        if let Some(observations) = &given {
            trace = trace.given(observations);
        }
        trace.run()
    })?;
    Ok((replay.text_lines(), replay.json_lines()))
}

/// A CSV the library wrote, as text (it writes UTF-8 only).
fn utf8(bytes: Vec<u8>) -> PyResult<String> {
    String::from_utf8(bytes).map_err(|e| PyRuntimeError::new_err(format!("CSV is not UTF-8: {e}")))
}

/// How often the calling thread looks at Ctrl-C and reports progress while
/// a study runs: well inside the 2 s a user waits for Ctrl-C to act.
const POLL: Duration = Duration::from_millis(100);

/// Run `work` on a worker thread with the GIL released, while this thread
/// checks for signals (Ctrl-C raises the cancel flag, the study stops
/// between runs, and the signal's exception is raised) and calls
/// `progress(runs_done)` as the count moves.
fn supervise<T: Send>(
    py: Python<'_>,
    progress: Option<&Bound<'_, PyAny>>,
    work: impl FnOnce(&AtomicBool, &AtomicU64) -> backchannel::Result<T> + Send,
) -> PyResult<T> {
    let cancel = AtomicBool::new(false);
    let done = AtomicU64::new(0);
    let finished = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let worker = scope.spawn(|| {
            let result = work(&cancel, &done);
            finished.store(true, Ordering::Release);
            result
        });
        let mut reported = None;
        let stop = loop {
            let over = py.detach(|| wait_for(&finished, POLL));
            let count = done.load(Ordering::Relaxed);
            let reported_now = match progress {
                Some(callback) if reported != Some(count) => callback.call1((count,)).map(|_| ()),
                _ => Ok(()),
            };
            reported = Some(count);
            if let Err(e) = py.check_signals().and(reported_now) {
                break Some(e);
            }
            if over {
                break None;
            }
        };
        if stop.is_some() {
            cancel.store(true, Ordering::Relaxed);
        }
        let result = py.detach(|| worker.join());
        match (stop, result) {
            (Some(e), _) => Err(e),
            (None, Ok(result)) => result.map_err(|e| to_py(py, e)),
            (None, Err(_)) => Err(PyRuntimeError::new_err("the study's thread panicked")),
        }
    })
}

/// Sleep until `flag` is raised or `limit` has passed; whether it was.
fn wait_for(flag: &AtomicBool, limit: Duration) -> bool {
    let start = Instant::now();
    while !flag.load(Ordering::Acquire) {
        if start.elapsed() >= limit {
            return false;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    true
}

/// What a discovery asks, beyond the settings every study shares: the
/// command line's `discover` flags, as the package passes them.
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
struct DiscoverAsk {
    threshold: f64,
    below: bool,
    /// `p>=P` or `p<=P`, as `--case` takes it.
    case: Option<String>,
    step: Option<usize>,
    paste: bool,
    keep_all: bool,
    /// `monte-carlo` or `latin`, as `--sampling` takes it.
    sampling: String,
}

/// Scenario discovery of `outcome` over the scenario's judged inputs, as
/// `backchannel discover` runs it; with `out`, its files written into that
/// folder (`Discovery::write_to`). Returns discover.json's, discover.csv's,
/// worlds.csv's and manifest.json's texts and the one-screen summary.
#[pyfunction]
#[pyo3(signature = (scenario, outcome, ask, settings, progress=None, out=None))]
fn discover(
    py: Python<'_>,
    scenario: &Bound<'_, PyScenario>,
    outcome: &str,
    ask: DiscoverAsk,
    settings: Settings,
    progress: Option<Bound<'_, PyAny>>,
    out: Option<PathBuf>,
) -> PyResult<(String, String, String, String, String)> {
    let scenario = &scenario.get().inner;
    let case = ask
        .case
        .as_deref()
        .map(str::parse::<Case>)
        .transpose()
        .map_err(|e| PyValueError::new_err(format!("case: {e}")))?;
    let sampling = match ask.sampling.as_str() {
        "monte-carlo" => Sampling::MonteCarlo,
        "latin" => Sampling::Latin,
        other => {
            return Err(PyValueError::new_err(format!(
                "sampling: expected \"monte-carlo\" or \"latin\", found {other:?}"
            )));
        }
    };
    let results = supervise(py, progress.as_ref(), |cancel, done| {
        let study = shared!(Discovery::new(scenario, outcome), settings, cancel, done)
            .threshold(ask.threshold)
            .below(ask.below)
            .case(case)
            .step(ask.step)
            .paste(ask.paste)
            .keep_all(ask.keep_all)
            .sampling(sampling)
            .runs(settings.runs);
        match &out {
            Some(dir) => study.write_to(dir),
            None => study.run(),
        }
    })?;
    Ok((
        results.to_json(),
        utf8(results.to_csv())?,
        results.worlds_csv.clone(),
        results.manifest.to_json(),
        results.text().to_string(),
    ))
}

/// A Python value as the typed value a scenario key is set to: a bool
/// (before an int, which a bool also is), an int, a float, a str, a list or
/// tuple of values, a mapping of values (a distribution such as
/// `{"uniform": [0.2, 0.6]}`), or a scalar that gives one of these by
/// `.item()` (numpy's, as EMA Workbench and SALib hand them). A number that
/// is not finite is refused by the library, with the key.
fn set_value(key: &str, value: &Bound<'_, PyAny>) -> PyResult<SetValue> {
    if let Ok(truth) = value.cast::<PyBool>() {
        return Ok(SetValue::Bool(truth.is_true()));
    }
    if value.is_instance_of::<PyInt>() {
        return value.extract::<i64>().map(SetValue::Integer).map_err(|_| {
            PyValueError::new_err(format!(
                "{key}: expected a whole number from -2^63 to 2^63 - 1, found {value}"
            ))
        });
    }
    if let Ok(number) = value.cast::<PyFloat>() {
        return Ok(SetValue::Float(number.value()));
    }
    if value.is_instance_of::<PyString>() {
        return value.extract().map(SetValue::Text);
    }
    if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() {
        return value
            .try_iter()?
            .map(|item| set_value(key, &item?))
            .collect::<PyResult<_>>()
            .map(SetValue::List);
    }
    if let Ok(mapping) = value.cast::<PyMapping>() {
        return mapping
            .items()?
            .iter()
            .map(|entry| {
                let (name, item): (Bound<'_, PyAny>, Bound<'_, PyAny>) = entry.extract()?;
                Ok(SetEntry::new(
                    name.str()?.to_string(),
                    set_value(key, &item)?,
                ))
            })
            .collect::<PyResult<_>>()
            .map(SetValue::Table);
    }
    let scalar = value
        .getattr("item")
        .and_then(|item| item.call0())
        .ok()
        .filter(|plain| !plain.is(value) && !plain.hasattr("item").unwrap_or(true));
    match scalar {
        Some(plain) => set_value(key, &plain),
        None => Err(PyTypeError::new_err(format!(
            "{key}: cannot write {} {} as a scenario value; expected a bool, an int, \
             a float, a str, a list of them or a dict (a distribution, e.g. \
             {{\"uniform\": [0.2, 0.6]}})",
            value.get_type().name()?,
            value.repr()?
        ))),
    }
}

/// A library result as a Python one.
fn checked<T>(py: Python<'_>, result: backchannel::Result<T>) -> PyResult<T> {
    result.map_err(|e| to_py(py, e))
}

/// A loaded scenario, or the exception for its problems.
fn wrap(
    py: Python<'_>,
    scenario: backchannel::Result<backchannel::Scenario>,
) -> PyResult<PyScenario> {
    checked(py, scenario).map(|inner| PyScenario { inner })
}

/// The Python exception for a library error: bad input is a
/// `ScenarioError` carrying its diagnostics (a study's setting named as
/// the keyword argument it is, see [`in_python`]), an interruption a
/// `KeyboardInterrupt`, anything else a `RuntimeError`.
fn to_py(py: Python<'_>, error: Error) -> PyErr {
    match error {
        Error::Input(diagnostics) => {
            let error = Error::Input(diagnostics.into_iter().map(in_python).collect());
            let Error::Input(diagnostics) = &error else {
                unreachable!("built as an input error just above")
            };
            scenario_error(py, &error, diagnostics).unwrap_or_else(|e| e)
        }
        Error::Interrupted => PyKeyboardInterrupt::new_err(error.to_string()),
        // `Error::Failure`, and any kind the library adds (`Error` is
        // non-exhaustive).
        _ => PyRuntimeError::new_err(error.to_string()),
    }
}

/// A diagnostic in the words of the Python call: each study setting it
/// names (see `backchannel::error::setting`) is the keyword argument it
/// is, the key `runs_per_world` and, in the message and help,
/// `worlds=100` or `worlds=`. The package checks each setting's own range
/// first ([`SETTING_LIMITS`]); what reaches this is a limit between
/// settings, such as runs too few for the worlds.
fn in_python(diagnostic: backchannel::Diagnostic) -> backchannel::Diagnostic {
    diagnostic.in_words(&ArgumentWords)
}

/// The library's study settings as Python keyword arguments.
struct ArgumentWords;

impl SettingWords for ArgumentWords {
    fn key(&self, name: &str) -> String {
        name.to_string()
    }

    fn text(&self, name: &str, value: Option<&str>) -> String {
        match (name, value) {
            (backchannel::error::VALUES, Some(assignment)) => python_values(assignment),
            (backchannel::error::VALUES, None) => name.to_string(),
            _ => format!("{name}={}", value.unwrap_or("")),
        }
    }
}

/// `KEY=VALUE` as the Python call that sets it: `with_values({"KEY": VALUE})`,
/// a value that is not a number or a truth value quoted (as the package's
/// `with_values` takes a string).
fn python_values(assignment: &str) -> String {
    let (key, value) = assignment.split_once('=').unwrap_or((assignment, ""));
    let value = match value {
        "true" => "True".to_string(),
        "false" => "False".to_string(),
        v if v.parse::<f64>().is_ok() => v.to_string(),
        v => format!("{v:?}"),
    };
    format!("with_values({{{key:?}: {value}}})")
}

/// [`SETTING_LIMITS`] as the package reads it: `{study: {setting: (lowest,
/// highest)}}`.
fn setting_limits(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    let limits = PyDict::new(py);
    for &backchannel::SettingLimit {
        study,
        setting,
        lowest,
        highest,
        ..
    } in SETTING_LIMITS
    {
        let settings = match limits.get_item(study)? {
            Some(settings) => settings.cast_into::<PyDict>()?,
            None => {
                let settings = PyDict::new(py);
                limits.set_item(study, &settings)?;
                settings
            }
        };
        settings.set_item(setting, (lowest, highest))?;
    }
    Ok(limits)
}

/// A `ScenarioError` whose message is the command line's text and whose
/// attributes locate each problem.
fn scenario_error(
    py: Python<'_>,
    error: &Error,
    diagnostics: &[backchannel::Diagnostic],
) -> PyResult<PyErr> {
    let err = ScenarioError::new_err(error.to_string());
    let value = err.value(py);
    let located: Vec<Bound<'_, PyDict>> = diagnostics
        .iter()
        .map(|d| diagnostic_dict(py, d))
        .collect::<PyResult<_>>()?;
    let first = located.first().cloned().unwrap_or_else(|| PyDict::new(py));
    for attribute in ["file", "line", "column", "key", "help", "problem"] {
        value.setattr(attribute, first.get_item(attribute)?)?;
    }
    value.setattr("diagnostics", located)?;
    Ok(err)
}

fn diagnostic_dict<'py>(
    py: Python<'py>,
    diagnostic: &backchannel::Diagnostic,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    let (line, column) = diagnostic
        .line_column()
        .map(|at| (at.line, at.column))
        .unzip();
    d.set_item("file", &diagnostic.origin)?;
    d.set_item("line", line)?;
    d.set_item("column", column)?;
    d.set_item("key", &diagnostic.key)?;
    d.set_item("help", &diagnostic.help)?;
    d.set_item("problem", &diagnostic.message)?;
    Ok(d)
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyScenario>()?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(compare, m)?)?;
    m.add_function(wrap_pyfunction!(sweep, m)?)?;
    m.add_function(wrap_pyfunction!(backtest, m)?)?;
    m.add_function(wrap_pyfunction!(sensitivity, m)?)?;
    m.add_function(wrap_pyfunction!(trace, m)?)?;
    m.add_function(wrap_pyfunction!(calibrate, m)?)?;
    m.add_function(wrap_pyfunction!(discover, m)?)?;
    m.add("ScenarioError", m.py().get_type::<ScenarioError>())?;
    m.add("LIMITS", setting_limits(m.py())?)?;
    Ok(())
}

//! Publishing: the one module that names a study's files and writes them.
//!
//! A study's output directory is made before the study runs ([`Output`],
//! from the builder's `output`), so a target that must not be replaced is
//! refused before any work; the study then runs, and its results are
//! published into it: written into a temporary sibling, listed in
//! `manifest.json`, renamed into place in one step and entered in the
//! folder's index (docs/OUTPUTS.md). Every command ends here — `run` and
//! `merge` ([`Output::study`]), a shard ([`Output::shard`]), every
//! experiment ([`Output::experiment`], with the files each results type
//! lists in `files.rs`) and a calibration ([`Output::calibration`]) — and
//! so does [`Study::write_to`] for a library user.

mod experiment;
mod files;
mod study;

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::time::Instant;

use experiment::publish_experiment;
pub use experiment::{ExperimentFiles, ExperimentPage, ExperimentTable};
pub use files::SHOWN;

use crate::error::{Error, Result};
use crate::output::manifest::Manifest;
use crate::output::stopping::Stop;
use crate::output::words::CommandLineWords;
use crate::output::writer::{Committed, Destination, OutputDir};
use crate::study::{
    Backtest, Calibration, CalibrationResults, CalibrationShardResults, CompareMergeResults,
    CompareShardResults, Comparison, DesignMergeResults, DesignShardResults, Discovery,
    FoldedGeneration, Identity, Indicators, MergeResults, MergedDesign, Method, Sensitivity,
    ShardResults, SlicedShardResults, Study, StudyResults, Sweep,
};
use crate::study::{BacktestMergeResults, DiscoverMergeResults, IndicatorsMergeResults};
use crate::study::{folded_path, shard_path};

/// Where a study's files go, and how: what `--out`, `--replace` and
/// `--no-plots` say on the command line.
#[derive(Debug, Clone)]
pub struct OutputOptions {
    /// The directory (`None`: `output/` and the study's default name, as
    /// the command line names it).
    pub out: Option<PathBuf>,
    /// Whether the results of a different study there may be replaced
    /// (the same study's earlier results always may).
    pub replace: bool,
    /// Whether to write the plots and the page.
    pub plots: bool,
}

impl OutputOptions {
    /// Into `dir`, with plots, replacing nothing but this study's own
    /// earlier results: what every `write_to` writes.
    pub(crate) fn in_dir(dir: &Path) -> OutputOptions {
        OutputOptions {
            out: Some(dir.to_path_buf()),
            ..OutputOptions::default()
        }
    }
}

impl Default for OutputOptions {
    fn default() -> Self {
        OutputOptions {
            out: None,
            replace: false,
            plots: true,
        }
    }
}

/// A study's output directory, made and checked before the study runs.
/// Dropped unpublished, it leaves nothing behind.
#[derive(Debug)]
pub struct Output<'a> {
    dir: OutputDir<'a>,
    plots: bool,
    started: Instant,
    /// Files written while the study ran (`runs.csv`).
    written: Vec<String>,
}

/// Where published results are, and what the user should hear about it.
#[derive(Debug)]
#[non_exhaustive]
pub struct Published {
    /// The directory the results are in.
    pub path: PathBuf,
    /// One line on what the results replaced there, if they replaced any,
    /// in the command line's words (`--replace`), as the screen shows it.
    pub replaced: Option<String>,
    /// Anything else worth saying: previous results kept aside because
    /// something unknown appeared among them, the folder's index of
    /// studies not updated.
    pub notes: Vec<String>,
}

impl From<Committed> for Published {
    fn from(committed: Committed) -> Published {
        Published {
            replaced: committed
                .replaced_note()
                .map(|note| note.in_words(&CommandLineWords)),
            path: committed.path,
            notes: committed.notes,
        }
    }
}

impl<'a> Output<'a> {
    /// The directory of the study `identity` names, under `options` and
    /// `stop`; refused as bad input if it holds anything this study may not
    /// replace.
    fn create(identity: &Identity, options: &OutputOptions, stop: Stop<'a>) -> Result<Output<'a>> {
        let path = options
            .out
            .clone()
            .unwrap_or_else(|| Path::new("output").join(identity.key.dir_name(&identity.base)));
        let dir = OutputDir::create(
            &Destination {
                path: &path,
                study: &identity.key,
                replace: options.replace,
                inputs: &identity.inputs,
            },
            stop,
        )?;
        Ok(Output {
            dir,
            plots: options.plots,
            started: Instant::now(),
            written: Vec::new(),
        })
    }

    /// The directory the results will be published as.
    pub fn path(&self) -> &Path {
        self.dir.target()
    }

    /// Count `manifest.json`'s `wall_seconds` from `started` (when the
    /// command began) rather than from when this directory was made.
    pub fn timed_from(mut self, started: Instant) -> Self {
        self.started = started;
        self
    }

    /// `runs.csv`, opened in the directory being written, for a study to
    /// stream its runs into ([`Study::runs_csv`]).
    pub fn runs_csv(&mut self) -> Result<BufWriter<File>> {
        let path = self.dir.temp_path().join("runs.csv");
        let file = File::create(&path)
            .map_err(|e| Error::failed(format!("cannot write {}", path.display()), e))?;
        self.written.push("runs.csv".into());
        Ok(BufWriter::new(file))
    }

    /// Publish a forecast (`run`, `merge`): `summary.json`, `summary.csv`,
    /// `worlds.csv` for judged inputs, the plots and `report.html`, and
    /// `runs.csv` if the study streamed it here.
    pub fn study(self, results: &mut StudyResults) -> Result<Published> {
        let already: Vec<&str> = self.written.iter().map(String::as_str).collect();
        study::publish(self.dir, results, &already, self.plots, self.started).map(Published::from)
    }

    /// Publish one shard of a study: `partial.json`, for `merge`.
    pub fn shard(self, results: &ShardResults) -> Result<Published> {
        self.partial(results.to_json(), &results.manifest)
    }

    /// Publish one shard of a sweep or sensitivity analysis:
    /// `partial.json`, for `merge`.
    pub fn design_shard(self, results: &DesignShardResults) -> Result<Published> {
        self.partial(results.to_json(), &results.manifest)
    }

    /// Publish one shard of a comparison: `partial.json`, for `merge`.
    pub fn compare_shard(self, results: &CompareShardResults) -> Result<Published> {
        self.partial(results.to_json(), &results.manifest)
    }

    /// Publish one shard of `indicators`, `discover` or `backtest`:
    /// `partial.json`, for `merge`.
    pub fn sliced_shard(self, results: &SlicedShardResults) -> Result<Published> {
        self.partial(results.to_json(), &results.manifest)
    }

    /// Publish one shard of a calibration's generation: `partial.json`,
    /// for [`Calibration::fold_generation`].
    pub fn calibration_shard(self, results: &CalibrationShardResults) -> Result<Published> {
        self.partial(results.to_json(), &results.manifest)
    }

    /// Publish a calibration's generation folded from its shards:
    /// `counts.json`, which the next generation starts from.
    pub fn folded_generation(self, folded: &FoldedGeneration) -> Result<Published> {
        self.counts("counts.json", folded.to_json(), &folded.manifest)
    }

    /// Publish a shard's `partial.json` (text `json`) and its `manifest`.
    fn partial(self, json: String, manifest: &Manifest) -> Result<Published> {
        self.counts("partial.json", json, manifest)
    }

    /// Publish counts to be added up elsewhere, `name` (text `json`), and
    /// their `manifest`.
    fn counts(self, name: &str, json: String, manifest: &Manifest) -> Result<Published> {
        self.dir.write(name, json.as_bytes())?;
        let mut manifest = manifest.clone();
        // A shard has no page: the folder's index of studies is left alone.
        // With `--save-runs`, `runs.csv` was streamed here too.
        let mut files = vec![name.to_string()];
        files.extend(self.written);
        study::commit_files(self.dir, files, &mut manifest, self.started).map(Published::from)
    }

    /// Publish an experiment's `files` (its tables; its charts and page
    /// unless plots are off).
    pub fn experiment(self, files: ExperimentFiles<'_>) -> Result<Published> {
        publish_experiment(self.dir, files, self.plots, self.started).map(Published::from)
    }

    /// Publish a calibration: `calibration.json`, the calibrated scenario
    /// files and, unless plots are off, its charts and `calibration.html`.
    pub fn calibration(self, results: &CalibrationResults) -> Result<Published> {
        files::publish_calibration(self.dir, results, self.plots, self.started).map(Published::from)
    }
}

/// `output` for every builder that holds a `Control` (its progress
/// callback, cancel flag and watch): its directory, made under the
/// builder's cancel flag and watch.
macro_rules! output_of {
    ($($builder:ident),*) => {$(
        impl<'a> $builder<'a> {
            /// This study's output directory under `options`, made now and
            /// checked (refused as bad input if it holds anything this
            /// study may not replace), before the study runs.
            pub fn output(&self, options: &OutputOptions) -> Result<Output<'a>> {
                Output::create(&self.identity(), options, self.stop())
            }
        }
    )*};
}

output_of!(
    Study,
    Comparison,
    Sweep,
    Sensitivity,
    Indicators,
    Discovery,
    Backtest
);

impl<'a> Calibration<'a> {
    /// This calibration's output directory under `options`, made now and
    /// checked, before it runs.
    pub fn output(&self, options: &OutputOptions) -> Result<Output<'a>> {
        Output::create(&self.identity()?, options, self.stop())
    }

    /// The output directory of shard `index` of `count` of generation
    /// `generation` in the generation directory `dir`
    /// (`generation-G/shard-I`), made now and checked; with `replace`, a
    /// different study's results there may be replaced.
    pub fn generation_shard_output(
        &self,
        dir: &Path,
        generation: u64,
        index: u64,
        count: u64,
        replace: bool,
    ) -> Result<Output<'a>> {
        let mut identity = self.identity()?;
        identity.key = identity
            .key
            .with(
                "generation",
                generation.to_string(),
                format!("g{generation}"),
            )
            .with(
                "shard",
                format!("{index}/{count}"),
                format!("{index}-of-{count}"),
            );
        let options = OutputOptions {
            out: Some(shard_path(dir, generation, index)),
            replace,
            plots: false,
        };
        Output::create(&identity, &options, self.stop())
    }

    /// The output directory of generation `generation`'s folded counts in
    /// the generation directory `dir` (`generation-G/folded`), made now
    /// and checked.
    pub fn folded_output(&self, dir: &Path, generation: u64) -> Result<Output<'a>> {
        let mut identity = self.identity()?;
        identity.key = identity.key.with(
            "generation",
            generation.to_string(),
            format!("g{generation}"),
        );
        let options = OutputOptions {
            out: Some(folded_path(dir, generation)),
            replace: false,
            plots: false,
        };
        Output::create(&identity, &options, self.stop())
    }
}

/// `shard_output` for every builder that shards: the output directory of
/// one shard, named and keyed by the study and the shard.
macro_rules! shard_output_of {
    ($($builder:ident),*) => {$(
        impl<'a> $builder<'a> {
            /// The output directory of shard `index` of `count` of this
            /// study (`--shard I/N`), made now and checked, before it runs.
            pub fn shard_output(
                &self,
                index: u64,
                count: u64,
                options: &OutputOptions,
            ) -> Result<Output<'a>> {
                let mut identity = self.identity();
                identity.key = identity.key.with(
                    "shard",
                    format!("{index}/{count}"),
                    format!("{index}-of-{count}"),
                );
                Output::create(&identity, options, self.stop())
            }
        }
    )*};
}

shard_output_of!(
    Study,
    Comparison,
    Sweep,
    Sensitivity,
    Indicators,
    Discovery,
    Backtest
);

impl<'a> Study<'a> {
    /// Run the study and write its files into `dir`, as `backchannel run
    /// --out DIR` does (docs/OUTPUTS.md): `summary.json`, `summary.csv`,
    /// `worlds.csv` for judged inputs, the plots, `report.html` and
    /// `manifest.json`, built in a temporary directory beside `dir` and
    /// renamed into place only when complete. `dir` must be new, or hold
    /// this same study's earlier results (which are then replaced); a
    /// directory holding anything else, another study's results included,
    /// is refused and left as it was.
    pub fn write_to(self, dir: impl AsRef<Path>) -> Result<StudyResults> {
        let out = self.output(&OutputOptions::in_dir(dir.as_ref()))?;
        let mut results = self.run()?;
        results.notes = out.study(&mut results)?.notes;
        Ok(results)
    }
}

impl DesignMergeResults {
    /// The output directory of the study these merged `shards` make up
    /// (where its own command writes it), under `options` and `stop`; it
    /// must not hold the shards read.
    pub fn output<'a>(
        &self,
        shards: &[String],
        options: &OutputOptions,
        stop: Stop<'a>,
    ) -> Result<Output<'a>> {
        Output::create(&self.identity(shards), options, stop)
    }

    /// The study's tables, charts and page, as its own command writes them.
    pub fn files(&self) -> ExperimentFiles<'_> {
        match &self.merged {
            MergedDesign::Sweep(r) => r.files(&self.scenario, &self.varies),
            MergedDesign::Sensitivity(r) => r.files(
                &self.scenario,
                &self.varies,
                self.method().unwrap_or(Method::Sobol),
            ),
        }
    }
}

impl CompareMergeResults {
    /// The output directory of the comparison these merged `shards` make
    /// up (where `compare` writes it), under `options` and `stop`; it
    /// must not hold the shards read.
    pub fn output<'a>(
        &self,
        shards: &[String],
        options: &OutputOptions,
        stop: Stop<'a>,
    ) -> Result<Output<'a>> {
        Output::create(&self.identity(shards), options, stop)
    }
}

impl MergeResults {
    /// The output directory of the `run` these merged `shards` make up,
    /// under `options` and `stop`; it must not hold the shards read.
    pub fn output<'a>(
        &self,
        shards: &[String],
        options: &OutputOptions,
        stop: Stop<'a>,
    ) -> Result<Output<'a>> {
        Output::create(&self.identity(shards), options, stop)
    }
}

/// The output directory of a merged study made by `identity`, whose
/// directory must not hold the `shards` read.
fn merged_output<'a>(
    mut identity: Identity,
    shards: &[String],
    options: &OutputOptions,
    stop: Stop<'a>,
) -> Result<Output<'a>> {
    identity.inputs = shards.iter().map(PathBuf::from).collect();
    Output::create(&identity, options, stop)
}

impl IndicatorsMergeResults {
    /// The output directory of the study these merged `shards` make up
    /// (where `indicators` writes it), under `options` and `stop`; it must
    /// not hold the shards read.
    pub fn output<'a>(
        &self,
        shards: &[String],
        options: &OutputOptions,
        stop: Stop<'a>,
    ) -> Result<Output<'a>> {
        let study = Indicators::new(&self.scenario, self.at)
            .seed(self.seed)
            .worlds(self.worlds);
        merged_output(study.identity(), shards, options, stop)
    }

    /// The study's tables, charts and page, as `indicators` writes them.
    pub fn files(&self) -> ExperimentFiles<'_> {
        self.results.files(&self.scenario, None)
    }
}

impl DiscoverMergeResults {
    /// The output directory of the discovery these merged `shards` make up
    /// (where `discover` writes it), under `options` and `stop`; it must
    /// not hold the shards read.
    pub fn output<'a>(
        &self,
        shards: &[String],
        options: &OutputOptions,
        stop: Stop<'a>,
    ) -> Result<Output<'a>> {
        merged_output(self.discovery()?.identity(), shards, options, stop)
    }

    /// The discovery's tables, charts and page, as `discover` writes them.
    pub fn files(&self) -> ExperimentFiles<'_> {
        self.results.files(&self.scenario)
    }
}

impl BacktestMergeResults {
    /// The output directory of the back-test these merged `shards` make up
    /// (where `backtest` writes it), under `options` and `stop`; it must
    /// not hold the shards read.
    pub fn output<'a>(
        &self,
        shards: &[String],
        options: &OutputOptions,
        stop: Stop<'a>,
    ) -> Result<Output<'a>> {
        merged_output(self.backtest().identity(), shards, options, stop)
    }

    /// The back-test's tables, chart and page, as `backtest` writes them.
    pub fn files(&self) -> ExperimentFiles<'_> {
        self.results.files(self.backtest().command())
    }
}

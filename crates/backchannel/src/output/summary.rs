//! `summary.json` (docs/OUTPUTS.md): every probability with its Wilson 95 %
//! interval. Key names and order are the contract.

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use crate::engine::conditioning::Conditioning;
use crate::engine::metrics::{CHANNEL_CONTINUED, ESCALATION};
use crate::engine::{Labels, Tally};
pub(crate) use crate::engine::labels::Cause;
use crate::scenario::LoadedScenario;
use crate::stats::{Proportion, Z95, wilson};

/// `summary.json`'s `schema`: its format and version.
pub const SCHEMA: &str = "backchannel.summary.v1";

/// A JSON object whose keys keep the order they were added in: read it
/// as a map ([`Ordered::get`], [`Ordered::iter`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Ordered<V>(
    /// Each key with its value, in the order `summary.json` writes them.
    pub(crate) Vec<(String, V)>,
);

impl<V: Serialize> Serialize for Ordered<V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

impl<V> Ordered<V> {
    /// The value under `key`, if any.
    pub fn get(&self, key: &str) -> Option<&V> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Each key with its value, in the order `summary.json` writes them,
    /// as a map's iterator gives them.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &V)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// How many keys there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no keys.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Which scenario a study ran: `summary.json`'s `scenario`.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[non_exhaustive]
pub struct ScenarioId {
    /// `[scenario] name`.
    pub name: String,
    /// Hex SHA-256 of the scenario text studied (after any `--set`).
    pub sha256: String,
    /// The `--set` changes the study ran with (absent when none), so a
    /// published summary cannot pass for the unchanged scenario's.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<String>,
}

impl ScenarioId {
    /// "muscat-2026", or "muscat-2026 with format.mode=direct" when the
    /// study changed the scenario with `--set`.
    pub fn display(&self) -> String {
        crate::scenario::load::display_name(&self.name, &self.overrides)
    }
}

/// P(channel not broken by the end of a round), with its 95 % interval.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[non_exhaustive]
pub struct SurvivalPoint {
    /// The round, from 1.
    pub round: u32,
    /// The estimate.
    pub p: f64,
    /// Lower end of the 95 % interval.
    pub lo: f64,
    /// Upper end of the 95 % interval.
    pub hi: f64,
}

/// The channel's state at the end of one round: shares of all runs, which
/// add up to 1 (a broken or concluded run stays so).
#[derive(Debug, Clone, Serialize, PartialEq)]
#[non_exhaustive]
pub struct ChannelPoint {
    /// The round (0: before the first).
    pub round: u32,
    /// Share of runs with the channel active.
    pub active: f64,
    /// Share of runs with the channel suspended.
    pub suspended: f64,
    /// Share of runs with the channel broken.
    pub broken: f64,
    /// Share of runs with the talks concluded.
    pub concluded: f64,
}

/// The forecast before the news, of a conditional study: every run tried,
/// accepted or not (runs `0..runs` of the seed, unconditioned).
#[derive(Debug, Clone, Serialize, PartialEq)]
#[non_exhaustive]
pub struct Prior {
    /// Runs tried.
    pub runs: u64,
    /// P(channel continued) over every run tried.
    pub channel_continued: Proportion,
    /// P(escalation) over every run tried.
    pub escalation: Proportion,
    /// P(each deal level) over every run tried, keyed as the summary's.
    pub deal: Ordered<Proportion>,
    /// P(each state of the channel at the horizon) over every run tried.
    pub channel: Ordered<Proportion>,
    /// Survival over every run tried.
    pub survival: Vec<SurvivalPoint>,
    /// The last round any observation speaks of: "now".
    pub observed_through: u32,
}

impl Prior {
    /// The prior of a study whose runs tried are counted in `tried`, with
    /// observations up to round `observed_through`.
    pub(crate) fn new(tried: &Tally, observed_through: u32) -> Prior {
        let p = |count: u64| wilson(count, tried.runs, Z95);
        Prior {
            runs: tried.runs,
            channel_continued: p(tried.continued()),
            escalation: p(tried.escalation),
            deal: Ordered(Labels::deals(tried).map(|(d, c)| (d.into(), p(c))).collect()),
            channel: Ordered(Labels::channels(tried).map(|(ch, c)| (ch.into(), p(c))).collect()),
            survival: survival(tried),
            observed_through,
        }
    }

    /// The headline probabilities before the news, keyed as
    /// [`Summary::headline`]'s.
    pub fn headline(&self) -> Vec<Headline> {
        headline(self.channel_continued, self.escalation, &self.deal, &self.channel)
    }
}

/// One headline probability and its name in `summary.csv`
/// (`channel_continued`, `deal.partial`, `channel.broken`, …).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Headline {
    /// The metric's name, as `summary.csv` names it.
    pub metric: String,
    /// Its probability, with the study's interval.
    pub value: Proportion,
}

impl Headline {
    fn new(metric: String, value: Proportion) -> Headline {
        Headline { metric, value }
    }
}

/// The headline probabilities, named as in `summary.csv`.
fn headline(
    continued: Proportion,
    escalation: Proportion,
    deal: &Ordered<Proportion>,
    channel: &Ordered<Proportion>,
) -> Vec<Headline> {
    let mut rows = vec![
        Headline::new(CHANNEL_CONTINUED.to_string(), continued),
        Headline::new(ESCALATION.to_string(), escalation),
    ];
    rows.extend(deal.0.iter().map(|(k, p)| Headline::new(format!("deal.{k}"), *p)));
    rows.extend(channel.0.iter().map(|(k, p)| Headline::new(format!("channel.{k}"), *p)));
    rows
}

/// When the first agreement on any issue came.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[non_exhaustive]
pub struct FirstAgreement {
    /// Runs with at least one agreement.
    pub runs: u64,
    /// Mean round of the first agreement over those runs (null if none).
    pub mean: Option<f64>,
    /// `[round, count]` for rounds 1..=T.
    pub histogram: Vec<[u64; 2]>,
    /// For rounds 1..=T in order, the share of all runs whose first
    /// agreement came in that round, with its 95 % interval.
    pub by_round: Vec<Proportion>,
    /// The share of all runs that never agreed on any issue.
    pub never: Proportion,
}

/// What became of one issue.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[non_exhaustive]
pub struct IssueOutcome {
    /// P(the negotiators agreed on it).
    pub agreed: Proportion,
    /// P(both sides' ratifiers approved the agreement).
    pub ratified: Proportion,
    /// P(a ratifier rejected the agreement).
    pub rejected: Proportion,
}

/// What one spoiler did, per run.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[non_exhaustive]
pub struct SpoilerActivity {
    /// Mean number of rounds in which it acted.
    pub activations_mean: f64,
    /// Mean number of its actions that hit the talks.
    pub successes_mean: f64,
}

/// The whole `summary.json`.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[non_exhaustive]
pub struct Summary {
    /// `backchannel.summary.v1`: the format and its version.
    pub schema: &'static str,
    /// The scenario studied.
    pub scenario: ScenarioId,
    /// The seed of every random stream.
    pub seed: u64,
    /// Runs summarised (under observations: the runs consistent with them).
    pub runs: u64,
    /// Present when `merge --partial` merged only some shards: every
    /// probability below is then over the runs merged, not the study's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partial: Option<PartialMerge>,
    /// Rounds per run (`[scenario] horizon`).
    pub horizon: u32,
    /// What a round is, in words (`[scenario] round_label`).
    pub round_label: String,
    /// P(the channel is not broken at the horizon).
    pub channel_continued: Proportion,
    /// P(the talks ended in escalation).
    pub escalation: Proportion,
    /// P(each deal level): `comprehensive`, `partial`, `none`.
    pub deal: Ordered<Proportion>,
    /// P(each state of the channel at the horizon).
    pub channel: Ordered<Proportion>,
    /// P(the channel broke for each cause), by cause key.
    pub causes: Ordered<Proportion>,
    /// P(channel not broken) at the end of each round.
    pub survival: Vec<SurvivalPoint>,
    /// The channel's state after each round `0..=horizon`.
    pub channel_by_round: Vec<ChannelPoint>,
    /// For each cause (keyed as `causes`), the share of all runs it has
    /// broken by the end of each round `0..=horizon`: its cumulative
    /// incidence, with Wilson intervals.
    pub breaks_by_round: Ordered<Vec<SurvivalPoint>>,
    /// When the first agreement came.
    pub first_agreement_round: FirstAgreement,
    /// What became of each issue, by issue id.
    pub issues: Ordered<IssueOutcome>,
    /// What each spoiler did, by spoiler id.
    pub spoilers: Ordered<SpoilerActivity>,
    /// Mean walkouts per run.
    pub walkouts_mean: f64,
    /// Mean leaks of an indirect channel per run.
    pub leaks_mean: f64,
    /// Present when the forecast is conditioned on observations (`--given`):
    /// every probability above is then over the accepted runs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conditioning: Option<Conditioning>,
    /// With `conditioning`: the forecast before the news.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prior: Option<Prior>,
    /// Present when some input is judged (a distribution): the spread of
    /// the headline probabilities across worlds, and each input's draws.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uncertainty: Option<super::uncertainty::Uncertainty>,
    /// Whether some issue has scope comprehensive. When none has, the deal
    /// level `comprehensive` (the JSON key is a contract) means every issue
    /// ratified, and every human-facing place calls it "complete".
    #[serde(skip)]
    pub comprehensive_issues: bool,
    /// The tally's cause of each entry of `causes` and `breaks_by_round`,
    /// in their order: what their intervals by world are counted from.
    #[serde(skip)]
    pub(crate) cause_order: Vec<Cause>,
}

/// What a partial merge (`merge --partial`) left out.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[non_exhaustive]
pub struct PartialMerge {
    /// The runs of the whole study the shards are of.
    pub study_runs: u64,
    /// The runs no shard merged, described (`runs 3334..6667 (shards 1/3
    /// of ...)`).
    pub missing: String,
}

/// The display name of deal level `key`, `comprehensive` named `complete`
/// when the scenario has no comprehensive issue.
pub fn deal_label(key: &str, comprehensive_issues: bool) -> &'static str {
    match key {
        "comprehensive" if comprehensive_issues => "comprehensive",
        "comprehensive" => "complete",
        "partial" => "partial",
        _ => "none",
    }
}

/// Who the summary is about.
#[derive(Debug, Clone)]
pub struct StudyId {
    /// `[scenario] name`.
    pub name: String,
    /// Hex SHA-256 of the scenario text studied.
    pub sha256: String,
    /// The `--set` changes, in order.
    pub overrides: Vec<String>,
    /// The study's master seed.
    pub seed: u64,
    /// What one round is (`month`, `week`, ...).
    pub round_label: String,
}

impl StudyId {
    /// The study of `loaded` with `seed`.
    pub fn new(loaded: &LoadedScenario, seed: u64) -> StudyId {
        let meta = &loaded.scenario.scenario;
        StudyId {
            name: meta.name.clone(),
            sha256: loaded.sha256.clone(),
            overrides: loaded.overrides.clone(),
            seed,
            round_label: meta.round_label.clone(),
        }
    }
}

impl Summary {
    /// The summary of `tally`, a study of `study` whose outcomes `labels`
    /// names. Hidden: it takes the engine's types, which only this
    /// project's own tests name (through the `internals` feature); a
    /// library user gets a summary from a study.
    #[doc(hidden)]
    pub fn new(labels: &Labels, study: &StudyId, tally: &Tally) -> Summary {
        let n = tally.runs;
        let p = |count: u64| wilson(count, n, Z95);
        let mean = |total: u64| if n == 0 { 0.0 } else { total as f64 / n as f64 };
        let deal = Labels::deals(tally)
            .map(|(d, c)| (d.to_string(), p(c)))
            .collect();
        let channel = Labels::channels(tally)
            .map(|(ch, c)| (ch.to_string(), p(c)))
            .collect();
        let causes = labels
            .causes(tally)
            .map(|(name, c)| (name.to_string(), p(c)))
            .collect();
        let breaks_by_round = labels
            .causes_by_round(tally)
            .map(|(name, by_round)| (name.to_string(), cumulative(by_round, n)))
            .collect();
        let issues = labels
            .issues
            .iter()
            .enumerate()
            .map(|(j, id)| {
                let outcome = IssueOutcome {
                    agreed: p(tally.issue_agreed[j]),
                    ratified: p(tally.issue_ratified[j]),
                    rejected: p(tally.issue_rejected[j]),
                };
                (id.clone(), outcome)
            })
            .collect();
        let spoilers = labels
            .spoilers
            .iter()
            .enumerate()
            .map(|(k, id)| {
                let activity = SpoilerActivity {
                    activations_mean: mean(tally.spoiler_activations[k]),
                    successes_mean: mean(tally.spoiler_successes[k]),
                };
                (id.clone(), activity)
            })
            .collect();
        Summary {
            schema: SCHEMA,
            scenario: ScenarioId {
                name: study.name.clone(),
                sha256: study.sha256.clone(),
                overrides: study.overrides.clone(),
            },
            seed: study.seed,
            runs: n,
            partial: None,
            horizon: labels.horizon,
            round_label: study.round_label.clone(),
            channel_continued: p(tally.continued()),
            escalation: p(tally.escalation),
            deal: Ordered(deal),
            channel: Ordered(channel),
            causes: Ordered(causes),
            survival: survival(tally),
            channel_by_round: channel_by_round(tally),
            breaks_by_round: Ordered(breaks_by_round),
            first_agreement_round: first_agreement(tally),
            issues: Ordered(issues),
            spoilers: Ordered(spoilers),
            walkouts_mean: mean(tally.walkouts),
            leaks_mean: mean(tally.leaks),
            conditioning: None,
            prior: None,
            uncertainty: None,
            comprehensive_issues: labels.comprehensive_issues,
            cause_order: labels.cause_order(),
        }
    }

    /// The display name of deal level `key` (`comprehensive`, `partial`,
    /// `none`): `complete` for `comprehensive` when no issue is
    /// comprehensive, since the deal is then every issue ratified.
    pub fn deal_label(&self, key: &str) -> &'static str {
        deal_label(key, self.comprehensive_issues)
    }

    /// The headline probabilities, named as in `summary.csv`: the channel,
    /// escalation, and the distributions of deals and channel states.
    pub fn headline(&self) -> Vec<Headline> {
        headline(
            self.channel_continued,
            self.escalation,
            &self.deal,
            &self.channel,
        )
    }

    /// The JSON text, pretty-printed, ending in a newline.
    pub fn to_json(&self) -> String {
        super::pretty_json(self)
    }
}

/// S(t) for t = 0..=horizon with Wilson intervals.
fn survival(tally: &Tally) -> Vec<SurvivalPoint> {
    let counts = tally.surviving();
    points(counts.into_iter(), tally.runs)
}

/// Each round's count as a share of `runs`, with its Wilson interval.
fn points(counts: impl Iterator<Item = u64>, runs: u64) -> Vec<SurvivalPoint> {
    counts
        .enumerate()
        .map(|(round, count)| {
            let w = wilson(count, runs, Z95);
            SurvivalPoint {
                round: round as u32,
                p: w.p,
                lo: w.lo,
                hi: w.hi,
            }
        })
        .collect()
}

/// The share of `runs` broken by the end of each round, from the breaks in
/// each round (`in_round[0]` is 0).
fn cumulative(in_round: &[u64], runs: u64) -> Vec<SurvivalPoint> {
    let totals = in_round.iter().scan(0u64, |sum, &c| {
        *sum += c;
        Some(*sum)
    });
    points(totals, runs)
}

/// The channel's state after each round: broken and concluded runs stay
/// so, suspended ones are counted round by round, the rest are active.
fn channel_by_round(tally: &Tally) -> Vec<ChannelPoint> {
    let share = |count: u64| {
        if tally.runs == 0 {
            0.0
        } else {
            count as f64 / tally.runs as f64
        }
    };
    let (mut broken, mut concluded) = (0u64, 0u64);
    (0..tally.broken_in_round.len())
        .map(|t| {
            broken += tally.broken_in_round[t];
            concluded += tally.concluded_in_round[t];
            let suspended = tally.suspended_in_round[t];
            let active = tally.runs - broken - concluded - suspended;
            ChannelPoint {
                round: t as u32,
                active: share(active),
                suspended: share(suspended),
                broken: share(broken),
                concluded: share(concluded),
            }
        })
        .collect()
}

fn first_agreement(tally: &Tally) -> FirstAgreement {
    let histogram: Vec<[u64; 2]> = tally
        .first_agreement
        .iter()
        .enumerate()
        .skip(1)
        .map(|(round, &count)| [round as u64, count])
        .collect();
    let runs: u64 = histogram.iter().map(|[_, count]| count).sum();
    let weighted: u64 = histogram.iter().map(|[round, count]| round * count).sum();
    let by_round = histogram
        .iter()
        .map(|&[_, count]| wilson(count, tally.runs, Z95))
        .collect();
    FirstAgreement {
        runs,
        mean: (runs > 0).then(|| weighted as f64 / runs as f64),
        histogram,
        by_round,
        never: wilson(tally.runs - runs, tally.runs, Z95),
    }
}

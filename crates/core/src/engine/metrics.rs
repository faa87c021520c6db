//! Per-run metrics shared across scenarios, for paired comparison: each is
//! an integer a run produces (0/1 for an event, a count for walkouts and
//! leaks), named exactly like the rows of `summary.csv`.
//!
//! Scenarios of one comparison may differ in spoilers, shocks, issues or
//! horizon: the metric list is the union of theirs, and a metric a scenario
//! lacks (a spoiler it does not have) is 0 in every one of its runs.

use crate::model::{Cause, Channel, Deal, IssueStatus, Model, RunState};

/// The name of [`Metric::ChannelContinued`], the headline outcome: the
/// channel not broken at the horizon.
pub const CHANNEL_CONTINUED: &str = "channel_continued";

/// The name of [`Metric::Escalation`].
pub const ESCALATION: &str = "escalation";

/// The outcome every study leads with (a forecast's precision, a
/// comparison's headline difference, the first chart of each page).
pub const HEADLINE: &str = CHANNEL_CONTINUED;

/// What a metric measures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Metric {
    ChannelContinued,
    Escalation,
    Deal(Deal),
    Channel(Channel),
    /// Broken by this cause (`shock:<id>` / `spoiler:<id>`).
    Cause(String),
    IssueAgreed(String),
    IssueRatified(String),
    IssueRejected(String),
    /// Not broken after this round.
    Survival(u32),
    Walkouts,
    Leaks,
}

impl Metric {
    /// The metric's name, as in `summary.csv`.
    pub fn name(&self) -> String {
        match self {
            Metric::ChannelContinued => CHANNEL_CONTINUED.into(),
            Metric::Escalation => ESCALATION.into(),
            Metric::Deal(d) => format!("deal.{}", d.as_str()),
            Metric::Channel(c) => format!("channel.{}", c.as_str()),
            Metric::Cause(c) => format!("causes.{c}"),
            Metric::IssueAgreed(i) => format!("issues.{i}.agreed"),
            Metric::IssueRatified(i) => format!("issues.{i}.ratified"),
            Metric::IssueRejected(i) => format!("issues.{i}.rejected"),
            Metric::Survival(t) => format!("survival.{t}"),
            Metric::Walkouts => "walkouts_mean".into(),
            Metric::Leaks => "leaks_mean".into(),
        }
    }

    /// Whether every run gives 0 or 1 (a probability), else a count (a mean).
    pub fn is_event(&self) -> bool {
        !matches!(self, Metric::Walkouts | Metric::Leaks)
    }
}

/// The metrics of one or more scenarios, in summary order, without repeats.
pub fn metrics_of(models: &[&Model]) -> Vec<Metric> {
    let mut metrics = vec![Metric::ChannelContinued, Metric::Escalation];
    metrics.extend(Deal::ALL.map(Metric::Deal));
    metrics.extend(Channel::ALL.map(Metric::Channel));
    let mut push = |metric: Metric| {
        if !metrics.contains(&metric) {
            metrics.push(metric);
        }
    };
    for model in models {
        for cause in model.possible_causes() {
            push(Metric::Cause(model.cause_name(cause)));
        }
    }
    for model in models {
        for issue in &model.issues {
            push(Metric::IssueAgreed(issue.id.clone()));
            push(Metric::IssueRatified(issue.id.clone()));
            push(Metric::IssueRejected(issue.id.clone()));
        }
    }
    let horizon = models.iter().map(|m| m.horizon).max().unwrap_or(0);
    for t in 0..=horizon {
        push(Metric::Survival(t));
    }
    push(Metric::Walkouts);
    push(Metric::Leaks);
    metrics
}

/// A metric bound to one model: ids resolved to indices once, so reading
/// a run costs no string comparison.
#[derive(Debug, Clone, Copy)]
enum Bound {
    ChannelContinued,
    Escalation,
    Deal(Deal),
    Channel(Channel),
    Cause(Option<Cause>),
    Issue(Option<usize>, IssueStatus),
    IssueAgreed(Option<usize>),
    Survival(u32),
    Walkouts,
    Leaks,
}

/// The metrics bound to one model.
#[derive(Debug, Clone)]
pub struct BoundMetrics(Vec<Bound>);

impl BoundMetrics {
    pub fn new(metrics: &[Metric], model: &Model) -> BoundMetrics {
        let issue = |id: &str| model.issues.iter().position(|i| i.id == id);
        let bound = metrics
            .iter()
            .map(|metric| match metric {
                Metric::ChannelContinued => Bound::ChannelContinued,
                Metric::Escalation => Bound::Escalation,
                Metric::Deal(d) => Bound::Deal(*d),
                Metric::Channel(c) => Bound::Channel(*c),
                Metric::Cause(name) => Bound::Cause(
                    model
                        .possible_causes()
                        .into_iter()
                        .find(|&c| &model.cause_name(c) == name),
                ),
                Metric::IssueAgreed(id) => Bound::IssueAgreed(issue(id)),
                Metric::IssueRatified(id) => Bound::Issue(issue(id), IssueStatus::Ratified),
                Metric::IssueRejected(id) => Bound::Issue(issue(id), IssueStatus::Rejected),
                Metric::Survival(t) => Bound::Survival(*t),
                Metric::Walkouts => Bound::Walkouts,
                Metric::Leaks => Bound::Leaks,
            })
            .collect();
        BoundMetrics(bound)
    }

    /// Each metric's value for the finished run in `state`, into `out`.
    pub fn read(&self, state: &RunState, out: &mut [i64]) {
        for (value, bound) in out.iter_mut().zip(&self.0) {
            *value = match *bound {
                Bound::ChannelContinued => i64::from(state.channel != Channel::Broken),
                Bound::Escalation => i64::from(state.escalation),
                Bound::Deal(d) => i64::from(state.deal() == d),
                Bound::Channel(c) => i64::from(state.channel == c),
                Bound::Cause(cause) => i64::from(cause.is_some() && state.cause == cause),
                Bound::Issue(j, status) => {
                    i64::from(j.is_some_and(|j| state.issues[j].status == status))
                }
                Bound::IssueAgreed(j) => {
                    i64::from(j.is_some_and(|j| state.issues[j].agreed_round.is_some()))
                }
                Bound::Survival(t) => i64::from(state.broken_round.is_none_or(|b| b > t)),
                Bound::Walkouts => i64::from(state.walkouts),
                Bound::Leaks => i64::from(state.leaks),
            };
        }
    }
}

//! The outcomes a calibration target may observe: every headline
//! probability `summary.json` reports, keyed as `summary.csv` keys them,
//! and `calm` (docs/CALIBRATION.md, "Outcomes").

use crate::engine::metrics::{CHANNEL_CONTINUED, ESCALATION};
use crate::engine::tally::WorldTally;
use crate::error::Diagnostic;
use crate::model::{Channel, Deal};
use crate::scenario::problem::did_you_mean;

/// One outcome of a run: what a target counts.
#[derive(Debug, Clone, Copy)]
pub struct Outcome {
    /// Its key, as the calibration file names it.
    pub key: &'static str,
    /// What happens in a run that counts, in words.
    pub words: &'static str,
    count: fn(&WorldTally) -> u64,
}

/// Every outcome, in the order docs/CALIBRATION.md lists them.
pub const OUTCOMES: [Outcome; 10] = [
    Outcome {
        key: CHANNEL_CONTINUED,
        words: "the channel is not broken at the horizon",
        count: |w| w.runs - w.channel[channel(Channel::Broken)],
    },
    Outcome {
        key: ESCALATION,
        words: "the talks end in escalation",
        count: |w| w.escalation,
    },
    Outcome {
        key: "deal.none",
        words: "no issue is ratified",
        count: |w| w.deal[deal(Deal::None)],
    },
    Outcome {
        key: "deal.partial",
        words: "some but not every issue is ratified",
        count: |w| w.deal[deal(Deal::Partial)],
    },
    Outcome {
        key: "deal.comprehensive",
        words: "every issue is ratified",
        count: |w| w.deal[deal(Deal::Comprehensive)],
    },
    Outcome {
        key: "channel.active",
        words: "the channel is active at the horizon",
        count: |w| w.channel[channel(Channel::Active)],
    },
    Outcome {
        key: "channel.suspended",
        words: "the channel ends suspended",
        count: |w| w.channel[channel(Channel::Suspended)],
    },
    Outcome {
        key: "channel.concluded",
        words: "the talks conclude",
        count: |w| w.channel[channel(Channel::Concluded)],
    },
    Outcome {
        key: "channel.broken",
        words: "the channel breaks",
        count: |w| w.channel[channel(Channel::Broken)],
    },
    Outcome {
        key: "calm",
        words: "no escalation, no relapse and the channel not broken at the horizon",
        count: |w| w.calm,
    },
];

impl Outcome {
    /// The outcome named `written`, or a diagnostic listing them (with the
    /// nearest name when there is one).
    pub fn parse(written: &str) -> Result<Outcome, Diagnostic> {
        OUTCOMES
            .iter()
            .find(|o| o.key == written)
            .copied()
            .ok_or_else(|| {
                let keys = OUTCOMES.iter().map(|o| o.key);
                let mut help = String::new();
                if let Some(near) = did_you_mean(written, keys.clone()) {
                    help.push_str(&format!("did you mean `{near}`? "));
                }
                help.push_str(&format!(
                    "outcomes: {}",
                    keys.collect::<Vec<_>>().join(", ")
                ));
                Diagnostic::new(format!("unknown outcome {written:?}")).help(help)
            })
    }

    /// Runs of world `w` in which the outcome happened.
    pub fn count(&self, w: &WorldTally) -> u64 {
        (self.count)(w)
    }
}

fn channel(c: Channel) -> usize {
    Channel::ALL
        .iter()
        .position(|&x| x == c)
        .expect("every state is listed")
}

fn deal(d: Deal) -> usize {
    Deal::ALL
        .iter()
        .position(|&x| x == d)
        .expect("every deal is listed")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_misspelt_outcome_is_refused_with_the_nearest_name() {
        let d = Outcome::parse("deal.comprehensiv").unwrap_err();
        assert!(d.render().contains("did you mean `deal.comprehensive`?"));
        assert_eq!(Outcome::parse("calm").unwrap().key, "calm");
    }
}

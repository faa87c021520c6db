//! What happens inside a round, for those who want to watch (`trace`). The
//! engine's batch runs use [`NoObserver`], which compiles to nothing.

use super::RunState;
use crate::scenario::{ShockEffect, SpoilerAction};

/// One thing that happened in a round.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Domestic {
        party: usize,
        event: usize,
        fired: bool,
    },
    Shock {
        shock: usize,
        effect: ShockEffect,
    },
    Spoiler {
        spoiler: usize,
        action: SpoilerAction,
        success: bool,
    },
    Leak {
        forced: bool,
    },
    Walkout {
        party: usize,
        through: u32,
    },
    Offers {
        issue: usize,
        demands: [f64; 2],
        gap: f64,
    },
    Agreement {
        issue: usize,
        shares: [f64; 2],
        seal_round: u32,
    },
    Vote {
        issue: usize,
        party: usize,
        share: f64,
        noise: f64,
        hurdle: f64,
        yes: bool,
    },
    Sealed {
        issue: usize,
        ratified: bool,
    },
    /// The mediator kept breaking shock `shock` from ending the channel.
    Contained {
        shock: usize,
    },
    /// A leak revealed the secret channel.
    Revealed,
    /// A deal reached with leverage relapsed into crisis.
    Relapse,
}

/// Receives every event of a run, and the state at the end of each round.
pub trait Observer {
    fn event(&mut self, round: u32, event: Event);
    fn round_end(&mut self, state: &RunState);
}

/// Watches nothing: the batch engine's observer.
pub struct NoObserver;

impl Observer for NoObserver {
    #[inline(always)]
    fn event(&mut self, _: u32, _: Event) {}
    #[inline(always)]
    fn round_end(&mut self, _: &RunState) {}
}

/// Keeps every event, for the model's tests.
#[cfg(test)]
#[derive(Debug, Default)]
pub struct EventLog(pub Vec<(u32, Event)>);

#[cfg(test)]
impl Observer for EventLog {
    fn event(&mut self, round: u32, event: Event) {
        self.0.push((round, event));
    }
    fn round_end(&mut self, _: &RunState) {}
}

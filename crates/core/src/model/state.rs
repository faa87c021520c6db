//! The state of one run (docs/MODEL.md, "State of a run") and its final
//! outcome ("Outcomes").

use super::Model;

/// The channel between the parties.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Active,
    Suspended,
    Broken,
    Concluded,
}

impl Channel {
    pub const ALL: [Channel; 4] = [
        Channel::Concluded,
        Channel::Active,
        Channel::Suspended,
        Channel::Broken,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Active => "active",
            Channel::Suspended => "suspended",
            Channel::Broken => "broken",
            Channel::Concluded => "concluded",
        }
    }

    /// Broken and concluded runs end: nothing happens after.
    pub fn is_final(self) -> bool {
        matches!(self, Channel::Broken | Channel::Concluded)
    }
}

/// What became of one issue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssueStatus {
    Open,
    /// Agreed, waiting for its seal round.
    Pending,
    Ratified,
    Rejected,
}

impl IssueStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            IssueStatus::Open => "open",
            IssueStatus::Pending => "pending",
            IssueStatus::Ratified => "ratified",
            IssueStatus::Rejected => "rejected",
        }
    }
}

/// The deal a run ends with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deal {
    Comprehensive,
    Partial,
    None,
}

impl Deal {
    pub const ALL: [Deal; 3] = [Deal::Comprehensive, Deal::Partial, Deal::None];

    pub fn as_str(self) -> &'static str {
        match self {
            Deal::Comprehensive => "comprehensive",
            Deal::Partial => "partial",
            Deal::None => "none",
        }
    }
}

/// Who broke the channel: a shock or a spoiler, by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    Shock(usize),
    Spoiler(usize),
}

/// One issue's state within a run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IssueState {
    pub status: IssueStatus,
    /// Round of agreement, when the issue was agreed.
    pub agreed_round: Option<u32>,
    /// Round at which a pending issue goes to the ratifiers.
    pub seal_round: u32,
    /// `s_Aj, s_Bj`: each party's share of the agreement.
    pub shares: [f64; 2],
    /// Gap at the first round with offers, and at the latest.
    pub first_gap: Option<f64>,
    pub last_gap: f64,
}

impl IssueState {
    const OPEN: IssueState = IssueState {
        status: IssueStatus::Open,
        agreed_round: None,
        seal_round: 0,
        shares: [0.0; 2],
        first_gap: None,
        last_gap: 0.0,
    };
}

/// Everything a run carries from round to round. Reused across runs with
/// [`RunState::reset`] so the hot loop does not allocate.
#[derive(Debug, Clone)]
pub struct RunState {
    /// The last round played.
    pub round: u32,
    pub channel: Channel,
    /// Last round of the current suspension (0: none).
    pub suspended_through: u32,
    pub escalation: bool,
    pub cause: Option<Cause>,
    pub broken_round: Option<u32>,
    /// `theta_i`
    pub threshold: Vec<f64>,
    pub trust: Vec<f64>,
    pub issues: Vec<IssueState>,
    pub progress: f64,
    pub first_agreement_round: Option<u32>,
    pub spoiler_activations: Vec<u32>,
    pub spoiler_successes: Vec<u32>,
    pub walkouts: u32,
    pub leaks: u32,
    /// Breaking shocks the mediator contained.
    pub contained: u32,
    /// A leak has revealed the channel.
    pub revealed: bool,
    /// A deal reached with leverage relapsed into crisis.
    pub relapsed: bool,
    /// The rounds at whose end the channel was suspended, in order (for
    /// the channel's state by round).
    pub suspended_rounds: Vec<u32>,
}

impl RunState {
    pub fn new(model: &Model) -> RunState {
        let mut state = RunState {
            round: 0,
            channel: Channel::Active,
            suspended_through: 0,
            escalation: false,
            cause: None,
            broken_round: None,
            threshold: Vec::new(),
            trust: Vec::new(),
            issues: Vec::new(),
            progress: 0.0,
            first_agreement_round: None,
            spoiler_activations: Vec::new(),
            spoiler_successes: Vec::new(),
            walkouts: 0,
            leaks: 0,
            contained: 0,
            revealed: false,
            relapsed: false,
            suspended_rounds: Vec::new(),
        };
        state.reset(model);
        state
    }

    /// Back to the state before round 1, keeping allocations.
    pub fn reset(&mut self, model: &Model) {
        self.round = 0;
        self.channel = Channel::Active;
        self.suspended_through = 0;
        self.escalation = false;
        self.cause = None;
        self.broken_round = None;
        self.threshold.clear();
        self.threshold
            .extend(model.parties.iter().map(|p| p.threshold));
        self.trust.clear();
        self.trust
            .extend(model.parties.iter().map(|p| p.initial_trust));
        self.issues.clear();
        self.issues.resize(model.issues.len(), IssueState::OPEN);
        self.progress = 0.0;
        self.first_agreement_round = None;
        self.spoiler_activations.clear();
        self.spoiler_activations.resize(model.spoilers.len(), 0);
        self.spoiler_successes.clear();
        self.spoiler_successes.resize(model.spoilers.len(), 0);
        self.walkouts = 0;
        self.leaks = 0;
        self.contained = 0;
        self.revealed = false;
        self.relapsed = false;
        self.suspended_rounds.clear();
    }

    /// End the run: broken in round `round` by `cause`.
    pub fn break_channel(&mut self, round: u32, cause: Cause, escalation: bool) {
        self.channel = Channel::Broken;
        self.cause = Some(cause);
        self.broken_round = Some(round);
        self.escalation |= escalation;
    }

    /// Suspend the channel through round `last` (extends, never shortens).
    pub fn suspend_through(&mut self, last: u32) {
        self.suspended_through = self.suspended_through.max(last);
        if !self.channel.is_final() {
            self.channel = Channel::Suspended;
        }
    }

    /// The deal this run has reached so far.
    pub fn deal(&self) -> Deal {
        if self.channel == Channel::Concluded {
            Deal::Comprehensive
        } else if self
            .issues
            .iter()
            .any(|i| i.status == IssueStatus::Ratified)
        {
            Deal::Partial
        } else {
            Deal::None
        }
    }
}

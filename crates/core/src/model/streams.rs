//! Where the model's random numbers come from: every draw is addressed by
//! (stream, round, slot). A stream belongs to one mechanism and one entity
//! (a party, a shock, a spoiler, a party's position on an issue); its draws
//! for round `t` sit at slots `0..mechanism.slots_per_round()` of that round
//! whether or not earlier draws happened. So a walkout in one scenario never
//! shifts the offers of another: common random numbers hold by construction.

use std::fmt;

use crate::stats::{normal_quantile, normal_quantile_pair};

/// The kinds of random decision; with an entity id they name a stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mechanism {
    DomesticEvent,
    Drift,
    Shock,
    Spoiler,
    Leak,
    Walkout,
    Offer,
    Ratification,
    Containment,
    Relapse,
}

impl Mechanism {
    /// Draws reserved per round: a spoiler draws activation, action and
    /// success; every other mechanism one value. Slots are packed densely so
    /// a whole run of one stream usually fits in one ChaCha buffer.
    pub fn slots_per_round(self) -> u32 {
        match self {
            Mechanism::Spoiler => 3,
            _ => 1,
        }
    }

    /// The stable name hashed into the stream key: never rename these.
    pub fn key_name(self) -> &'static str {
        match self {
            Mechanism::DomesticEvent => "domestic-event",
            Mechanism::Drift => "drift",
            Mechanism::Shock => "shock",
            Mechanism::Spoiler => "spoiler",
            Mechanism::Leak => "leak",
            Mechanism::Walkout => "walkout",
            Mechanism::Offer => "offer",
            Mechanism::Ratification => "ratification",
            Mechanism::Containment => "containment",
            Mechanism::Relapse => "relapse",
        }
    }
}

/// A stream's identity: mechanism and entity id (`iran`, `iran/nuclear`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamId {
    pub mechanism: Mechanism,
    pub entity: String,
}

impl fmt::Display for StreamId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.mechanism.key_name(), self.entity)
    }
}

/// Source of the model's randomness: 64 random bits at a fixed place.
pub trait Randomness {
    fn bits(&mut self, stream: usize, round: u32, slot: u32) -> u64;
}

/// A uniform draw in [0, 1) with 53 random bits.
#[inline]
pub fn uniform(rng: &mut impl Randomness, stream: usize, round: u32, slot: u32) -> f64 {
    (rng.bits(stream, round, slot) >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// A uniform draw in the open interval (0, 1): 53 random bits, centred.
#[inline]
fn open_uniform(rng: &mut impl Randomness, stream: usize, round: u32, slot: u32) -> f64 {
    ((rng.bits(stream, round, slot) >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
}

/// A standard normal draw by inversion of one uniform in (0, 1).
#[inline]
pub fn normal(rng: &mut impl Randomness, stream: usize, round: u32, slot: u32) -> f64 {
    normal_quantile(open_uniform(rng, stream, round, slot))
}

/// Standard normal draws from two streams at once (the two parties'), each
/// with the bits [`normal`] would give; a `None` stream draws nothing and
/// gives 0. The pair's quantiles run side by side: measurably faster than
/// one after the other.
#[inline]
pub fn normal_pair(
    rng: &mut impl Randomness,
    streams: [Option<usize>; 2],
    round: u32,
    slot: u32,
) -> [f64; 2] {
    let open = streams.map(|stream| stream.map_or(0.5, |s| open_uniform(rng, s, round, slot)));
    normal_quantile_pair(open)
}

/// Index of every stream of a scenario, mechanism by mechanism. The engine
/// keys stream `i` by `ids[i]`, so indices may change between scenarios
/// while each entity's draws stay the same.
#[derive(Debug, Clone, Default)]
pub struct StreamLayout {
    pub ids: Vec<StreamId>,
    pub domestic_events: Vec<Vec<usize>>,
    pub drift: Vec<usize>,
    pub shocks: Vec<usize>,
    /// The mediator's containment of each shock.
    pub containment: Vec<usize>,
    pub relapse: usize,
    pub spoilers: Vec<usize>,
    pub leak: usize,
    pub walkout: Vec<usize>,
    /// `offers[party][issue]`
    pub offers: Vec<Vec<usize>>,
    /// `ratification[party][issue]`
    pub ratification: Vec<Vec<usize>>,
}

impl StreamLayout {
    pub fn add(&mut self, mechanism: Mechanism, entity: String) -> usize {
        self.ids.push(StreamId { mechanism, entity });
        self.ids.len() - 1
    }
}

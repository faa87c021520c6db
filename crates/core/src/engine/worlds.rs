//! Worlds: the judged inputs' uncertainty (docs/MODEL.md, "Judged inputs
//! and worlds"). A study of a scenario with distributions draws `W` worlds;
//! a world samples every distribution once and is compiled once, and run
//! `i` takes place in world `i mod W`. A scenario without distributions is
//! one world: exactly the study it always was.
//!
//! A world's draw of an input depends only on (seed, the input's key, the
//! world's index): one ChaCha8 stream per key, keyed by SHA-256 of a domain
//! tag, the seed and the key, with the world's index as the stream number.
//! Adding an input leaves the others' draws unchanged, and two scenarios
//! that share a judged key draw the same values for it (common random
//! numbers for `compare` and `sweep`).

use sha2::{Digest, Sha256};

use super::chacha::{self, Key};
use crate::error::{Diagnostic, Error, Result};
use crate::model::Model;
use crate::scenario::LoadedScenario;
use crate::scenario::judged::JudgedInput;
use crate::stats::Drawn;

/// Worlds a study draws unless told otherwise (`--worlds`): enough for the
/// 5th and 95th percentiles across worlds to rest on ten worlds each,
/// few enough that each world keeps hundreds of runs at default sizes.
pub const DEFAULT_WORLDS: u64 = 200;
/// The most worlds a study may draw: each is a compiled model in memory.
pub const MAX_WORLDS: u64 = 100_000;

/// Version tag hashed into every world key.
const WORLD_DOMAIN: &[u8] = b"backchannel/world/v1";

/// The worlds of one study: each world's draws and compiled model.
#[derive(Debug, Clone)]
pub struct Worlds {
    /// The judged inputs, in the scenario's order (empty: one fixed world).
    pub inputs: Vec<JudgedInput>,
    /// `values[w][i]`: world `w`'s draw of input `i`.
    pub values: Vec<Vec<Drawn>>,
    models: Vec<Model>,
}

impl Worlds {
    /// The one world of a scenario without judged inputs.
    pub fn fixed(model: Model) -> Worlds {
        Worlds {
            inputs: Vec::new(),
            values: vec![Vec::new()],
            models: vec![model],
        }
    }

    /// The worlds of `loaded` under `seed`: `count` worlds if it has judged
    /// inputs, else its one fixed world. A drawn combination the validator
    /// refuses (say, a reservation above the ideal) is an input error
    /// naming the world's values.
    pub fn draw(loaded: &LoadedScenario, seed: u64, count: u64) -> Result<Worlds> {
        if loaded.judged.is_empty() {
            return Ok(Worlds::fixed(Model::new(&loaded.scenario)));
        }
        let count = count.clamp(1, MAX_WORLDS);
        let prior = Prior::new(&loaded.judged, seed);
        Worlds::at(loaded, (0..count).map(|world| prior.world(world)).collect())
    }

    /// The worlds of `loaded` whose judged inputs take the values `values`
    /// (`values[w][i]`: world `w`'s value of input `i`, in the scenario's
    /// order): a sampler that chooses its own points, as a calibration
    /// does. `loaded` must have judged inputs.
    pub fn at(loaded: &LoadedScenario, values: Vec<Vec<Drawn>>) -> Result<Worlds> {
        let models = values
            .iter()
            .enumerate()
            .map(|(world, drawn)| {
                loaded
                    .world(drawn)
                    .map(|scenario| Model::new(&scenario))
                    .map_err(|problems| invalid_world(loaded, world as u64, drawn, &problems))
            })
            .collect::<Result<Vec<Model>>>()?;
        Ok(Worlds {
            inputs: loaded.judged.clone(),
            values,
            models,
        })
    }

    /// How many worlds.
    pub fn count(&self) -> usize {
        self.models.len()
    }

    /// Whether any input is uncertain.
    pub fn is_uncertain(&self) -> bool {
        !self.inputs.is_empty()
    }

    /// The world run `run` takes place in.
    #[inline]
    pub fn world_of(&self, run: u64) -> usize {
        (run % self.models.len() as u64) as usize
    }

    /// The model run `run` is simulated with.
    #[inline]
    pub fn model_of(&self, run: u64) -> &Model {
        &self.models[self.world_of(run)]
    }

    /// World `world`'s model.
    pub fn model(&self, world: usize) -> &Model {
        &self.models[world]
    }

    /// The model whose shape (issues, parties, spoilers, shocks, horizon)
    /// every world shares: judged inputs never change a shape.
    pub fn shape(&self) -> &Model {
        &self.models[0]
    }
}

/// The judged inputs' prior, drawn world by world: world `w`'s value of
/// each input is the quantile of a uniform taken from that input's own
/// stream at `w` (see the module's documentation). It is how
/// [`Worlds::draw`] samples, and a study that lays its worlds out itself
/// (scenario discovery's Monte Carlo sampling) asks it for the same
/// values.
#[derive(Debug, Clone)]
pub struct Prior<'a> {
    inputs: &'a [JudgedInput],
    keys: Vec<Key>,
}

impl<'a> Prior<'a> {
    /// The prior of `inputs` under `seed`.
    pub fn new(inputs: &'a [JudgedInput], seed: u64) -> Prior<'a> {
        let keys = inputs
            .iter()
            .map(|input| world_key(seed, &input.key))
            .collect();
        Prior { inputs, keys }
    }

    /// World `world`'s draw of every input, in the inputs' order.
    pub fn world(&self, world: u64) -> Vec<Drawn> {
        self.inputs
            .iter()
            .zip(&self.keys)
            .map(|(input, key)| input.distribution.quantile(uniform(key, world)))
            .collect()
    }
}

/// The ChaCha key of judged input `key`'s stream under `seed`.
fn world_key(seed: u64, key: &str) -> Key {
    let mut hasher = Sha256::new();
    hasher.update(WORLD_DOMAIN);
    hasher.update(seed.to_le_bytes());
    hasher.update(key.as_bytes());
    Key::from_bytes(&hasher.finalize().into())
}

/// World `world`'s uniform in `[0, 1)` for the input keyed `key`: the first
/// 64 bits of stream `world`, top 53 bits as a fraction.
fn uniform(key: &Key, world: u64) -> f64 {
    let block = chacha::block(key, 0, world);
    let bits = u64::from(block[0]) | (u64::from(block[1]) << 32);
    (bits >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

fn invalid_world(
    loaded: &LoadedScenario,
    world: u64,
    drawn: &[Drawn],
    problems: &[String],
) -> Error {
    let values: Vec<String> = loaded
        .judged
        .iter()
        .zip(drawn)
        .map(|(input, value)| format!("{} = {value}", input.key))
        .collect();
    Error::input(
        Diagnostic::new(format!(
            "world {world} draws a scenario that is not valid: {}",
            problems.join("; ")
        ))
        .origin(&loaded.source.origin)
        .help(format!(
            "its draws were {}; narrow the distributions so that every combination is valid",
            values.join(", ")
        )),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load;

    #[test]
    fn a_fixed_scenario_is_one_world() {
        let loaded = load("minimal", &[]).unwrap();
        let worlds = Worlds::draw(&loaded, 1, 200).unwrap();
        assert_eq!(worlds.count(), 1);
        assert!(!worlds.is_uncertain());
        assert_eq!(worlds.world_of(12345), 0);
    }

    #[test]
    fn draws_depend_on_seed_key_and_world_only() {
        let one = load(
            "muscat-2026",
            &["spoilers.israel.capability={uniform=[0.4,0.8]}".into()],
        )
        .unwrap();
        let two = load(
            "muscat-2026",
            &[
                "mediator.credibility={uniform=[0.5,0.9]}".into(),
                "spoilers.israel.capability={uniform=[0.4,0.8]}".into(),
            ],
        )
        .unwrap();
        let a = Worlds::draw(&one, 7, 50).unwrap();
        let b = Worlds::draw(&two, 7, 50).unwrap();
        let position = |w: &Worlds| {
            w.inputs
                .iter()
                .position(|i| i.key == "spoilers.israel.capability")
                .unwrap()
        };
        let (pa, pb) = (position(&a), position(&b));
        for world in 0..50 {
            assert_eq!(a.values[world][pa], b.values[world][pb]);
            let Drawn::Number(x) = a.values[world][pa] else {
                panic!("a number")
            };
            assert!((0.4..0.8).contains(&x));
        }
        let other_seed = Worlds::draw(&one, 8, 50).unwrap();
        assert_ne!(a.values, other_seed.values);
        assert_eq!(a.world_of(53), 3);
    }
}

//! Statistics every layer may use: Wilson intervals for proportions, the
//! normal quantile the model draws noise with, and PRIM, the box search of
//! scenario discovery.
//! A leaf module: it depends on nothing else in the crate.

mod normal;
pub mod prim;
mod wilson;

pub use normal::{normal_quantile, normal_quantile_pair};
pub use wilson::{Proportion, Z95, wilson};

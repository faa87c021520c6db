//! Statistics every layer may use: Wilson intervals for proportions and the
//! normal quantile the model draws noise with.
//! A leaf module: it depends on nothing else in the crate.

mod normal;
mod wilson;

pub use normal::{normal_quantile, normal_quantile_pair};
pub use wilson::{Proportion, Z95, wilson};

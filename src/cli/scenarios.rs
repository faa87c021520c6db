//! `backchannel scenarios`: the embedded scenarios, one line each.

use crate::console::outln;
use backchannel::error::Result;
use backchannel_core::scenario::{embedded, load};

pub fn list() -> Result<()> {
    for name in embedded::names() {
        let loaded = load(name, &[])?;
        let description = loaded
            .scenario
            .scenario
            .description
            .lines()
            .next()
            .unwrap_or("")
            .trim()
            .to_string();
        outln!("{name:<24} {description}");
    }
    Ok(())
}

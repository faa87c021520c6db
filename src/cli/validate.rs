//! `backchannel validate FILE...`: every problem of every file, then one
//! line per valid file.

use super::common::print_warnings;
use crate::console::outln;
use backchannel::error::{Error, Result};
use backchannel::text::plural;
use backchannel_core::scenario::load;

pub fn validate(files: &[String]) -> Result<()> {
    let mut problems = Vec::new();
    for file in files {
        match load(file, &[]) {
            Ok(loaded) => {
                let s = &loaded.scenario;
                outln!(
                    "ok  {file}: {} ({}, {}, {}, {})",
                    s.scenario.name,
                    plural(s.issues.len() as u64, "issue"),
                    plural(s.spoilers.len() as u64, "spoiler"),
                    plural(s.shocks.len() as u64, "shock"),
                    plural(s.scenario.horizon, "round")
                );
                print_warnings(s);
            }
            Err(Error::Input(diagnostics)) => problems.extend(diagnostics),
            Err(other) => return Err(other),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Input(problems))
    }
}

//! `backchannel validate FILE...`: every problem of every file, then one
//! line per valid file.

use crate::error::{Error, Result};
use crate::scenario::load;

pub fn validate(files: &[String]) -> Result<()> {
    let mut problems = Vec::new();
    for file in files {
        match load(file, &[]) {
            Ok(loaded) => {
                let s = &loaded.scenario;
                println!(
                    "ok  {file}: {} ({} issues, {} spoilers, {} shocks, {} rounds)",
                    s.scenario.name,
                    s.issues.len(),
                    s.spoilers.len(),
                    s.shocks.len(),
                    s.scenario.horizon
                );
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

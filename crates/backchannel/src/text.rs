//! The words every page, summary and command line of backchannel share:
//! counts with their noun, numbers with thousands separators, text made
//! safe for a terminal and a word quoted for a shell (in the reproduction
//! command every page shows).

pub use crate::output::text::{plural, printable};
pub use crate::output::words::CommandLineWords;
pub use crate::report::plots::thousands;
pub use crate::report::shell_word;

//! `backchannel init NAME`: write `NAME.toml`, a commented scenario to start
//! from, in the current directory. Never overwrites a file.

use std::fs::OpenOptions;
use std::io::{ErrorKind, Write};

use crate::console::outln;
use backchannel::error::{Diagnostic, Error, Result};
use backchannel_core::scenario::embedded;
use backchannel_core::scenario::validate::name_problem;

pub fn init(name: &str) -> Result<()> {
    if let Some(message) = name_problem(name) {
        return Err(Error::input(
            Diagnostic::new(message)
                .key("NAME")
                .help("e.g. backchannel init doha-2027"),
        ));
    }
    let template = embedded::get(embedded::TEMPLATE).expect("the template is embedded");
    let text = template
        .replacen("name = \"minimal\"", &format!("name = \"{name}\""), 1)
        .replacen(
            "description = \"Two parties, one issue, nothing random: a template\"",
            &format!("description = \"{name}: describe the track here\""),
            1,
        );
    let path = format!("{name}.toml");
    let mut file = match OpenOptions::new().write(true).create_new(true).open(&path) {
        Ok(file) => file,
        Err(e) if e.kind() == ErrorKind::AlreadyExists => {
            return Err(Error::input(
                Diagnostic::new(format!("{path} already exists; not overwriting it"))
                    .help("choose another name or remove the file"),
            ));
        }
        Err(e) => return Err(Error::failed(format!("cannot create {path}"), e)),
    };
    file.write_all(text.as_bytes())
        .map_err(|e| Error::failed(format!("cannot write {path}"), e))?;
    outln!(
        "wrote {path}: edit it, then `backchannel validate {path}` and `backchannel run {path}`"
    );
    Ok(())
}

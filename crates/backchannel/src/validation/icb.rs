//! The International Crisis Behavior data (system level, version 15;
//! Brecher, Wilkenfeld, Beardsley, James & Quinn, ICB Data Codebook v15)
//! in `data/icb/`: the crises, their mediation and their outcomes, and the
//! rates by mediation style that the mediation validation holds the model
//! to (docs/VALIDATION.md, "Mediation"). The one reader of that file.

use std::path::Path;

use crate::error::{Diagnostic, Error, Result};
use crate::scenario::read::read_text;

/// The ICB file is 436 rows of 30 columns: anything this large is another file.
const MAX_ICB_BYTES: u64 = 8 * 1024 * 1024;

/// One crisis: the codes the mediation validation reads (`None` where the
/// file leaves the field empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crisis {
    /// `crisno`, the crisis's number.
    pub number: u32,
    /// `crisname`.
    pub name: String,
    /// `yrtrig`, the year it was triggered.
    pub year: u32,
    /// `mediate`: 1 no; 2 requested, not supplied; 3 offered, not
    /// accepted; 4 mediation occurred; 9 unknown.
    pub mediate: Option<u8>,
    /// `medstyle`, the highest style of the primary mediator: 1 none;
    /// 2 facilitation; 3 formulation; 4 manipulation; 9 unknown.
    pub medstyle: Option<u8>,
    /// `forout`, the form of outcome: 1 formal agreement … 7 faded.
    pub forout: Option<u8>,
    /// `outesr`: 1 the crisis recurred between the principal adversaries
    /// within five years; 2 it did not.
    pub outesr: Option<u8>,
}

/// The groups the mediation validation compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// Not mediated (`mediate` 1–3).
    None,
    /// Mediated, facilitation the highest style.
    Facilitation,
    /// Mediated, formulation the highest style.
    Formulation,
    /// Mediated, manipulation the highest style.
    Manipulation,
    /// Mediated, style unknown.
    StyleUnknown,
}

impl Group {
    /// Every group, in the README's order.
    pub const ALL: [Group; 5] = [
        Group::None,
        Group::Facilitation,
        Group::Formulation,
        Group::Manipulation,
        Group::StyleUnknown,
    ];

    /// The group's name: `none`, or the style.
    pub fn name(self) -> &'static str {
        match self {
            Group::None => "none",
            Group::Facilitation => "facilitation",
            Group::Formulation => "formulation",
            Group::Manipulation => "manipulation",
            Group::StyleUnknown => "style unknown",
        }
    }
}

impl Crisis {
    /// The crisis's group; `None` when `mediate` is missing or unknown.
    pub fn group(&self) -> Option<Group> {
        match (self.mediate?, self.medstyle) {
            (1..=3, _) => Some(Group::None),
            (4, Some(2)) => Some(Group::Facilitation),
            (4, Some(3)) => Some(Group::Formulation),
            (4, Some(4)) => Some(Group::Manipulation),
            (4, _) => Some(Group::StyleUnknown),
            _ => None,
        }
    }

    /// The crisis ended in a formal agreement (`forout` = 1: treaty,
    /// armistice, cease-fire).
    pub fn formal_agreement(&self) -> bool {
        self.forout == Some(1)
    }

    /// The crisis did not recur within five years (`outesr` = 2).
    pub fn no_recurrence(&self) -> bool {
        self.outesr == Some(2)
    }
}

/// A group's counts: crises, formal agreements and crises without
/// recurrence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupCounts {
    /// The group.
    pub group: Group,
    /// Crises in it.
    pub crises: u64,
    /// Those that ended in a formal agreement.
    pub formal_agreement: u64,
    /// Those that did not recur within five years.
    pub no_recurrence: u64,
}

/// Each group's counts over `crises`, in [`Group::ALL`]'s order.
pub fn counts_by_group(crises: &[Crisis]) -> Vec<GroupCounts> {
    Group::ALL
        .iter()
        .map(|&group| {
            let members: Vec<&Crisis> =
                crises.iter().filter(|c| c.group() == Some(group)).collect();
            let count = |f: fn(&Crisis) -> bool| members.iter().filter(|c| f(c)).count() as u64;
            GroupCounts {
                group,
                crises: members.len() as u64,
                formal_agreement: count(Crisis::formal_agreement),
                no_recurrence: count(Crisis::no_recurrence),
            }
        })
        .collect()
}

/// The crises of the ICB system-level CSV at `path` (the columns it needs
/// found by name, in any order).
pub fn read_crises(path: &Path) -> Result<Vec<Crisis>> {
    let text = read_text(path, "an ICB data file", MAX_ICB_BYTES)?;
    parse_crises(&text, &path.display().to_string())
}

/// The crises of ICB CSV `text`, named `origin` in messages.
pub fn parse_crises(text: &str, origin: &str) -> Result<Vec<Crisis>> {
    let fail = |message: String| Error::input(Diagnostic::new(message).origin(origin));
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| fail(format!("cannot read the header: {e}")))?
        .clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| fail(format!("no `{name}` column: not the ICB system-level file")))
    };
    let [number, name, year, mediate, medstyle, forout, outesr] = [
        "crisno", "crisname", "yrtrig", "mediate", "medstyle", "forout", "outesr",
    ]
    .map(column);
    let (number, name, year) = (number?, name?, year?);
    let (mediate, medstyle, forout, outesr) = (mediate?, medstyle?, forout?, outesr?);
    let mut crises = Vec::new();
    for (row, record) in reader.records().enumerate() {
        let line = row + 2;
        let record = record.map_err(|e| fail(format!("line {line}: {e}")))?;
        let code = |i: usize| -> Result<Option<u32>> {
            let field = record.get(i).unwrap_or("").trim();
            if field.is_empty() {
                return Ok(None);
            }
            field
                .parse::<f64>()
                .ok()
                .filter(|x| x.fract() == 0.0 && (0.0..=1e6).contains(x))
                .map(|x| Some(x as u32))
                .ok_or_else(|| {
                    fail(format!(
                        "line {line}, column `{}`: expected a whole number, found {field:?}",
                        &headers[i]
                    ))
                })
        };
        let small = |i: usize| -> Result<Option<u8>> {
            Ok(code(i)?.map(|x| u8::try_from(x).unwrap_or(u8::MAX)))
        };
        crises.push(Crisis {
            number: code(number)?.unwrap_or(0),
            name: record.get(name).unwrap_or("").to_string(),
            year: code(year)?.unwrap_or(0),
            mediate: small(mediate)?,
            medstyle: small(medstyle)?,
            forout: small(forout)?,
            outesr: small(outesr)?,
        });
    }
    Ok(crises)
}

//! The ICB reference rates of the back-test (docs/BACKTEST.md, "Scoring"):
//! for each mediation style, the share of ICB v15 crises (1918–2001) ending
//! in a formal agreement and the share recurring within five years,
//! computed from `data/icb/icb1v15-1918-2001.csv` (Brecher, Wilkenfeld,
//! Beardsley, James & Quinn, ICB Data Codebook v15), which is compiled in.

use crate::scenario::types::MediatorStyle;
use crate::stats::{Proportion, Z95, wilson};
use crate::validation::icb::{Group, counts_by_group, parse_crises};

const ICB_CSV: &str = include_str!("../../../../data/icb/icb1v15-1918-2001.csv");

/// The two ICB rates of one style.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct StyleRates {
    /// `forout` = 1 (formal agreement) among the crises with this highest style.
    pub(crate) agreement: Proportion,
    /// `outesr` = 1 (the crisis recurred within five years).
    pub(crate) recurrence: Proportion,
}

/// The rates of the mediated crises whose highest style is `style`, as
/// the ICB reader groups them (`validation::icb`, the groups of
/// data/icb/README.md).
pub(crate) fn style_rates(style: MediatorStyle) -> StyleRates {
    let group = match style {
        MediatorStyle::Facilitation => Group::Facilitation,
        MediatorStyle::Formulation => Group::Formulation,
        MediatorStyle::Manipulation => Group::Manipulation,
    };
    let crises = parse_crises(ICB_CSV, "data/icb/icb1v15-1918-2001.csv")
        .unwrap_or_else(|e| unreachable!("the compiled-in ICB file is the reader's own: {e}"));
    let counts = counts_by_group(&crises)
        .into_iter()
        .find(|c| c.group == group)
        .unwrap_or_else(|| unreachable!("every group is counted"));
    StyleRates {
        agreement: wilson(counts.formal_agreement, counts.crises, Z95),
        recurrence: wilson(counts.crises - counts.no_recurrence, counts.crises, Z95),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The counts `data/icb/README.md` gives for each style.
    #[test]
    fn rates_match_the_readme() {
        let cases = [
            (MediatorStyle::Facilitation, (1, 14), (5, 14)),
            (MediatorStyle::Formulation, (22, 56), (21, 56)),
            (MediatorStyle::Manipulation, (30, 45), (15, 45)),
        ];
        for (style, (agreed, of), (recurred, of_recurred)) in cases {
            let rates = style_rates(style);
            assert_eq!(rates.agreement.count, agreed, "{style:?}");
            assert!((rates.agreement.p - agreed as f64 / of as f64).abs() < 1e-12);
            assert_eq!(rates.recurrence.count, recurred, "{style:?}");
            assert!((rates.recurrence.p - recurred as f64 / of_recurred as f64).abs() < 1e-12);
        }
    }
}

//! The ICB reference rates of the back-test (docs/BACKTEST.md, "Scoring"):
//! for each mediation style, the share of ICB v15 crises (1918–2001) ending
//! in a formal agreement and the share recurring within five years,
//! computed from `data/icb/icb1v15-1918-2001.csv` (Brecher, Wilkenfeld,
//! Beardsley, James & Quinn, ICB Data Codebook v15), which is compiled in.

use crate::scenario::types::MediatorStyle;
use crate::stats::{Proportion, Z95, wilson};

const ICB_CSV: &str = include_str!("../../data/icb/icb1v15-1918-2001.csv");

/// The two ICB rates of one style.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct StyleRates {
    /// `forout` = 1 (formal agreement) among the crises with this highest style.
    pub(crate) agreement: Proportion,
    /// `outesr` = 1 (the crisis recurred within five years).
    pub(crate) recurrence: Proportion,
}

/// The rates of the crises whose highest mediation style (`medstyle`) is
/// `style`: 2 facilitation, 3 formulation, 4 manipulation.
pub(crate) fn style_rates(style: MediatorStyle) -> StyleRates {
    let code = match style {
        MediatorStyle::Facilitation => 2,
        MediatorStyle::Formulation => 3,
        MediatorStyle::Manipulation => 4,
    };
    let mut lines = ICB_CSV.lines();
    let header: Vec<&str> = lines.next().unwrap_or("").split(',').collect();
    let column = |name: &str| header.iter().position(|h| *h == name);
    let (Some(medstyle), Some(forout), Some(outesr)) =
        (column("medstyle"), column("forout"), column("outesr"))
    else {
        unreachable!("the compiled-in ICB file has medstyle, forout and outesr")
    };
    let (mut agreement, mut agreement_of) = (0, 0);
    let (mut recurrence, mut recurrence_of) = (0, 0);
    for line in lines {
        let fields = split_csv(line);
        let value = |i: usize| fields.get(i).and_then(|f| f.trim().parse::<f64>().ok());
        if value(medstyle) != Some(code as f64) {
            continue;
        }
        if let Some(f) = value(forout) {
            agreement_of += 1;
            agreement += u64::from(f == 1.0);
        }
        if let Some(o @ (1.0 | 2.0)) = value(outesr) {
            recurrence_of += 1;
            recurrence += u64::from(o == 1.0);
        }
    }
    StyleRates {
        agreement: wilson(agreement, agreement_of, Z95),
        recurrence: wilson(recurrence, recurrence_of, Z95),
    }
}

/// The fields of one CSV line; a quoted field may hold commas (crisis
/// names do).
fn split_csv(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(String::new()),
            _ => fields.last_mut().expect("starts with a field").push(c),
        }
    }
    fields
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

//! The calendar of a scenario that says when round 1 starts
//! (`scenario.start = "2026-02"`): which month each round falls in, so
//! charts can label rounds with dates.

use std::fmt;

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearMonth {
    pub year: i32,
    /// 1 to 12.
    pub month: u32,
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

impl YearMonth {
    /// `"YYYY-MM"` (a four-digit year from 1900 to 2999, a two-digit month),
    /// or why not.
    pub fn parse(text: &str) -> Result<YearMonth, String> {
        let bad = || format!("\"{text}\" is not a year and month written YYYY-MM");
        let (year, month) = text.split_once('-').ok_or_else(bad)?;
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(year, 4) || !digits(month, 2) {
            return Err(bad());
        }
        let (year, month): (i32, u32) = (
            year.parse().map_err(|_| bad())?,
            month.parse().map_err(|_| bad())?,
        );
        if !(1..=12).contains(&month) {
            return Err(format!(
                "month {month:02} of \"{text}\" is not between 01 and 12"
            ));
        }
        if !(1900..=2999).contains(&year) {
            return Err(format!(
                "year {year} of \"{text}\" is not between 1900 and 2999"
            ));
        }
        Ok(YearMonth { year, month })
    }

    /// The month `months` later.
    pub fn plus(self, months: u32) -> YearMonth {
        let index = self.year as i64 * 12 + i64::from(self.month - 1) + i64::from(months);
        YearMonth {
            year: index.div_euclid(12) as i32,
            month: index.rem_euclid(12) as u32 + 1,
        }
    }
}

/// "Feb 2026".
impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", MONTHS[self.month as usize - 1], self.year)
    }
}

/// When the rounds fall: round 1 starts in `start`, each round lasts
/// `months_per_round` months.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Calendar {
    pub start: YearMonth,
    pub months_per_round: u32,
}

impl Calendar {
    /// The month round `round` (from 1) starts in.
    pub fn month_of(&self, round: u32) -> YearMonth {
        self.start
            .plus(round.saturating_sub(1) * self.months_per_round)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_year_months_and_counts_rounds_across_years() {
        let feb = YearMonth::parse("2026-02").unwrap();
        assert_eq!(feb.to_string(), "Feb 2026");
        let monthly = Calendar {
            start: feb,
            months_per_round: 1,
        };
        assert_eq!(monthly.month_of(1).to_string(), "Feb 2026");
        assert_eq!(monthly.month_of(10).to_string(), "Nov 2026");
        assert_eq!(monthly.month_of(12).to_string(), "Jan 2027");
        let quarterly = Calendar {
            start: feb,
            months_per_round: 3,
        };
        assert_eq!(quarterly.month_of(5).to_string(), "Feb 2027");
        for bad in [
            "2026", "2026-2", "2026-13", "26-02", "2026-00", "feb 2026", "0999-01",
        ] {
            assert!(YearMonth::parse(bad).is_err(), "{bad}");
        }
    }
}

//! How numbers read on charts and pages.

use crate::stats::Proportion;

/// "12.3%".
pub fn percent(p: f64) -> String {
    format!("{:.1}%", 100.0 * p)
}

/// "12.3% [11.9, 12.7]".
pub fn with_interval(p: &Proportion) -> String {
    format!(
        "{:.1}% [{:.1}, {:.1}]",
        100.0 * p.p,
        100.0 * p.lo,
        100.0 * p.hi
    )
}

/// 100000 → "100,000".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(100000), "100,000");
        assert_eq!(thousands(1234567), "1,234,567");
    }
}

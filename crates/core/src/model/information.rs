//! Information (facilitation; Kydd 2003, Rauchhaus 2006): a credible
//! mediator who carries each side's messages reduces their misperception.
//! With `information = credibility * facilitation weight *
//! mediator.information`, offer noise is scaled by `1 - information`, and
//! the part of a demand beyond what the other side could ever accept
//! (`1 - r_k'`, the other's reservation) is cut by the same share, so
//! compatible demands are found sooner.

/// Offer noise scaled by what the mediator's information leaves of it.
#[inline]
pub fn noise_scale(information: f64) -> f64 {
    1.0 - information
}

/// `p' = max(r_i', p - information * max(0, p - (1 - r_k')))`: the demand
/// of a party with reservation `own` facing one with reservation `other`.
#[inline]
pub fn informed_demand(demand: f64, own: f64, other: f64, information: f64) -> f64 {
    let futile = (demand - (1.0 - other)).max(0.0);
    (demand - information * futile).max(own)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_futile_part_of_a_demand_is_cut() {
        // The other side keeps at least 0.4, so more than 0.6 is futile.
        assert!((informed_demand(0.9, 0.2, 0.4, 0.5) - 0.75).abs() < 1e-12);
        assert_eq!(informed_demand(0.55, 0.2, 0.4, 0.5), 0.55);
        assert_eq!(informed_demand(0.9, 0.2, 0.4, 0.0), 0.9);
        // Never below the party's own reservation.
        assert_eq!(informed_demand(0.9, 0.7, 0.6, 1.0), 0.7);
        assert_eq!(noise_scale(0.3), 0.7);
    }
}
